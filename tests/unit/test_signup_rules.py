"""Capacity, the waiting list, clashes and withdrawal: the rules without an app."""

from datetime import UTC, datetime, timedelta

import pytest

from csp_events.signups.rules import (
    Booking,
    WaitingVolunteer,
    first_clash,
    next_to_promote,
    overlaps,
    status_for_new_signup,
    understaffed,
    volunteer_may_withdraw,
)
from csp_events.signups.vocabulary import SignupStatus

NOON = datetime(2027, 3, 10, 12, tzinfo=UTC)
HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    ("other_start", "other_end", "expected"),
    [
        (NOON - 2 * HOUR, NOON, False),  # ends as ours starts: touching is fine
        (NOON + 2 * HOUR, NOON + 3 * HOUR, False),  # starts as ours ends
        (NOON - HOUR, NOON + HOUR, True),  # overlaps our start
        (NOON + HOUR, NOON + 3 * HOUR, True),  # overlaps our end
        (NOON + 30 * timedelta(minutes=1), NOON + HOUR, True),  # inside ours
        (NOON - HOUR, NOON + 3 * HOUR, True),  # contains ours
    ],
)
def test_sessions_overlap_only_when_they_share_time(other_start, other_end, expected):
    assert overlaps(NOON, NOON + 2 * HOUR, other_start, other_end) is expected


def test_the_first_clashing_session_is_named():
    others = [
        Booking(2, "Later", NOON + 5 * HOUR, NOON + 6 * HOUR),
        Booking(1, "Surgery", NOON + HOUR, NOON + 2 * HOUR),
    ]
    assert first_clash(NOON, NOON + 2 * HOUR, others).title == "Surgery"
    assert first_clash(NOON, NOON + HOUR, others) is None


@pytest.mark.parametrize(
    ("confirmed", "capacity", "expected"),
    [
        (0, 3, SignupStatus.CONFIRMED),
        (2, 3, SignupStatus.CONFIRMED),
        (3, 3, SignupStatus.WAITLISTED),
        (0, 0, SignupStatus.WAITLISTED),
    ],
)
def test_places_fill_up_to_capacity_then_the_waiting_list(confirmed, capacity, expected):
    assert status_for_new_signup(confirmed, capacity) == expected


def test_the_earliest_eligible_volunteer_on_the_waiting_list_is_promoted():
    waiting = [
        WaitingVolunteer(3, NOON + 2 * HOUR, True),
        WaitingVolunteer(1, NOON, False),  # first in the queue but no longer eligible
        WaitingVolunteer(2, NOON + HOUR, True),
    ]
    assert next_to_promote(waiting).signup_id == 2


def test_nobody_is_promoted_when_no_one_waiting_is_eligible():
    assert next_to_promote([WaitingVolunteer(1, NOON, False)]) is None
    assert next_to_promote([]) is None


@pytest.mark.parametrize(
    ("hours_before", "allowed"), [(25, True), (24.01, True), (24, False), (2, False)]
)
def test_volunteers_can_withdraw_until_24_hours_before(hours_before, allowed):
    now = NOON - timedelta(hours=hours_before)
    assert volunteer_may_withdraw(NOON, now, closes_hours=24) is allowed


@pytest.mark.parametrize(
    ("confirmed", "minimum", "short"), [(0, 1, True), (2, 3, True), (3, 3, False)]
)
def test_a_session_is_understaffed_below_its_minimum(confirmed, minimum, short):
    assert understaffed(confirmed, minimum) is short
