"""Rules for outcomes: who may record one, hours, Speedwatch counts, and what is never kept."""

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..auth.roles import Role
from ..events.vocabulary import EventKind, EventStatus

LONGEST_SHIFT_MINUTES = 24 * 60
HIGHEST_BELIEVABLE_SPEED = 200

_HOURS = re.compile(r"^\s*(\d{1,2})(?:[.,](\d{1,2})|:([0-5]\d))?\s*$")


class HoursProblem(ValueError):
    """Typed hours that cannot be read."""


def enforcement_threshold(speed_limit: int) -> int:
    """The speed at which Community Speedwatch reports a driver: the limit + 10% + 2 mph
    (the NPCC guideline: 35 mph on a 30 road, 24 on a 20, 46 on a 40)."""
    return math.ceil(speed_limit * 1.1 - 1e-9) + 2


def outcome_refusal(
    role: Role,
    *,
    confirmed_on_roster: bool,
    status: EventStatus,
    starts_at: datetime,
    now: datetime,
) -> str | None:
    """Why this person may not record the event's outcome now, or None when they may.

    The coordinator may, once the event has started; so may a volunteer who was signed up
    (confirmed) for it. Partner officers read reports but do not record outcomes."""
    if status == EventStatus.CANCELLED:
        return "This event was cancelled, so there is no outcome to record."
    if now < starts_at:
        return "You can record the outcome once the event has started."
    if role == Role.COORDINATOR:
        return None
    if role == Role.VOLUNTEER and confirmed_on_roster:
        return None
    return "Only the coordinator or a volunteer who was signed up can record this outcome."


def outcome_overdue(
    *, ends_at: datetime, now: datetime, status: EventStatus, has_outcome: bool, days: int
) -> bool:
    """An event that ended more than `days` ago, was not cancelled, and has no outcome yet."""
    return (
        status != EventStatus.CANCELLED and not has_outcome and ends_at < now - timedelta(days=days)
    )


def parse_hours(text: str) -> int:
    """Hours typed as 2, 2.5 or 2:30, as whole minutes (at most a day)."""
    match = _HOURS.match(text or "")
    if not match:
        raise HoursProblem("Enter hours like 2, 2.5 or 2:30")
    whole, decimal, minutes = match[1], match[2], match[3]
    total = int(whole) * 60
    if decimal:
        total += round(int(decimal) * 60 / 10 ** len(decimal))
    elif minutes:
        total += int(minutes)
    if total > LONGEST_SHIFT_MINUTES:
        raise HoursProblem("Enter at most 24 hours")
    return total


def hours_text(minutes: int) -> str:
    """Minutes as the hours a form shows: 150 -> '2:30', 120 -> '2'."""
    whole, rest = divmod(minutes, 60)
    return f"{whole}:{rest:02d}" if rest else str(whole)


def attendance_problem(attended: bool, minutes: int | None) -> str | None:
    if attended and not minutes:
        return "Enter the hours they gave, or choose ‘Did not come’"
    return None


@dataclass(frozen=True)
class SpeedwatchCounts:
    vehicles_checked: int | None
    vehicles_over_threshold: int | None
    highest_speed_mph: int | None
    threshold_mph: int


def speedwatch_problems(counts: SpeedwatchCounts) -> dict[str, str]:
    """Counts that cannot all be true at once. Keys are the form's field names."""
    problems: dict[str, str] = {}
    checked, over, top = (
        counts.vehicles_checked,
        counts.vehicles_over_threshold,
        counts.highest_speed_mph,
    )
    if checked is None:
        problems["vehicles_checked"] = "Enter how many vehicles were checked"
    if over is None:
        problems["vehicles_over_threshold"] = "Enter how many were at or over the threshold"
    if checked is not None and over is not None and over > checked:
        problems["vehicles_over_threshold"] = (
            "Vehicles at or over the threshold cannot be more than the vehicles checked"
        )
    if top is not None:
        if not 1 <= top <= HIGHEST_BELIEVABLE_SPEED:
            problems["highest_speed_mph"] = (
                f"Enter a speed from 1 to {HIGHEST_BELIEVABLE_SPEED} mph"
            )
        elif over and top < counts.threshold_mph:
            problems["highest_speed_mph"] = (
                f"Some vehicles were at or over {counts.threshold_mph} mph, so the highest speed "
                f"cannot be below {counts.threshold_mph}"
            )
        elif over == 0 and top >= counts.threshold_mph:
            problems["highest_speed_mph"] = (
                f"The highest speed is at or over {counts.threshold_mph} mph: count that vehicle "
                "as at or over the threshold"
            )
        elif checked == 0:
            problems["highest_speed_mph"] = "No vehicles were checked, so leave this empty"
    elif over:
        problems["highest_speed_mph"] = "Enter the highest speed seen"
    return problems


def uses_audience(kind: EventKind) -> bool:
    return kind in (EventKind.ROADSHOW, EventKind.POP_UP, EventKind.OTHER_ENGAGEMENT)


def counts_people(kind: EventKind) -> bool:
    """A home visit reaches one household: its outcome is recorded by the visit itself."""
    return kind != EventKind.HOME_VISIT
