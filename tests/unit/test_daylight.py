from datetime import date, datetime, time, timedelta

import pytest

from csp_events.places.daylight import BRENTWOOD, daylight, daylight_message, is_in_daylight
from csp_events.timezones import local_to_utc, to_local

EDINBURGH = (55.9533, -3.1883)


def session(day: date, start: time, hours: float = 1) -> tuple[datetime, datetime]:
    starts_at = local_to_utc(day, start)
    return starts_at, starts_at + timedelta(hours=hours)


def test_sunrise_and_sunset_are_aware_utc_and_in_the_right_order():
    sunrise, sunset = daylight(date(2026, 6, 21), *BRENTWOOD)
    assert sunrise.utcoffset() == timedelta(0) and sunset.utcoffset() == timedelta(0)
    assert sunrise < sunset


def test_sunrise_and_sunset_are_whole_minutes_inside_the_true_times():
    sunrise, sunset = daylight(date(2026, 11, 24), *BRENTWOOD)
    # Brentwood, 24 November 2026: sunrise 07:32:22, sunset 15:58:03 (astral).
    assert to_local(sunrise).time() == time(7, 33)
    assert to_local(sunset).time() == time(15, 58)


@pytest.mark.parametrize(
    ("day", "start", "hours", "expected"),
    [
        (date(2026, 6, 16), time(12), 1, True),
        (date(2026, 12, 15), time(16, 30), 1, False),
        (date(2026, 12, 15), time(6), 1, False),
        (date(2026, 12, 15), time(8), 7.75, True),  # 08:00 to 15:45, sunset 15:48
        (date(2026, 12, 15), time(8), 8, False),  # ends 16:00, after sunset
        (date(2026, 6, 16), time(23), 2, False),  # runs past midnight
    ],
)
def test_speedwatch_session_in_daylight(day, start, hours, expected):
    assert is_in_daylight(*session(day, start, hours), *BRENTWOOD) is expected


def test_a_session_exactly_from_sunrise_to_sunset_is_in_daylight():
    sunrise, sunset = daylight(date(2026, 12, 15), *BRENTWOOD)
    assert is_in_daylight(sunrise, sunset, *BRENTWOOD)
    assert not is_in_daylight(sunrise - timedelta(minutes=1), sunset, *BRENTWOOD)
    assert not is_in_daylight(sunrise, sunset + timedelta(minutes=1), *BRENTWOOD)


@pytest.mark.parametrize(
    ("latitude", "longitude"), [(None, None), (None, EDINBURGH[1]), (EDINBURGH[0], None)]
)
def test_a_site_without_both_coordinates_uses_brentwood(latitude, longitude):
    day = date(2026, 12, 15)
    assert daylight(day, latitude, longitude) == daylight(day, *BRENTWOOD)


def test_a_site_with_coordinates_uses_its_own_position():
    day = date(2026, 12, 15)
    edinburgh_sunrise, _ = daylight(day, *EDINBURGH)
    brentwood_sunrise, _ = daylight(day, *BRENTWOOD)
    assert edinburgh_sunrise - brentwood_sunrise > timedelta(minutes=30)


def test_an_early_session_is_daylight_in_brentwood_but_not_in_edinburgh():
    starts_at, ends_at = session(date(2026, 12, 15), time(8, 15))
    assert is_in_daylight(starts_at, ends_at, *BRENTWOOD)
    assert not is_in_daylight(starts_at, ends_at, *EDINBURGH)


def test_daylight_message_gives_local_times_for_the_day():
    assert daylight_message(date(2026, 11, 24), None, None) == (
        "Speedwatch sessions must be in daylight: on Tue 24 November 2026 "
        "that is 07:33 to 15:58 at this site."
    )


def test_daylight_message_uses_summer_time_in_june():
    assert "04:42 to 21:20" in daylight_message(date(2026, 6, 21), *BRENTWOOD)
