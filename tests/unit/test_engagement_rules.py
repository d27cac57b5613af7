"""Outcome rules: who may record one, hours, Speedwatch counts, no registration numbers."""

from datetime import UTC, datetime, timedelta

import pytest

from csp_events.auth.roles import Role
from csp_events.engagement.rules import (
    HoursProblem,
    SpeedwatchCounts,
    enforcement_threshold,
    outcome_overdue,
    outcome_refusal,
    parse_hours,
    speedwatch_problems,
)
from csp_events.events.vocabulary import EventStatus

START = datetime(2026, 5, 9, 9, tzinfo=UTC)


@pytest.mark.parametrize(("limit", "threshold"), [(20, 24), (30, 35), (40, 46)])
def test_the_enforcement_threshold_is_the_limit_plus_ten_percent_plus_two(limit, threshold):
    assert enforcement_threshold(limit) == threshold


def refusal(role, *, on_roster=False, status=EventStatus.PLANNED, now=START + timedelta(hours=1)):
    return outcome_refusal(
        role, confirmed_on_roster=on_roster, status=status, starts_at=START, now=now
    )


def test_the_coordinator_and_a_signed_up_volunteer_may_record_once_it_has_started():
    assert refusal(Role.COORDINATOR) is None
    assert refusal(Role.VOLUNTEER, on_roster=True) is None


def test_nobody_records_an_outcome_before_the_start_or_for_a_cancelled_event():
    assert "once the event has started" in refusal(
        Role.COORDINATOR, now=START - timedelta(minutes=1)
    )
    assert "cancelled" in refusal(Role.COORDINATOR, status=EventStatus.CANCELLED)


def test_volunteers_not_signed_up_and_partners_may_not_record():
    assert refusal(Role.VOLUNTEER, on_roster=False)
    assert refusal(Role.PARTNER, on_roster=True)


@pytest.mark.parametrize(
    ("text", "minutes"), [("2", 120), ("2.5", 150), ("2,5", 150), ("1:45", 105), (" 0.25 ", 15)]
)
def test_hours_are_read_as_people_type_them(text, minutes):
    assert parse_hours(text) == minutes


@pytest.mark.parametrize("text", ["", "two", "2:75", "-1", "25", "1.5.5"])
def test_unreadable_or_impossible_hours_are_refused(text):
    with pytest.raises(HoursProblem):
        parse_hours(text)


def counts(checked, over, top, threshold=35):
    return speedwatch_problems(SpeedwatchCounts(checked, over, top, threshold))


def test_consistent_speedwatch_counts_pass():
    assert counts(212, 19, 44) == {}
    assert counts(80, 0, 33) == {}
    assert counts(0, 0, None) == {}


@pytest.mark.parametrize(
    ("checked", "over", "top", "field"),
    [
        (None, 0, None, "vehicles_checked"),
        (10, None, None, "vehicles_over_threshold"),
        (10, 11, 40, "vehicles_over_threshold"),
        (10, 2, 33, "highest_speed_mph"),  # some were too fast, so the top speed is at least 35
        (10, 0, 36, "highest_speed_mph"),  # the top speed was too fast, so one was over
        (10, 2, None, "highest_speed_mph"),
        (10, 2, 250, "highest_speed_mph"),
    ],
)
def test_contradictory_speedwatch_counts_are_refused_next_to_the_field(checked, over, top, field):
    assert field in counts(checked, over, top)


def test_an_outcome_is_overdue_days_after_the_end_unless_recorded_or_cancelled():
    ended = START + timedelta(hours=2)
    later = ended + timedelta(days=3, minutes=1)
    kwargs = {"ends_at": ended, "days": 3}
    assert outcome_overdue(now=later, status=EventStatus.COMPLETED, has_outcome=False, **kwargs)
    assert not outcome_overdue(
        now=later - timedelta(minutes=2), status=EventStatus.PLANNED, has_outcome=False, **kwargs
    )
    assert not outcome_overdue(now=later, status=EventStatus.COMPLETED, has_outcome=True, **kwargs)
    assert not outcome_overdue(now=later, status=EventStatus.CANCELLED, has_outcome=False, **kwargs)
