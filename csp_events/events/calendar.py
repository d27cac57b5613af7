"""The calendar's shape: which month or weeks to show, and the days of a month grid."""

import calendar as pycalendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from ..timezones import local_to_utc, to_local

AGENDA_DAYS = 42


@dataclass
class CalendarDay:
    day: date
    in_month: bool
    events: list = field(default_factory=list)


def parse_month(text: str | None, today: date) -> date:
    """'2026-03' → 1 March 2026; anything unreadable or absurd falls back to this month."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        first = date(year, month, 1)
    except ValueError:
        return today.replace(day=1)
    return first if abs(first.year - today.year) <= 5 else today.replace(day=1)


def shift_month(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def grid_span(first: date) -> tuple[date, date]:
    """The first and last day the month's grid shows: whole weeks, Monday to Sunday, so the
    neighbouring months' days at either end are shown (muted) with their events too."""
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    return weeks[0][0], weeks[-1][-1]


def month_grid(first: date, events: list) -> list[list[CalendarDay]]:
    """Weeks Monday to Sunday covering the month, each day holding its events in order."""
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    by_day: dict[date, list] = {}
    for event in events:
        by_day.setdefault(to_local(event.starts_at).date(), []).append(event)
    return [
        [CalendarDay(d, d.month == first.month, by_day.get(d, [])) for d in week] for week in weeks
    ]


def utc_window(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """From local midnight on the first day to local midnight after the last."""
    return local_to_utc(first_day, time(0)), local_to_utc(last_day + timedelta(days=1), time(0))
