"""When a volunteer is away for a session: date ranges, weekdays, midnight and clock changes."""

from datetime import date

import pytest
from factories import at

from csp_events.availability.rules import Away, absence_problems, is_away, session_days
from csp_events.availability.vocabulary import AbsenceKind

FORTNIGHT = Away(AbsenceKind.DATES, date(2027, 8, 2), date(2027, 8, 15))
SUNDAYS = Away(AbsenceKind.WEEKDAY, weekday=6)


@pytest.mark.parametrize(
    ("day", "away"),
    [
        (date(2027, 8, 1), False),  # the day before
        (date(2027, 8, 2), True),  # first day
        (date(2027, 8, 15), True),  # last day
        (date(2027, 8, 16), False),  # the day after
    ],
)
def test_a_session_inside_a_date_range_is_away_including_both_ends(day, away):
    assert is_away([FORTNIGHT], at(day, 10), at(day, 12)) is away


@pytest.mark.parametrize(
    ("day", "away"),
    [(date(2027, 3, 28), True), (date(2027, 3, 27), False), (date(2027, 10, 31), True)],
)
def test_a_weekday_off_counts_on_every_such_day_even_across_clock_changes(day, away):
    assert is_away([SUNDAYS], at(day, 0, 30), at(day, 2, 30)) is away


def test_a_session_ending_at_midnight_does_not_touch_the_next_day():
    saturday = date(2027, 3, 20)
    assert session_days(at(saturday, 22), at(date(2027, 3, 21), 0)) == [saturday]
    assert not is_away([SUNDAYS], at(saturday, 22), at(date(2027, 3, 21), 0))


def test_an_overnight_session_touching_an_away_day_is_away():
    assert is_away([SUNDAYS], at(date(2027, 3, 20), 22), at(date(2027, 3, 21), 1))


def test_nobody_is_away_without_absences():
    assert not is_away([], at(date(2027, 8, 3), 10), at(date(2027, 8, 3), 12))


TODAY = date(2027, 6, 1)


@pytest.mark.parametrize(
    ("first", "last", "field"),
    [
        (None, date(2027, 6, 5), "first_day"),
        (date(2027, 6, 5), None, "last_day"),
        (date(2027, 6, 5), date(2027, 6, 4), "last_day"),
        (date(2027, 5, 1), date(2027, 5, 31), "last_day"),  # over already
        (date(2027, 6, 1), date(2028, 6, 2), "last_day"),  # more than a year
    ],
)
def test_a_date_range_that_makes_no_sense_is_refused_on_its_field(first, last, field):
    assert set(absence_problems(AbsenceKind.DATES, first, last, TODAY)) == {field}


@pytest.mark.parametrize(
    ("first", "last"),
    [(date(2027, 6, 1), date(2027, 6, 1)), (date(2027, 5, 20), date(2027, 6, 1))],
)
def test_a_range_still_running_today_or_one_day_is_fine(first, last):
    assert absence_problems(AbsenceKind.DATES, first, last, TODAY) == {}
