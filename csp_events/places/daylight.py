"""Sunrise and sunset at a site, because Speedwatch sessions may only run in daylight."""

from datetime import UTC, date, datetime, timedelta

from astral import Observer
from astral.sun import sun

from ..timezones import to_local

BRENTWOOD = (51.6215, 0.3057)  # town centre: used when a site has no coordinates yet
_MINUTE = timedelta(minutes=1)


def daylight(
    day: date, latitude: float | None, longitude: float | None
) -> tuple[datetime, datetime]:
    """Aware UTC sunrise and sunset on `day`, rounded inwards to whole minutes so the times we
    show ("07:33 to 15:58") are exactly the times we enforce."""
    if latitude is None or longitude is None:
        latitude, longitude = BRENTWOOD
    times = sun(Observer(latitude=latitude, longitude=longitude), date=day, tzinfo=UTC)
    sunrise = times["sunrise"].replace(second=0, microsecond=0)
    if sunrise < times["sunrise"]:
        sunrise += _MINUTE
    sunset = times["sunset"].replace(second=0, microsecond=0)
    return sunrise, sunset


def is_in_daylight(
    starts_at: datetime, ends_at: datetime, latitude: float | None, longitude: float | None
) -> bool:
    """A session is in daylight when it starts at or after sunrise and ends at or before
    sunset on its own local day; one that runs past midnight never is."""
    local_day = to_local(starts_at).date()
    if to_local(ends_at).date() != local_day:
        return False
    sunrise, sunset = daylight(local_day, latitude, longitude)
    return sunrise <= starts_at and ends_at <= sunset


def daylight_message(day: date, latitude: float | None, longitude: float | None) -> str:
    sunrise, sunset = (to_local(moment) for moment in daylight(day, latitude, longitude))
    return (
        f"Speedwatch sessions must be in daylight: on {day:%a} {day.day} {day:%B %Y} "
        f"that is {sunrise:%H:%M} to {sunset:%H:%M} at this site."
    )
