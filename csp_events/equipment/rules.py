"""Booking rules for shared equipment: hours, lengths, calibration, clashes, free slots."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

import holidays

from ..people.kinds import QualificationKind
from ..people.rules import is_in_date
from ..timezones import to_local
from .kinds import WEEKDAY_NAMES, ItemStatus

SLOT_STEP = timedelta(minutes=30)
SEARCH_DAYS = 14
SUGGESTIONS = 3


@dataclass(frozen=True)
class ItemFacts:
    status: ItemStatus
    out_of_service_reason: str
    needs_calibration: bool
    calibration_expires_on: date | None
    buffer: timedelta
    max_length: timedelta
    handover_weekdays: frozenset[int]
    opens: time
    closes: time
    closed_on_bank_holidays: bool


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime


@cache
def _bank_holidays(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year))


def bank_holiday(day: date) -> str | None:
    """England's bank holiday on that day, by name, if it is one."""
    return _bank_holidays(day.year).get(day)


def handover_problem(moment: datetime, item: ItemFacts, what: str) -> str | None:
    """Collection and return happen only when the item's keepers are there to hand it over."""
    local = to_local(moment)
    open_days = ", ".join(WEEKDAY_NAMES[d] for d in sorted(item.handover_weekdays)) or "no days"
    hours = f"{item.opens:%H:%M} to {item.closes:%H:%M}"
    if local.weekday() not in item.handover_weekdays:
        return f"The {what} must be on a day it can be handed over ({open_days}), {hours}."
    holiday = bank_holiday(local.date()) if item.closed_on_bank_holidays else None
    if holiday:
        return f"The {what} falls on a bank holiday ({holiday}), when it cannot be handed over."
    if not item.opens <= local.time().replace(tzinfo=None) <= item.closes:
        return f"The {what} must be between {hours}."
    return None


def booking_problems(
    starts_at: datetime, ends_at: datetime, item: ItemFacts, now: datetime
) -> dict[str, str]:
    """Every reason this item cannot be booked for this time, keyed by form field."""
    problems: dict[str, str] = {}
    if starts_at < now:
        problems["start_date"] = "The collection time has already passed."
    if ends_at <= starts_at:
        problems["end_date"] = "The return must be after the collection."
    elif ends_at - starts_at > item.max_length:
        hours = int(item.max_length.total_seconds() // 3600)
        problems["end_date"] = f"This item can be booked for at most {hours} hours at a time."
    for field, moment, what in (
        ("start_time", starts_at, "collection"),
        ("end_time", ends_at, "return"),
    ):
        problem = handover_problem(moment, item, what)
        if problem:
            problems.setdefault(field, problem)
    if item.status != ItemStatus.AVAILABLE:
        reason = f": {item.out_of_service_reason}" if item.out_of_service_reason else ""
        problems["item"] = f"This item is out of service{reason}."
    elif item.needs_calibration:
        problem = calibration_problem(item.calibration_expires_on, ends_at)
        if problem:
            problems["item"] = problem
    return problems


def calibration_problem(expires_on: date | None, needed_until: datetime) -> str | None:
    """A speed gun must stay in calibration until it is returned."""
    if expires_on is None:
        return "This speed gun has no calibration certificate recorded."
    if to_local(needed_until).date() > expires_on:
        return f"This speed gun's calibration expires on {expires_on:%-d %B %Y}, before it would be returned."
    return None


def blocks(starts_at: datetime, ends_at: datetime, buffer: timedelta) -> Slot:
    """The time a booking keeps an item from others: its own time plus the handover buffer."""
    return Slot(starts_at, ends_at + buffer)


def clashes(wanted: Slot, taken: Iterable[Slot]) -> list[Slot]:
    """Taken slots that overlap the wanted one (touching ends do not overlap)."""
    return [s for s in taken if wanted.starts_at < s.ends_at and s.starts_at < wanted.ends_at]


def nearest_free_slots(
    wanted: Slot,
    is_bookable: Callable[[Slot], bool],
    count: int = SUGGESTIONS,
    search_days: int = SEARCH_DAYS,
) -> list[Slot]:
    """The free slots of the same length closest in time to the wanted one, earliest first."""
    length = wanted.ends_at - wanted.starts_at
    found: list[Slot] = []
    steps = int(timedelta(days=search_days) / SLOT_STEP)
    for step in range(1, steps + 1):
        for direction in (1, -1):
            start = wanted.starts_at + direction * step * SLOT_STEP
            candidate = Slot(start, start + length)
            if is_bookable(candidate):
                found.append(candidate)
                if len(found) == count:
                    return sorted(found, key=lambda s: s.starts_at)
    return sorted(found, key=lambda s: s.starts_at)


def is_overdue(due_back_at: datetime, returned_at: datetime | None, now: datetime) -> bool:
    return returned_at is None and due_back_at < now


def booker_problem(
    is_coordinator: bool,
    volunteers_may_book: bool,
    required: QualificationKind | None,
    expiries: dict,
    on_day: date,
) -> str | None:
    """The coordinator may book anything; volunteers only items open to them, when qualified."""
    if is_coordinator:
        return None
    if not volunteers_may_book:
        return "Only the coordinator can book this item."
    if required is not None and not is_in_date(expiries.get(required), on_day):
        return f"Booking this item needs {required.label} in date on {on_day:%-d %B %Y}."
    return None
