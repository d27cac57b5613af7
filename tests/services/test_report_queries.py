"""The report's database queries follow the counting rules: UK local periods, start day,
cancelled events left out, no hours for no-shows, hand-outs by ward."""

from datetime import UTC, datetime, timedelta

import pytest
from factories import make_user, make_venue

from csp_events.engagement.models import Attendance, EventOutcome
from csp_events.events.models import Event
from csp_events.events.vocabulary import EventKind, EventStatus
from csp_events.extensions import db
from csp_events.reports.rules import financial_year, quarter
from csp_events.reports.services import NO_WARD, figures
from csp_events.stock.models import StockItem, StockMovement
from csp_events.stock.vocabulary import MovementKind

pytestmark = pytest.mark.usefixtures("app_context")


def held(
    starts_at, *, people=0, status=EventStatus.COMPLETED, hours=2, venue=None, kind=EventKind.POP_UP
):
    event = Event(
        title="Held",
        kind=kind,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        status=status,
        venue=venue,
    )
    db.session.add(event)
    db.session.flush()
    db.session.add(EventOutcome(event_id=event.id, people_engaged=people))
    return event


def test_events_count_in_the_uk_period_they_start_in():
    held(datetime(2025, 3, 31, 22, 59, tzinfo=UTC), people=1)  # 23:59 BST 31 March: 2024/25
    held(datetime(2025, 3, 31, 23, 30, tzinfo=UTC), people=10)  # 00:30 BST 1 April: 2025/26
    held(
        datetime(2026, 3, 31, 22, tzinfo=UTC), people=100, hours=3
    )  # 23:00 to 02:00, across midnight
    db.session.commit()
    report = figures(financial_year(2025))
    assert report.events == 2 and report.people == 110
    assert report.events_per_slice == [1, 0, 0, 1]
    assert figures(financial_year(2024)).people == 1
    assert figures(quarter(2025, 4)).people == 100


def test_cancelled_events_count_nowhere():
    venue = make_venue()
    bells = StockItem(name="Purse bells", balance=100)
    db.session.add(bells)
    event = held(
        datetime(2025, 6, 1, 9, tzinfo=UTC), people=30, status=EventStatus.CANCELLED, venue=venue
    )
    db.session.add(
        StockMovement(item=bells, kind=MovementKind.ISSUE, quantity=-5, event_id=event.id)
    )
    db.session.commit()
    report = figures(financial_year(2025))
    assert (report.events, report.people, report.items_total) == (0, 0, 0)


def test_no_shows_give_no_hours_even_if_minutes_were_stored():
    event = held(datetime(2025, 6, 1, 9, tzinfo=UTC))
    came, stayed_home = make_user(name="Came"), make_user(name="Stayed Home")
    db.session.add(Attendance(event_id=event.id, user_id=came.id, attended=True, minutes=120))
    db.session.add(
        Attendance(event_id=event.id, user_id=stayed_home.id, attended=False, minutes=120)
    )
    db.session.commit()
    report = figures(financial_year(2025))
    assert report.minutes == 120 and report.volunteer_count == 1
    by_name = {v.name: (v.minutes, v.sessions, v.no_shows) for v in report.volunteers}
    assert by_name == {"Came": (120, 1, 0), "Stayed Home": (0, 0, 1)}


def test_items_are_counted_by_item_and_by_the_ward_of_the_venue():
    ward, unknown = make_venue(), make_venue()
    ward.ward = "Shenfield"
    bells, alarms = StockItem(name="Purse bells"), StockItem(name="Window alarms")
    db.session.add_all([bells, alarms])
    first = held(datetime(2025, 6, 1, 9, tzinfo=UTC), venue=ward)
    second = held(datetime(2025, 7, 1, 9, tzinfo=UTC), venue=unknown)
    for event, item, n in ((first, bells, 15), (first, alarms, 4), (second, bells, 5)):
        db.session.add(
            StockMovement(item=item, kind=MovementKind.ISSUE, quantity=-n, event_id=event.id)
        )
    db.session.add(
        StockMovement(item=bells, kind=MovementKind.ISSUE, quantity=3, event_id=first.id)
    )
    db.session.commit()
    report = figures(financial_year(2025))
    assert report.items == [("Purse bells", 17), ("Window alarms", 4)]
    assert report.wards == [("Shenfield", 16), (NO_WARD, 5)]
