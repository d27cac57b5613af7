"""Report periods and counting rules: financial years and quarters in UK local time."""

from datetime import UTC, date, datetime

import pytest

from csp_events.events.vocabulary import EventStatus
from csp_events.reports.rules import (
    PeriodProblem,
    change,
    choose_period,
    counts_in_reports,
    custom_period,
    financial_year,
    financial_year_of,
    hours,
    percent,
    quarter,
    quarter_of,
    slice_index,
    slices,
    volunteer_minutes,
    year_before,
    year_choices,
)


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2025, 3, 31), 2024),
        (date(2025, 4, 1), 2025),
        (date(2025, 12, 31), 2025),
        (date(2026, 1, 1), 2025),
        (date(2026, 3, 31), 2025),
    ],
)
def test_the_financial_year_runs_from_april_to_march(day, year):
    assert financial_year_of(day) == year


def test_a_financial_year_starts_and_ends_at_local_midnight_in_utc():
    start, end = financial_year(2025).utc_bounds()
    # 1 April 2025 is in British Summer Time: local midnight is 23:00 UTC the day before.
    assert start == datetime(2025, 3, 31, 23, tzinfo=UTC)
    assert end == datetime(2026, 3, 31, 23, tzinfo=UTC)
    assert financial_year(2025).label == "Financial year 2025/26"


@pytest.mark.parametrize(
    ("number", "first", "last"),
    [
        (1, date(2025, 4, 1), date(2025, 6, 30)),
        (2, date(2025, 7, 1), date(2025, 9, 30)),
        (3, date(2025, 10, 1), date(2025, 12, 31)),
        (4, date(2026, 1, 1), date(2026, 3, 31)),
    ],
)
def test_quarters_are_april_to_june_and_so_on(number, first, last):
    period = quarter(2025, number)
    assert (period.first, period.last) == (first, last)


def test_quarter_three_ends_at_local_midnight_which_is_utc_midnight_in_winter():
    _start, end = quarter(2025, 3).utc_bounds()
    assert end == datetime(2026, 1, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 6, 30), (2025, 1)),
        (date(2025, 7, 1), (2025, 2)),
        (date(2025, 12, 31), (2025, 3)),
        (date(2026, 1, 1), (2025, 4)),
        (date(2026, 4, 1), (2026, 1)),
    ],
)
def test_each_day_belongs_to_one_quarter(day, expected):
    assert quarter_of(day) == expected


def test_a_session_just_after_local_midnight_on_1_april_counts_in_the_new_year():
    # 00:30 BST on 1 April 2025 is 23:30 UTC on 31 March.
    starts_at = datetime(2025, 3, 31, 23, 30, tzinfo=UTC)
    parts = slices(financial_year(2025))
    assert slice_index(starts_at, parts) == 0
    assert slice_index(starts_at, slices(financial_year(2024))) is None


def test_an_event_across_midnight_counts_on_the_day_it_starts():
    # 23:00 to 01:00 across 31 March / 1 April 2026 (BST): it belongs to 2025/26, quarter 4.
    starts_at = datetime(2026, 3, 31, 22, tzinfo=UTC)
    assert slice_index(starts_at, slices(financial_year(2025))) == 3
    assert slice_index(starts_at, slices(financial_year(2026))) is None


def test_quarter_boundary_in_winter_is_utc_midnight():
    just_before = datetime(2025, 12, 31, 23, 59, tzinfo=UTC)
    just_after = datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
    parts = slices(financial_year(2025))
    assert (slice_index(just_before, parts), slice_index(just_after, parts)) == (2, 3)


def test_a_custom_period_is_cut_at_quarter_boundaries():
    parts = slices(custom_period(date(2025, 6, 15), date(2025, 10, 2)))
    assert [(p.first, p.last) for p in parts] == [
        (date(2025, 6, 15), date(2025, 6, 30)),
        (date(2025, 7, 1), date(2025, 9, 30)),
        (date(2025, 10, 1), date(2025, 10, 2)),
    ]


def test_a_custom_period_must_end_after_it_starts_and_be_at_most_five_years():
    with pytest.raises(PeriodProblem):
        custom_period(date(2025, 5, 1), date(2025, 4, 30))
    with pytest.raises(PeriodProblem):
        custom_period(date(2015, 1, 1), date(2025, 1, 1))


@pytest.mark.parametrize("status", list(EventStatus))
def test_only_cancelled_events_are_left_out(status):
    assert counts_in_reports(status) == (status != EventStatus.CANCELLED)


def test_no_shows_give_no_hours_whatever_was_typed():
    assert volunteer_minutes(True, 150) == 150
    assert volunteer_minutes(False, 150) == 0


def test_the_year_before_a_year_or_quarter_is_named_like_it():
    assert year_before(financial_year(2025)) == financial_year(2024)
    assert year_before(quarter(2025, 4)) == quarter(2024, 4)
    leap = year_before(custom_period(date(2024, 2, 29), date(2024, 3, 1)))
    assert (leap.first, leap.last) == (date(2023, 2, 28), date(2023, 3, 1))


def test_a_request_asks_for_dates_a_quarter_a_year_or_nothing():
    today = date(2026, 11, 24)
    assert choose_period(None, None, None, None, today) == financial_year(2026)
    assert choose_period(2025, 2, None, None, today) == quarter(2025, 2)
    assert choose_period(2025, None, None, None, today) == financial_year(2025)
    with pytest.raises(PeriodProblem):
        choose_period(None, None, date(2025, 1, 1), None, today)


def test_years_offered_run_from_the_first_event_to_this_year_newest_first():
    assert year_choices(date(2023, 5, 1), date(2026, 1, 10)) == [2025, 2024, 2023]
    assert year_choices(None, date(2026, 1, 10)) == [2025]


@pytest.mark.parametrize(
    ("now", "before", "text"),
    [(12, 10, "+20%"), (5, 10, "−50%"), (3, 0, "new"), (0, 0, "no change"), (7, 7, "no change")],
)
def test_change_reads_as_people_say_it(now, before, text):
    assert change(now, before) == text


def test_percent_and_hours_are_written_for_people():
    assert percent(19, 212) == "9%"
    assert percent(3, 0) == "–"
    assert hours(150) == "2.5"
    assert hours(12150) == "202.5"
    assert hours(60 * 1200) == "1,200"
