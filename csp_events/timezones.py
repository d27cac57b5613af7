"""UTC for storage, Europe/London wall time for people, and the clock changes in between."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def utcnow() -> datetime:
    return datetime.now(UTC)


class NonexistentLocalTime(ValueError):
    """A wall time skipped when the clocks go forward."""


class AmbiguousLocalTime(ValueError):
    """A wall time that happens twice when the clocks go back."""


def _clock_time(at: time) -> str:
    return f"{at.hour}:{at.minute:02d}"


def _long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def local_to_utc(day: date, at: time) -> datetime:
    """The UTC instant of a Europe/London wall time, refusing times the clock changes make
    meaningless: a time that never happens, or one that happens twice."""
    wall = datetime.combine(day, at, tzinfo=LONDON)
    earlier = wall.replace(fold=0).astimezone(UTC)
    later = wall.replace(fold=1).astimezone(UTC)
    if earlier == later:
        return earlier
    if earlier.astimezone(LONDON).replace(tzinfo=None) != wall.replace(tzinfo=None):
        start, end = _gap_around(wall)
        raise NonexistentLocalTime(
            f"{_clock_time(at)} does not exist on {_long_date(day)}: the clocks go forward "
            f"from {_clock_time(start)} to {_clock_time(end)}; choose another time"
        )
    raise AmbiguousLocalTime(
        f"{_clock_time(at)} happens twice on {_long_date(day)} because the clocks go back; "
        "choose another time"
    )


def _offset(aware: datetime) -> timedelta:
    offset = aware.utcoffset()
    if offset is None:  # only a naive datetime has none, and every wall time here is London's
        raise ValueError(f"{aware} has no time zone")
    return offset


def _gap_around(wall: datetime) -> tuple[time, time]:
    """The skipped stretch of wall time containing `wall` (e.g. 1:00 to 2:00)."""
    jump = _offset(wall.replace(fold=1)) - _offset(wall.replace(fold=0))
    start = wall.replace(second=0, microsecond=0)
    # The gap is at most the size of the jump, so this walks back at most that many minutes.
    while _skipped(start - timedelta(minutes=1)):
        start -= timedelta(minutes=1)
    return start.time(), (start + jump).time()


def _skipped(wall: datetime) -> bool:
    return wall.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None) != wall.replace(tzinfo=None)


def to_local(moment: datetime) -> datetime:
    """An aware instant as Europe/London wall time; naive values are a bug, not a guess."""
    if moment.tzinfo is None:
        raise ValueError("to_local() needs an aware datetime")
    return moment.astimezone(LONDON)
