"""When each reminder is due: the boundaries, as plain functions of time."""

from datetime import UTC, date, datetime, timedelta

import pytest

from csp_events.reminders.rules import (
    before_session_due,
    calibration_due_soon,
    return_overdue,
    shortfall_text,
    understaffed_soon,
    wanted,
)

START = datetime(2026, 3, 30, 9, 0, tzinfo=UTC)  # the day after the clocks go forward
H = timedelta(hours=1)


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (START - 49 * H, False),
        (START - 48 * H, True),
        (START - 2 * H, True),  # a late sign-up is still reminded
        (START - timedelta(seconds=1), True),
        (START, False),
        (START + H, False),
    ],
)
def test_a_session_reminder_is_due_from_48_hours_before_until_the_start(now, due):
    assert before_session_due(START, now, 48) is due


@pytest.mark.parametrize(
    ("returned", "now", "overdue"),
    [
        (None, START - H, False),
        (None, START, False),
        (None, START + H, True),
        (START, START + H, False),
    ],
)
def test_a_return_is_overdue_only_after_its_time_and_while_not_returned(returned, now, overdue):
    assert return_overdue(START, returned, now) is overdue


@pytest.mark.parametrize(
    ("hours_to_start", "confirmed", "minimum", "due"),
    [(73, 0, 2, False), (72, 0, 2, True), (1, 1, 2, True), (1, 2, 2, False), (0, 0, 2, False)],
)
def test_understaffed_sessions_are_flagged_72_hours_ahead(hours_to_start, confirmed, minimum, due):
    now = START - hours_to_start * H
    assert understaffed_soon(START, now, 72, confirmed, minimum) is due


@pytest.mark.parametrize(
    ("expires", "due"),
    [(date(2026, 5, 1), False), (date(2026, 4, 30), True), (date(2026, 3, 1), True), (None, False)],
)
def test_calibration_is_flagged_30_days_ahead_and_once_expired(expires, due):
    assert calibration_due_soon(expires, date(2026, 3, 31), 30) is due


def test_a_persons_choice_wins_over_the_default():
    assert wanted(None, True) and not wanted(None, False)
    assert wanted(True, False) and not wanted(False, True)


def test_the_shortfall_is_said_plainly():
    assert shortfall_text(1, 3) == "2 more volunteers needed (1 of 3)"
    assert shortfall_text(2, 3) == "1 more volunteer needed (2 of 3)"
