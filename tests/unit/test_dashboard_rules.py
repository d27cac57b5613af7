"""The dashboard at a moment: a day's facts, read once, filtered by the clock to the minute."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from csp_events.dashboard.lines import (
    EventLine,
    ReturnLine,
    Snapshot,
    SpeedwatchLine,
    UpcomingLine,
    VisitLine,
    Volunteer,
)
from csp_events.dashboard.rules import dashboard_at, day_bounds
from csp_events.events.vocabulary import EventStatus
from csp_events.timezones import LONDON, to_local
from csp_events.visits.rules import SafetyFacts, VisitFacts

DAY = date(2026, 6, 10)
NOON = datetime(2026, 6, 10, 11, tzinfo=UTC)  # 12:00 in London (summer time)
GRACE = timedelta(minutes=30)
WAIT_DAYS = 3


def event(n: int, starts_at: datetime, hours: float = 2, minimum: int = 0) -> EventLine:
    return EventLine(
        n,
        f"Event {n}",
        starts_at,
        starts_at + timedelta(hours=hours),
        EventStatus.PLANNED,
        "Library",
        minimum,
        4,
    )


def facts(**lists) -> Snapshot:
    empty = {
        "upcoming": (),
        "visits": (),
        "returns": (),
        "speedwatch": (),
        "no_outcome_count": 0,
        "no_outcome_before": (),
        "no_outcome_during": (),
        "expiring": (),
        "calibration_due": (),
        "approvals_ending": (),
        "low_stock": (),
        "new_referrals": 0,
    }
    return Snapshot(day=DAY, **{**empty, **lists})


def at_noon(snapshot: Snapshot, now: datetime = NOON):
    return dashboard_at(snapshot, now, GRACE, WAIT_DAYS)


@pytest.mark.parametrize(
    ("starts_in", "hours", "listed"),
    [
        (timedelta(hours=-3), 2, False),  # over an hour ago
        (timedelta(hours=-2), 2, False),  # ends now: over
        (timedelta(hours=-1), 2, True),  # under way
        (timedelta(days=14) - timedelta(minutes=1), 1, True),
        (timedelta(days=14), 1, False),  # a fortnight away exactly: not yet
    ],
)
def test_the_fortnight_is_counted_from_this_minute(starts_in, hours, listed):
    line = UpcomingLine(event(1, NOON + starts_in, hours), confirmed=0, waiting=0)
    assert at_noon(facts(upcoming=(line,))).upcoming == ([line] if listed else [])


def test_a_session_short_of_its_minimum_is_listed_as_short():
    full = UpcomingLine(event(1, NOON + timedelta(days=1), minimum=2), confirmed=2, waiting=0)
    short = UpcomingLine(event(2, NOON + timedelta(days=2), minimum=2), confirmed=1, waiting=3)
    assert at_noon(facts(upcoming=(full, short))).short == [short]


def visit(ends_ago: timedelta, left: bool = False) -> VisitLine:
    line = event(7, NOON - ends_ago - timedelta(hours=1), hours=1)
    checks = (SafetyFacts(1, line.starts_at, NOON if left else None),)
    return VisitLine(
        line,
        VisitFacts(line.starts_at, line.ends_at, False, frozenset({1})),
        checks,
        (Volunteer("Vi One", "01277 000000"),),
    )


@pytest.mark.parametrize(
    ("ends_ago", "overdue"),
    [
        (timedelta(minutes=29), False),
        (timedelta(minutes=30), False),  # the grace period ends this minute
        (timedelta(minutes=31), True),
        (timedelta(days=29), True),
        (timedelta(days=30), False),  # no longer watched
    ],
)
def test_a_visit_is_overdue_once_its_grace_period_has_passed(ends_ago, overdue):
    line = visit(ends_ago)
    assert at_noon(facts(visits=(line,))).overdue_visits == ([line] if overdue else [])


def test_a_visit_everyone_left_safely_is_never_overdue():
    assert at_noon(facts(visits=(visit(timedelta(hours=2), left=True),))).overdue_visits == []


def test_a_return_is_overdue_from_the_minute_it_was_due():
    due_now = ReturnLine(1, "Speed gun", "Vera", NOON)
    due_before = ReturnLine(2, "Camera", "Vera", NOON - timedelta(minutes=1))
    assert at_noon(facts(returns=(due_now, due_before))).overdue == [due_before]


def test_speedwatch_sessions_are_checked_for_the_sixty_days_ahead():
    lines = tuple(
        SpeedwatchLine(event(n, NOON + ahead), ("No speed gun is booked.",))
        for n, ahead in enumerate(
            [-timedelta(minutes=1), timedelta(minutes=1), timedelta(days=60)], start=1
        )
    )
    assert [line.event.id for line in at_noon(facts(speedwatch=lines)).speedwatch_problems] == [2]


def test_events_of_the_day_join_those_without_an_outcome_when_their_wait_is_over():
    waited = timedelta(days=WAIT_DAYS)
    before = tuple(event(n, NOON - timedelta(days=10 + n)) for n in range(1, 4))
    over = event(10, NOON - waited - timedelta(hours=3))  # ended 1 hour past the wait
    not_yet = event(11, NOON - waited - timedelta(hours=1))  # ends an hour from now
    dashboard = at_noon(
        facts(no_outcome_count=30, no_outcome_before=before, no_outcome_during=(not_yet, over))
    )
    assert dashboard.no_outcome_count == 31
    assert [e.id for e in dashboard.no_outcome] == [10, 1, 2, 3]


def test_only_the_latest_starting_twenty_without_an_outcome_are_listed():
    before = tuple(event(n, NOON - timedelta(days=10 + n)) for n in range(20))
    during = (event(99, NOON - timedelta(days=WAIT_DAYS, hours=5)),)
    dashboard = at_noon(
        facts(no_outcome_count=25, no_outcome_before=before, no_outcome_during=during)
    )
    assert dashboard.no_outcome_count == 26
    assert len(dashboard.no_outcome) == 20
    assert dashboard.no_outcome[0].id == 99 and before[-1] not in dashboard.no_outcome


@pytest.mark.parametrize(
    ("day", "hours"),
    [(date(2026, 6, 10), 24), (date(2026, 3, 29), 23), (date(2026, 10, 25), 25)],
)
def test_a_day_runs_from_midnight_to_midnight_in_london(day, hours):
    start, end = day_bounds(day)
    assert end - start == timedelta(hours=hours)
    assert to_local(start) == datetime.combine(day, time(0), LONDON)
    assert to_local(end).date() == day + timedelta(days=1) and to_local(end).hour == 0
