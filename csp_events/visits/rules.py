"""Home-visit rules: visiting in pairs and lone working (checking in and out safely).

Pure functions over plain values: the clock is passed in.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..timezones import to_local

VISITING_PAIR = 2


@dataclass(frozen=True)
class VisitFacts:
    starts_at: datetime
    ends_at: datetime
    cancelled: bool
    volunteer_ids: frozenset[int] = field(default_factory=frozenset)


def pair_problems(volunteer_ids: Sequence[int | None], missing: dict[int, str]) -> list[str]:
    """No lone visits: two different volunteers, both with home-visit training and DBS in date.

    `missing` maps a chosen volunteer's id to what they lack on the visit's date.
    """
    chosen = [v for v in volunteer_ids if v is not None]
    if len(chosen) < VISITING_PAIR:
        return ["Choose two volunteers: home visits are never made alone."]
    if len(set(chosen)) < len(chosen):
        return ["Choose two different volunteers."]
    return [missing[v] for v in chosen if v in missing]


@dataclass(frozen=True)
class SafetyFacts:
    user_id: int
    arrived_at: datetime | None
    left_at: datetime | None


def is_overdue_to_leave(
    visit: VisitFacts, checks: Iterable[SafetyFacts], now: datetime, grace: timedelta
) -> bool:
    """A visit is overdue when its grace period has passed and a volunteer has not left safely."""
    if visit.cancelled or now <= visit.ends_at + grace:
        return False
    left = {c.user_id for c in checks if c.left_at is not None}
    return any(volunteer not in left for volunteer in visit.volunteer_ids)


def may_check_in(visit: VisitFacts, now: datetime, early: timedelta) -> bool:
    """'Arrived' is accepted from a little before the visit until the day is well over."""
    return not visit.cancelled and visit.starts_at - early <= now <= visit.ends_at + timedelta(
        hours=12
    )


def check_out_problem(
    visit: VisitFacts,
    now: datetime,
    arrived_at: datetime | None,
    left_at: datetime | None,
    *,
    by_coordinator: bool = False,
) -> str | None:
    """'Left safely' comes after the visit has begun and (from the volunteer) after 'arrived';
    once recorded, it and who confirmed it are never rewritten: it is the record of the
    volunteer being safe. The coordinator confirms for a volunteer who forgot both."""
    if left_at is not None:
        return (
            f"Leaving safely was already recorded at {to_local(left_at):%H:%M}; it stays as it is."
        )
    if now < visit.starts_at:
        return "Leaving safely can be recorded once the visit has begun."
    if arrived_at is None and not by_coordinator:
        return "Mark that you have arrived first."
    return None
