"""Availability rules: is a volunteer away for a session, and is an absence sensible."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..timezones import to_local
from .vocabulary import AbsenceKind

LONGEST_ABSENCE = timedelta(days=366)


@dataclass(frozen=True)
class Away:
    """One absence as plain values: a date range (inclusive), or a weekday (0 = Monday)."""

    kind: AbsenceKind
    first_day: date | None = None
    last_day: date | None = None
    weekday: int | None = None


def session_days(starts_at: datetime, ends_at: datetime) -> list[date]:
    """The London dates a session touches; one ending at midnight does not touch the next day."""
    first = to_local(starts_at).date()
    last = to_local(max(starts_at, ends_at - timedelta(microseconds=1))).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def is_away(absences: Iterable[Away], starts_at: datetime, ends_at: datetime) -> bool:
    """A volunteer is away for a session if any day of it falls in a date range they are
    away, or on a weekday they never do."""
    days = session_days(starts_at, ends_at)
    for away in absences:
        if away.kind == AbsenceKind.WEEKDAY:
            if any(day.weekday() == away.weekday for day in days):
                return True
        elif (
            away.first_day is not None  # a date range has both ends
            and away.last_day is not None
            and any(away.first_day <= day <= away.last_day for day in days)
        ):
            return True
    return False


def absence_problems(
    kind: AbsenceKind, first_day: date | None, last_day: date | None, today: date
) -> dict[str, str]:
    """A date range must end on or after it starts, not be over already, and last at most a
    year (a longer absence is better said by making the account inactive)."""
    if kind != AbsenceKind.DATES:
        return {}
    if first_day is None:
        return {"first_day": "Enter the first day you are away"}
    if last_day is None:
        return {"last_day": "Enter the last day you are away"}
    if last_day < first_day:
        return {"last_day": "The last day must be the same as or after the first day"}
    if last_day < today:
        return {"last_day": "The last day has passed: enter dates from today on"}
    if last_day - first_day > LONGEST_ABSENCE:
        return {"last_day": "An absence can last at most a year; ask the coordinator if longer"}
    return {}
