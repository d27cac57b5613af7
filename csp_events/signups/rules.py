"""Sign-up rules: capacity, the waiting list, clashes and when volunteers may withdraw."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from .vocabulary import SignupStatus


def overlaps(start_a: datetime, end_a: datetime, start_b: datetime, end_b: datetime) -> bool:
    """Intervals that only touch (one ends as the other starts) do not overlap."""
    return start_a < end_b and start_b < end_a


@dataclass(frozen=True)
class Booking:
    """A session the volunteer already holds a place on (or waits for)."""

    event_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    waiting: bool = False  # a place on the waiting list, not (yet) a confirmed one


def first_clash(
    starts_at: datetime, ends_at: datetime, others: Iterable[Booking]
) -> Booking | None:
    """A volunteer cannot be signed up for two overlapping sessions."""
    for other in sorted(others, key=lambda b: b.starts_at):
        if overlaps(starts_at, ends_at, other.starts_at, other.ends_at):
            return other
    return None


def status_for_new_signup(confirmed_count: int, capacity: int) -> SignupStatus:
    """Places are filled up to capacity; later sign-ups join the waiting list."""
    return SignupStatus.CONFIRMED if confirmed_count < capacity else SignupStatus.WAITLISTED


@dataclass(frozen=True)
class WaitingVolunteer:
    signup_id: int
    queued_at: datetime
    eligible: bool


def next_to_promote(waiting: Sequence[WaitingVolunteer]) -> WaitingVolunteer | None:
    """The earliest-queued volunteer who can still take the place (qualified, no clash)."""
    for candidate in sorted(waiting, key=lambda w: (w.queued_at, w.signup_id)):
        if candidate.eligible:
            return candidate
    return None


def withdrawal_deadline(starts_at: datetime, closes_hours: int) -> datetime:
    return starts_at - timedelta(hours=closes_hours)


def volunteer_may_withdraw(starts_at: datetime, now: datetime, closes_hours: int) -> bool:
    """Volunteers withdraw themselves until the deadline; after it only the coordinator can."""
    return now < withdrawal_deadline(starts_at, closes_hours)


def understaffed(confirmed_count: int, minimum: int) -> bool:
    return confirmed_count < minimum
