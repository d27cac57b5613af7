"""Counting several periods in one pass gives exactly the figures the old queries gave, one
period at a time: random activity around the edges that matter (UK midnights at the year's and
quarters' ends, the clock changes, now), every period shape, overlapping periods included."""

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from factories import make_user, make_venue
from report_reference import figures as counted_one_by_one

from csp_events.engagement.models import Attendance, EventOutcome
from csp_events.events.models import Event
from csp_events.events.vocabulary import EventKind, EventStatus, Theme
from csp_events.extensions import db
from csp_events.places.models import SpeedwatchSite
from csp_events.places.vocabulary import ApprovalStatus
from csp_events.reports import rules
from csp_events.reports.services import figures, figures_with_year_before, quarterly_return
from csp_events.stock.models import StockItem, StockMovement
from csp_events.stock.vocabulary import MovementKind
from csp_events.timezones import to_local, utcnow

pytestmark = pytest.mark.usefixtures("app_context")

# Instants where a one-off mistake would show: UK midnights at quarter and year ends (in GMT
# and in BST) and the mornings the clocks change.
EDGES = [
    datetime(2024, 3, 31, 22, 59, tzinfo=UTC),
    datetime(2024, 3, 31, 23, 0, tzinfo=UTC),
    datetime(2024, 3, 31, 0, 59, tzinfo=UTC),
    datetime(2024, 6, 30, 23, 0, tzinfo=UTC),
    datetime(2024, 12, 31, 23, 59, tzinfo=UTC),
    datetime(2025, 1, 1, 0, 0, tzinfo=UTC),
    datetime(2025, 3, 31, 22, 59, tzinfo=UTC),
    datetime(2025, 3, 31, 23, 0, tzinfo=UTC),
    datetime(2025, 10, 26, 0, 30, tzinfo=UTC),
    datetime(2025, 10, 26, 1, 30, tzinfo=UTC),
]


def _start(rng: random.Random, now: datetime) -> datetime:
    if rng.random() < 0.3:
        return rng.choice(EDGES) + timedelta(minutes=rng.choice([-1, 0, 1]))
    if rng.random() < 0.1:  # still to come: a plan, counted nowhere yet
        return now + timedelta(days=rng.randrange(1, 90))
    first = datetime(2023, 1, 1, tzinfo=UTC)
    return first + timedelta(minutes=rng.randrange(int((now - first).total_seconds() // 60) - 5))


def fill_randomly(seed: int) -> None:
    rng = random.Random(seed)
    now = utcnow()
    people = [make_user(name=f"Volunteer {i}") for i in range(6)]
    venues = [make_venue() for _ in range(4)]
    for venue, ward in zip(venues, ["Shenfield", "Hutton", "", "Hutton"], strict=True):
        venue.ward = ward
    sites = [
        SpeedwatchSite(
            road=f"Road {i}",
            location="Hutton",
            speed_limit=30 + 10 * (i % 2),
            approval_status=ApprovalStatus.APPROVED,
        )
        for i in range(3)
    ]
    goods = [StockItem(name=f"Item {i}", balance=1000) for i in range(4)]
    db.session.add_all(sites + goods)
    db.session.flush()
    for n in range(160):
        starts_at = _start(rng, now)
        kind = rng.choice(list(EventKind))
        event = Event(
            title=f"Event {n}",
            kind=kind,
            theme=rng.choice([None, *list(Theme)[:4]]),
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=rng.choice([1, 2, 3])),
            status=rng.choice(list(EventStatus)),
            venue=rng.choice([None, *venues]),
            site=rng.choice(sites) if kind == EventKind.SPEEDWATCH and rng.random() < 0.9 else None,
        )
        db.session.add(event)
        db.session.flush()
        if rng.random() < 0.7:
            checked = rng.choice([None, rng.randrange(300)])
            db.session.add(
                EventOutcome(
                    event_id=event.id,
                    people_engaged=rng.randrange(80),
                    vehicles_checked=checked,
                    vehicles_over_threshold=None if checked is None else rng.randrange(checked + 1),
                    highest_speed_mph=rng.choice([None, rng.randrange(30, 70)]),
                )
            )
        for person in rng.sample(people, rng.randrange(4)):
            db.session.add(
                Attendance(
                    event_id=event.id,
                    user_id=person.id,
                    attended=rng.random() < 0.8,
                    minutes=rng.randrange(0, 300),
                )
            )
        for _ in range(rng.randrange(4)):
            kind_of_move = rng.choice([MovementKind.ISSUE, MovementKind.IMPORTED_ISSUE])
            quantity = -rng.randrange(1, 20) if rng.random() < 0.85 else rng.randrange(1, 5)
            if rng.random() < 0.15:  # an adjustment at an event is not a hand-out
                kind_of_move, quantity = MovementKind.ADJUSTMENT, -3
            db.session.add(
                StockMovement(
                    item=rng.choice(goods),
                    kind=kind_of_move,
                    quantity=quantity,
                    event_id=event.id,
                    reason="counted",
                )
            )
    db.session.commit()


def periods() -> list[rules.Period]:
    this_year = rules.financial_year_of(to_local(utcnow()).date())
    return [
        rules.financial_year(2024),
        rules.financial_year(this_year),
        rules.quarter(2024, 4),
        rules.quarter(2025, 3),
        rules.custom_period(date(2025, 10, 20), date(2025, 10, 30)),  # the clocks go back
        rules.custom_period(date(2023, 2, 1), date(2025, 7, 31)),  # overlaps its year before
        rules.custom_period(date(2024, 3, 31), date(2024, 4, 1)),  # two days, two years
    ]


@pytest.mark.parametrize("seed", range(4))
def test_one_pass_figures_equal_the_period_by_period_figures(seed):
    fill_randomly(seed)
    assert counted_one_by_one(rules.financial_year(2024)).volunteers, "nothing to compare"
    for period in periods():
        report, before = figures_with_year_before(period)
        assert report == counted_one_by_one(period), period.label
        assert before == counted_one_by_one(rules.year_before(period), detail=False), period.label
        assert figures(period, detail=False) == counted_one_by_one(period, detail=False)
    quarters, whole = quarterly_return(2024)
    assert quarters == [
        counted_one_by_one(rules.quarter(2024, n), detail=False) for n in range(1, 5)
    ]
    assert whole == counted_one_by_one(rules.financial_year(2024), detail=False)


def test_a_period_still_to_come_counts_nothing_and_still_answers():
    fill_randomly(9)
    later = rules.financial_year(rules.financial_year_of(to_local(utcnow()).date()) + 2)
    report, before = figures_with_year_before(later)
    assert report == counted_one_by_one(later) and report.events == 0
    assert before == counted_one_by_one(rules.year_before(later), detail=False)
