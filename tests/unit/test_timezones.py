from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from csp_events.timezones import (
    LONDON,
    AmbiguousLocalTime,
    NonexistentLocalTime,
    local_to_utc,
    to_local,
    utcnow,
)


def test_utcnow_is_aware_utc():
    assert utcnow().utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 13), datetime(2026, 1, 13, 10, tzinfo=UTC)),
        (date(2026, 7, 14), datetime(2026, 7, 14, 9, tzinfo=UTC)),
    ],
)
def test_ten_oclock_local_is_ten_utc_in_winter_and_nine_utc_in_summer(day, expected):
    assert local_to_utc(day, time(10)) == expected


@pytest.mark.parametrize(
    ("day", "at", "expected"),
    [
        # Either side of the spring gap and the autumn overlap.
        (date(2026, 3, 29), time(0, 59), datetime(2026, 3, 29, 0, 59, tzinfo=UTC)),
        (date(2026, 3, 29), time(2, 0), datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
        (date(2026, 10, 25), time(0, 59), datetime(2026, 10, 24, 23, 59, tzinfo=UTC)),
        (date(2026, 10, 25), time(2, 0), datetime(2026, 10, 25, 2, 0, tzinfo=UTC)),
    ],
)
def test_times_just_outside_the_clock_changes_convert_normally(day, at, expected):
    assert local_to_utc(day, at) == expected


@pytest.mark.parametrize("at", [time(1, 0), time(1, 30), time(1, 59)])
def test_a_time_skipped_when_the_clocks_go_forward_is_refused(at):
    with pytest.raises(NonexistentLocalTime):
        local_to_utc(date(2026, 3, 29), at)


def test_the_spring_gap_message_names_the_time_the_day_and_the_change():
    with pytest.raises(NonexistentLocalTime) as caught:
        local_to_utc(date(2026, 3, 29), time(1, 30))
    assert str(caught.value) == (
        "1:30 does not exist on Sunday 29 March 2026: the clocks go forward from 1:00 to 2:00;"
        " choose another time"
    )


@pytest.mark.parametrize("at", [time(1, 0), time(1, 30), time(1, 59)])
def test_a_time_that_happens_twice_when_the_clocks_go_back_is_refused(at):
    with pytest.raises(AmbiguousLocalTime):
        local_to_utc(date(2026, 10, 25), at)


def test_the_autumn_overlap_message_names_the_time_and_the_day():
    with pytest.raises(AmbiguousLocalTime) as caught:
        local_to_utc(date(2026, 10, 25), time(1, 30))
    assert str(caught.value) == (
        "1:30 happens twice on Sunday 25 October 2026 because the clocks go back;"
        " choose another time"
    )


def test_clock_change_errors_are_value_errors_so_forms_can_catch_them_together():
    assert issubclass(NonexistentLocalTime, ValueError)
    assert issubclass(AmbiguousLocalTime, ValueError)


@pytest.mark.parametrize(
    ("moment", "wall"),
    [
        (datetime(2026, 1, 13, 10, tzinfo=UTC), datetime(2026, 1, 13, 10)),
        (datetime(2026, 7, 14, 9, tzinfo=UTC), datetime(2026, 7, 14, 10)),
        (datetime(2026, 7, 14, 11, tzinfo=timezone(timedelta(hours=2))), datetime(2026, 7, 14, 10)),
    ],
)
def test_to_local_shows_an_instant_as_london_wall_time(moment, wall):
    local = to_local(moment)
    assert local.tzinfo is LONDON
    assert local.replace(tzinfo=None) == wall


def test_to_local_refuses_a_naive_datetime():
    with pytest.raises(ValueError):
        to_local(datetime(2026, 1, 13, 10))
