"""Recurring series: checking a pattern, expanding it into sessions, and putting it in words."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import partial
from itertools import islice

from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday

from ..timezones import AmbiguousLocalTime, NonexistentLocalTime, local_to_utc

MAX_OCCURRENCES = 200
MAX_SPAN = relativedelta(years=3)
MAX_DURATION = timedelta(hours=12)
WEEKS_OF_MONTH = (1, 2, 3, 4, -1)
LAST_MONTHLY_DATE = 28
_ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_WEEK_NAMES = {1: "First", 2: "Second", 3: "Third", 4: "Fourth", -1: "Last"}


class Frequency(StrEnum):
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY_BY_WEEKDAY = "monthly_by_weekday"
    MONTHLY_BY_DATE = "monthly_by_date"

    @property
    def label(self) -> str:
        return {
            "weekly": "Every week",
            "fortnightly": "Every 2 weeks",
            "monthly_by_weekday": "Monthly on a weekday, e.g. the second Tuesday",
            "monthly_by_date": "Monthly on a date, e.g. the 15th",
        }[self.value]


@dataclass(frozen=True)
class RecurrencePattern:
    frequency: Frequency
    first_day: date
    starts_at: time  # Europe/London wall time
    duration: timedelta
    until: date | None = None  # inclusive
    count: int | None = None
    week_of_month: int | None = None  # 1..4 or -1 for "last"; MONTHLY_BY_WEEKDAY only

    @property
    def nth(self) -> int:
        """Which weekday of the month a monthly-by-weekday series uses: the one given, else
        first_day's own position, where a 5th (e.g. 29 May) can only mean "last"."""
        if self.week_of_month is not None:
            return self.week_of_month
        nth = (self.first_day.day - 1) // 7 + 1
        return -1 if nth == 5 else nth


@dataclass(frozen=True)
class Occurrence:
    local_day: date
    starts_at: datetime  # aware UTC
    ends_at: datetime  # aware UTC


class RecurrenceError(ValueError):
    """A pattern we will not schedule; the message is shown to the organiser."""


def validate(pattern: RecurrencePattern) -> None:
    """A series ends by date or by count (not both), lasts at most 3 years and 200 sessions,
    and each session lasts more than nothing and at most 12 hours."""
    if (pattern.until is None) == (pattern.count is None):
        raise RecurrenceError("Choose an end date or a number of sessions")
    if pattern.count is not None and not 1 <= pattern.count <= MAX_OCCURRENCES:
        raise RecurrenceError(f"The number of sessions must be between 1 and {MAX_OCCURRENCES}")
    if pattern.until is not None and pattern.until < pattern.first_day:
        raise RecurrenceError("The end date must be the same as or after the first date")
    if pattern.until is not None and pattern.until > pattern.first_day + MAX_SPAN:
        raise RecurrenceError(
            f"The end date must be within {MAX_SPAN.years} years of the first date"
        )
    if pattern.frequency == Frequency.MONTHLY_BY_DATE and pattern.first_day.day > LAST_MONTHLY_DATE:
        raise RecurrenceError(
            "Monthly by date works for days 1 to 28; for the end of the month use "
            "'monthly on a weekday' with 'last'"
        )
    if pattern.week_of_month is not None and pattern.week_of_month not in WEEKS_OF_MONTH:
        raise RecurrenceError("Choose the first, second, third, fourth or last week of the month")
    if pattern.duration <= timedelta(0):
        raise RecurrenceError("The session must end after it starts")
    if pattern.duration > MAX_DURATION:
        raise RecurrenceError("A session can last at most 12 hours")
    starts = list(islice(_wall_starts(pattern), MAX_OCCURRENCES + 1))
    if not starts:
        raise RecurrenceError("No sessions fall between the first date and the end date")
    if len(starts) > MAX_OCCURRENCES:
        raise RecurrenceError(
            f"This would make more than {MAX_OCCURRENCES} sessions; choose an earlier end date"
        )


def occurrences(pattern: RecurrencePattern) -> list[Occurrence]:
    """The sessions of a valid pattern. Sessions keep their local wall time across the clock
    changes (a 10:00 surgery is 10:00Z in January and 09:00Z in July); one that would start
    or end at a time the clock change skips or repeats is refused."""
    validate(pattern)
    result = []
    for start in _wall_starts(pattern):
        end = start + pattern.duration
        try:
            result.append(
                Occurrence(
                    local_day=start.date(),
                    starts_at=local_to_utc(start.date(), start.time()),
                    ends_at=local_to_utc(end.date(), end.time()),
                )
            )
        except (NonexistentLocalTime, AmbiguousLocalTime) as error:
            raise RecurrenceError(str(error)) from error
    return result


def _wall_starts(pattern: RecurrencePattern) -> rrule:
    # Expanded over naive wall times so the clock changes cannot shift a session's hour.
    starting = partial(
        rrule,
        dtstart=datetime.combine(pattern.first_day, pattern.starts_at),
        until=None if pattern.until is None else datetime.combine(pattern.until, time.max),
        count=pattern.count,
    )
    match pattern.frequency:
        case Frequency.WEEKLY:
            return starting(WEEKLY, interval=1)
        case Frequency.FORTNIGHTLY:
            return starting(WEEKLY, interval=2)
        case Frequency.MONTHLY_BY_WEEKDAY:
            return starting(MONTHLY, byweekday=weekday(pattern.first_day.weekday(), pattern.nth))
        case Frequency.MONTHLY_BY_DATE:
            return starting(MONTHLY, bymonthday=pattern.first_day.day)


def to_rrule_string(pattern: RecurrencePattern) -> str:
    """The RFC 5545 RRULE value, for a DTSTART given in Europe/London; UNTIL is the end of the
    last local day, in UTC as the RFC requires."""
    validate(pattern)
    monthly = pattern.frequency in (Frequency.MONTHLY_BY_WEEKDAY, Frequency.MONTHLY_BY_DATE)
    parts = ["FREQ=MONTHLY" if monthly else "FREQ=WEEKLY"]
    if pattern.frequency == Frequency.FORTNIGHTLY:
        parts.append("INTERVAL=2")
    if pattern.frequency == Frequency.MONTHLY_BY_WEEKDAY:
        parts.append(f"BYDAY={pattern.nth}{_ICAL_DAYS[pattern.first_day.weekday()]}")
    if pattern.frequency == Frequency.MONTHLY_BY_DATE:
        parts.append(f"BYMONTHDAY={pattern.first_day.day}")
    if pattern.until is not None:
        last_moment = local_to_utc(pattern.until, time(23, 59, 59))
        parts.append(f"UNTIL={last_moment:%Y%m%dT%H%M%SZ}")
    else:
        parts.append(f"COUNT={pattern.count}")
    return ";".join(parts)


def describe(pattern: RecurrencePattern) -> str:
    """A valid pattern in words, e.g. "Second Tuesday of every month, 10:00 to 12:00,
    until 30 June 2027"."""
    day_name = f"{pattern.first_day:%A}"
    match pattern.frequency:
        case Frequency.WEEKLY:
            how_often = f"Every {day_name}"
        case Frequency.FORTNIGHTLY:
            how_often = f"Every 2 weeks on {day_name}"
        case Frequency.MONTHLY_BY_WEEKDAY:
            how_often = f"{_WEEK_NAMES[pattern.nth]} {day_name} of every month"
        case Frequency.MONTHLY_BY_DATE:
            how_often = f"The {_ordinal(pattern.first_day.day)} of every month"
    start = datetime.combine(pattern.first_day, pattern.starts_at)
    end = start + pattern.duration
    hours = f"{start:%H:%M} to {end:%H:%M}"
    if end.date() > start.date():
        hours += " the next day"
    if pattern.until is not None:
        ending = f"until {pattern.until.day} {pattern.until:%B %Y}"
    else:
        ending = "once" if pattern.count == 1 else f"{pattern.count} times"
    return f"{how_often}, {hours}, {ending}"


def _ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
