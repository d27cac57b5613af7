from datetime import UTC, date, datetime, time, timedelta

import pytest
from dateutil.rrule import rrulestr

from csp_events.events import recurrence
from csp_events.events.recurrence import (
    MAX_OCCURRENCES,
    Frequency,
    RecurrenceError,
    RecurrencePattern,
    describe,
    occurrences,
    to_rrule_string,
    validate,
)
from csp_events.timezones import LONDON, to_local

TWO_HOURS = timedelta(hours=2)


def pattern(
    frequency=Frequency.WEEKLY,
    first_day=date(2026, 1, 13),
    starts_at=time(10),
    duration=TWO_HOURS,
    **kwargs,
) -> RecurrencePattern:
    if "until" not in kwargs and "count" not in kwargs:
        kwargs["count"] = 5
    return RecurrencePattern(frequency, first_day, starts_at, duration, **kwargs)


def local_days(p: RecurrencePattern) -> list[date]:
    return [o.local_day for o in occurrences(p)]


SECOND_TUESDAYS_2026 = pattern(
    Frequency.MONTHLY_BY_WEEKDAY, date(2026, 1, 13), until=date(2026, 12, 31)
)


def test_monthly_surgery_stays_at_ten_local_across_both_clock_changes():
    sessions = {o.local_day.month: o for o in occurrences(SECOND_TUESDAYS_2026)}
    assert sessions[1].starts_at == datetime(2026, 1, 13, 10, tzinfo=UTC)
    assert sessions[7].starts_at == datetime(2026, 7, 14, 9, tzinfo=UTC)
    assert sessions[7].ends_at == datetime(2026, 7, 14, 11, tzinfo=UTC)
    assert sessions[12].starts_at == datetime(2026, 12, 8, 10, tzinfo=UTC)
    assert {to_local(o.starts_at).time() for o in sessions.values()} == {time(10)}


def test_second_tuesday_of_each_month_in_2026():
    assert local_days(SECOND_TUESDAYS_2026) == [
        date(2026, 1, 13),
        date(2026, 2, 10),
        date(2026, 3, 10),
        date(2026, 4, 14),
        date(2026, 5, 12),
        date(2026, 6, 9),
        date(2026, 7, 14),
        date(2026, 8, 11),
        date(2026, 9, 8),
        date(2026, 10, 13),
        date(2026, 11, 10),
        date(2026, 12, 8),
    ]


@pytest.mark.parametrize(
    ("day", "nth"),
    [(1, 1), (7, 1), (8, 2), (14, 2), (15, 3), (21, 3), (22, 4), (28, 4), (29, -1), (31, -1)],
)
def test_week_of_month_is_taken_from_the_first_day_when_not_given(day, nth):
    assert pattern(Frequency.MONTHLY_BY_WEEKDAY, date(2026, 12, day)).nth == nth


LAST_FRIDAYS_H1_2026 = [
    date(2026, 1, 30),
    date(2026, 2, 27),
    date(2026, 3, 27),
    date(2026, 4, 24),
    date(2026, 5, 29),
    date(2026, 6, 26),
]


def test_a_first_day_in_the_fifth_week_means_the_last_weekday_of_every_month():
    assert (
        local_days(pattern(Frequency.MONTHLY_BY_WEEKDAY, date(2026, 1, 30), count=6))
        == LAST_FRIDAYS_H1_2026
    )


def test_last_friday_starts_at_the_first_match_on_or_after_the_first_day():
    p = pattern(Frequency.MONTHLY_BY_WEEKDAY, date(2026, 1, 2), week_of_month=-1, count=6)
    assert local_days(p) == LAST_FRIDAYS_H1_2026


def test_an_explicit_week_of_month_overrides_the_first_days_position():
    p = pattern(Frequency.MONTHLY_BY_WEEKDAY, date(2026, 1, 1), week_of_month=3, count=3)
    assert local_days(p) == [date(2026, 1, 15), date(2026, 2, 19), date(2026, 3, 19)]


def test_fortnightly_with_a_count_keeps_its_weekday_and_local_time_over_the_spring_change():
    p = pattern(Frequency.FORTNIGHTLY, date(2026, 3, 5), time(14), count=5)
    sessions = occurrences(p)
    assert [o.local_day for o in sessions] == [
        date(2026, 3, 5),
        date(2026, 3, 19),
        date(2026, 4, 2),
        date(2026, 4, 16),
        date(2026, 4, 30),
    ]
    assert sessions[1].starts_at == datetime(2026, 3, 19, 14, tzinfo=UTC)
    assert sessions[2].starts_at == datetime(2026, 4, 2, 13, tzinfo=UTC)
    assert all(o.ends_at - o.starts_at == TWO_HOURS for o in sessions)


@pytest.mark.parametrize(("until", "sessions"), [(date(2026, 6, 28), 4), (date(2026, 6, 29), 5)])
def test_the_end_date_is_inclusive(until, sessions):
    assert len(occurrences(pattern(first_day=date(2026, 6, 1), until=until))) == sessions


def test_an_evening_session_ends_on_the_same_local_day_even_when_that_is_the_next_utc_day():
    p = pattern(
        first_day=date(2026, 7, 1), starts_at=time(22), duration=timedelta(hours=1.5), count=1
    )
    [session] = occurrences(p)
    assert session.ends_at == datetime(2026, 7, 1, 22, 30, tzinfo=UTC)


def test_monthly_by_date_repeats_on_that_date():
    p = pattern(Frequency.MONTHLY_BY_DATE, date(2026, 1, 15), count=3)
    assert local_days(p) == [date(2026, 1, 15), date(2026, 2, 15), date(2026, 3, 15)]


@pytest.mark.parametrize(
    ("first_day", "starts_at", "duration", "named_day"),
    [
        (date(2026, 3, 22), time(1, 30), TWO_HOURS, "Sunday 29 March 2026"),
        (date(2026, 10, 18), time(1, 30), TWO_HOURS, "Sunday 25 October 2026"),
        (date(2026, 3, 22), time(0, 30), timedelta(hours=1), "Sunday 29 March 2026"),
    ],
)
def test_a_session_starting_or_ending_in_a_clock_change_is_refused_naming_the_day(
    first_day, starts_at, duration, named_day
):
    with pytest.raises(RecurrenceError, match=named_day):
        occurrences(pattern(first_day=first_day, starts_at=starts_at, duration=duration, count=3))


FIRST = date(2026, 1, 13)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"count": None}, "Choose an end date or a number of sessions"),
        ({"until": date(2026, 3, 1), "count": 3}, "Choose an end date or a number of sessions"),
        ({"count": 0}, "between 1 and 200"),
        ({"count": MAX_OCCURRENCES + 1}, "between 1 and 200"),
        ({"count": None, "until": FIRST - timedelta(days=1)}, "same as or after the first date"),
        ({"count": None, "until": date(2029, 1, 14)}, "within 3 years"),
        ({"frequency": Frequency.MONTHLY_BY_DATE, "first_day": date(2026, 1, 29)}, "days 1 to 28"),
        ({"frequency": Frequency.MONTHLY_BY_WEEKDAY, "week_of_month": 5}, "last week of the month"),
        ({"frequency": Frequency.MONTHLY_BY_WEEKDAY, "week_of_month": 0}, "last week of the month"),
        ({"duration": timedelta(0)}, "must end after it starts"),
        ({"duration": -TWO_HOURS}, "must end after it starts"),
        ({"duration": timedelta(hours=12, minutes=1)}, "at most 12 hours"),
        (
            {
                "frequency": Frequency.MONTHLY_BY_WEEKDAY,
                "first_day": date(2026, 1, 15),
                "week_of_month": 1,
                "count": None,
                "until": date(2026, 1, 31),
            },
            "No sessions fall",
        ),
    ],
)
def test_an_invalid_pattern_is_refused_with_a_plain_message(changes, message):
    with pytest.raises(RecurrenceError, match=message):
        validate(pattern(**({"first_day": FIRST} | changes)))


@pytest.mark.parametrize(
    "changes",
    [
        {"count": 1},
        {"count": MAX_OCCURRENCES},
        {"count": None, "until": FIRST},
        {"count": None, "until": date(2029, 1, 13)},
        {"frequency": Frequency.MONTHLY_BY_DATE, "first_day": date(2026, 2, 28)},
        {"frequency": Frequency.MONTHLY_BY_WEEKDAY, "week_of_month": -1},
        {"duration": timedelta(minutes=1)},
        {"duration": timedelta(hours=12)},
    ],
)
def test_a_pattern_at_the_limits_is_accepted(changes):
    at_the_limit = pattern(**({"first_day": FIRST} | changes))
    assert validate(at_the_limit) is None
    assert 1 <= len(occurrences(at_the_limit)) <= MAX_OCCURRENCES


def test_three_years_of_weekly_sessions_fits_under_the_cap():
    assert len(occurrences(pattern(first_day=FIRST, until=date(2029, 1, 13)))) == 157


def test_an_end_date_that_would_make_too_many_sessions_is_refused(monkeypatch):
    monkeypatch.setattr(recurrence, "MAX_OCCURRENCES", 10)
    with pytest.raises(RecurrenceError, match="more than 10 sessions"):
        validate(pattern(first_day=FIRST, until=FIRST + timedelta(weeks=10)))


def test_occurrences_validates_first():
    with pytest.raises(RecurrenceError):
        occurrences(pattern(count=None))


RULES = [
    (SECOND_TUESDAYS_2026, "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20261231T235959Z"),
    (
        pattern(Frequency.MONTHLY_BY_WEEKDAY, date(2026, 1, 13), until=date(2027, 6, 30)),
        "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20270630T225959Z",
    ),
    (pattern(Frequency.FORTNIGHTLY, date(2026, 3, 5), count=10), "FREQ=WEEKLY;INTERVAL=2;COUNT=10"),
    (
        pattern(Frequency.WEEKLY, date(2026, 6, 1), until=date(2026, 6, 29)),
        "FREQ=WEEKLY;UNTIL=20260629T225959Z",
    ),
    (
        pattern(Frequency.MONTHLY_BY_WEEKDAY, date(2026, 1, 30), count=6),
        "FREQ=MONTHLY;BYDAY=-1FR;COUNT=6",
    ),
    (
        pattern(Frequency.MONTHLY_BY_DATE, date(2026, 1, 15), count=3),
        "FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3",
    ),
]


@pytest.mark.parametrize(("p", "expected"), RULES)
def test_rrule_string_for_calendar_feeds(p, expected):
    assert to_rrule_string(p) == expected


CROSS_CHECKS = [p for p, _ in RULES] + [
    pattern(
        Frequency.MONTHLY_BY_WEEKDAY, date(2026, 1, 2), week_of_month=-1, until=date(2027, 3, 31)
    ),
    pattern(Frequency.FORTNIGHTLY, date(2026, 2, 26), time(18, 30), until=date(2026, 11, 26)),
]


@pytest.mark.parametrize("p", CROSS_CHECKS)
def test_a_calendar_reading_the_rrule_string_gets_the_same_days_as_we_do(p):
    ours = local_days(p)
    # DTSTART;TZID=Europe/London is the first session; the RFC needs an aware DTSTART when
    # UNTIL is in UTC, so dateutil does too.
    dtstart = datetime.combine(ours[0], p.starts_at, tzinfo=LONDON)
    theirs = [moment.date() for moment in rrulestr(to_rrule_string(p), dtstart=dtstart)]
    assert theirs == ours


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        (
            pattern(Frequency.MONTHLY_BY_WEEKDAY, date(2026, 1, 13), until=date(2027, 6, 30)),
            "Second Tuesday of every month, 10:00 to 12:00, until 30 June 2027",
        ),
        (
            pattern(Frequency.FORTNIGHTLY, date(2026, 3, 5), time(14), count=10),
            "Every 2 weeks on Thursday, 14:00 to 16:00, 10 times",
        ),
        (
            pattern(Frequency.MONTHLY_BY_WEEKDAY, date(2026, 1, 30), time(19), count=6),
            "Last Friday of every month, 19:00 to 21:00, 6 times",
        ),
        (
            pattern(
                Frequency.WEEKLY, date(2026, 6, 1), time(9, 30), timedelta(minutes=45), count=1
            ),
            "Every Monday, 09:30 to 10:15, once",
        ),
        (
            pattern(Frequency.MONTHLY_BY_DATE, date(2026, 1, 22), time(22), count=3),
            "The 22nd of every month, 22:00 to 00:00 the next day, 3 times",
        ),
    ],
)
def test_describe_puts_the_pattern_in_plain_words(p, expected):
    assert describe(p) == expected


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (23, "23rd"),
    ],
)
def test_monthly_dates_read_as_ordinals(day, words):
    p = pattern(Frequency.MONTHLY_BY_DATE, date(2026, 1, day))
    assert describe(p).startswith(f"The {words} of every month")


def test_every_frequency_has_a_label_for_the_form():
    assert [f.label for f in Frequency] == [
        "Every week",
        "Every 2 weeks",
        "Monthly on a weekday, e.g. the second Tuesday",
        "Monthly on a date, e.g. the 15th",
    ]
