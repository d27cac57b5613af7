"""Booking rules for shared equipment: hours, lengths, calibration, clashes, free slots."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from ..people.rules import is_in_date
from ..people.vocabulary import QualificationKind
from ..timezones import LONDON, to_local
from .vocabulary import WEEKDAY_NAMES, ItemStatus

SLOT_STEP = timedelta(minutes=30)
SEARCH_DAYS = 14
SUGGESTIONS = 3
HANDOVER_SEARCH_DAYS = 14
# As far ahead as events may be planned; beyond it a date is a typing slip (year 9999).
LATEST_AHEAD = timedelta(days=3 * 365)


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
    import holidays  # ~40 ms to import: only booking checks need it, not every worker start

    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year))


def bank_holiday(day: date) -> str | None:
    """England's bank holiday on that day, by name, if it is one."""
    return _bank_holidays(day.year).get(day)


@dataclass(frozen=True)
class Handover:
    """When an item changes hands for a use: collected at or before it, returned at or after."""

    collect_at: datetime
    return_at: datetime
    needed: Slot

    @property
    def stretched(self) -> bool:
        """True when the handover hours move collection or return away from the use itself."""
        return (self.collect_at, self.return_at) != (self.needed.starts_at, self.needed.ends_at)


def can_hand_over_on(day: date, item: ItemFacts) -> bool:
    """The item's keepers are in on its handover weekdays, except bank holidays when closed."""
    if day.weekday() not in item.handover_weekdays:
        return False
    return not (item.closed_on_bank_holidays and bank_holiday(day))


def _wall(day: date, at: time, *, later: bool) -> datetime:
    """A wall time as UTC; a time the clocks skip or repeat resolves to the later or earlier."""
    return datetime.combine(day, at, tzinfo=LONDON).replace(fold=int(later)).astimezone(UTC)


def last_handover_by(moment: datetime, item: ItemFacts) -> datetime | None:
    """The latest time at or before `moment` the item can be collected (None: none for weeks)."""
    local = to_local(moment)
    wall = local.time().replace(tzinfo=None)
    for back in range(HANDOVER_SEARCH_DAYS + 1):
        day = local.date() - timedelta(days=back)
        if not can_hand_over_on(day, item) or (back == 0 and wall < item.opens):
            continue
        if back == 0 and wall <= item.closes:
            return moment
        return min(moment, _wall(day, item.closes, later=False))
    return None


def first_handover_from(moment: datetime, item: ItemFacts) -> datetime | None:
    """The earliest time at or after `moment` the item can be returned (None: none for weeks)."""
    local = to_local(moment)
    wall = local.time().replace(tzinfo=None)
    for ahead in range(HANDOVER_SEARCH_DAYS + 1):
        day = local.date() + timedelta(days=ahead)
        if not can_hand_over_on(day, item) or (ahead == 0 and wall > item.closes):
            continue
        if ahead == 0 and wall >= item.opens:
            return moment
        return max(moment, _wall(day, item.opens, later=True))
    return None


def handover_for(starts_at: datetime, ends_at: datetime, item: ItemFacts) -> Handover | None:
    """One booking for a use outside the handover hours: the item is collected at the last
    handover time before the use and returned at the first after it (a Sunday session: Saturday
    17:00 to Monday 08:30). None when there is no handover day within two weeks either side."""
    collect_at = last_handover_by(starts_at, item)
    return_at = first_handover_from(ends_at, item)
    if collect_at is None or return_at is None:
        return None
    return Handover(collect_at, return_at, Slot(starts_at, ends_at))


def handover_hours(item: ItemFacts) -> str:
    """'Monday to Saturday between 08:30 and 17:00, not on bank holidays'."""
    days = sorted(item.handover_weekdays)
    if not days:
        named = "No days"
    elif len(days) > 2 and days[-1] - days[0] + 1 == len(days):
        named = f"{WEEKDAY_NAMES[days[0]]} to {WEEKDAY_NAMES[days[-1]]}"
    else:
        names = [WEEKDAY_NAMES[d] for d in days]
        named = " and ".join(filter(None, [", ".join(names[:-1]), names[-1]]))
    closed = ", not on bank holidays" if item.closed_on_bank_holidays else ""
    return f"{named} between {item.opens:%H:%M} and {item.closes:%H:%M}{closed}"


def handover_note(handover: Handover, item: ItemFacts) -> str:
    """What the booker must know when the handover hours stretch a booking, in plain words."""
    if not handover.stretched:
        return ""
    collect, back = to_local(handover.collect_at), to_local(handover.return_at)
    return (
        f"It is handed over only {handover_hours(item)}, so it is collected "
        f"{collect:%a %-d %b %H:%M} and returned {back:%a %-d %b %H:%M}."
    )


def booking_problems(
    starts_at: datetime, ends_at: datetime, item: ItemFacts, now: datetime
) -> dict[str, str]:
    """Every reason this item cannot be booked for this use, keyed by form field.

    The longest booking applies to the use asked for; the stretch to the handover hours is not
    the booker's choice. Calibration must last until the real return."""
    problems: dict[str, str] = {}
    latest = now + LATEST_AHEAD
    if starts_at > latest or ends_at > latest:
        field = "start_date" if starts_at > latest else "end_date"
        # Nothing else can be worked out that far ahead (the handover search, the calendar).
        return {field: "Bookings can be made at most 3 years ahead."}
    if ends_at <= starts_at:
        problems["end_date"] = "The return must be after the collection."
    elif ends_at - starts_at > item.max_length:
        hours = int(item.max_length.total_seconds() // 3600)
        problems["end_date"] = f"This item can be booked for at most {hours} hours at a time."
    handover = handover_for(starts_at, ends_at, item)
    if handover is None:
        problems["start_time"] = (
            f"It cannot be handed over within {HANDOVER_SEARCH_DAYS} days of this time "
            f"({handover_hours(item)})."
        )
    elif handover.collect_at < now:
        when = f"{to_local(handover.collect_at):%a %-d %b %H:%M}"
        problems["start_date"] = (
            "The collection time has already passed."
            if not handover.stretched
            else f"It would have to be collected {when}, which has already passed."
        )
    if item.status != ItemStatus.AVAILABLE:
        reason = f": {item.out_of_service_reason}" if item.out_of_service_reason else ""
        problems["item"] = f"This item is out of service{reason}."
    elif item.needs_calibration:
        returned = handover.return_at if handover else ends_at
        problem = calibration_problem(item.calibration_expires_on, returned)
        if problem:
            problems["item"] = problem
    return problems


def calibration_problem(expires_on: date | None, needed_until: datetime) -> str | None:
    """A speed gun must stay in calibration until it is returned."""
    if expires_on is None:
        return "This speed gun has no calibration certificate recorded."
    if to_local(needed_until).date() > expires_on:
        return (
            f"This speed gun's calibration expires on {expires_on:%-d %B %Y}, "
            "before it would be returned."
        )
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
