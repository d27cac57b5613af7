"""Signing up, withdrawing, and the waiting list moving up."""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..auth.roles import Role
from ..changes.bus import publish
from ..errors import DomainError
from ..events.models import Event
from ..events.services import qualification_gaps
from ..events.vocabulary import EventKind, EventStatus
from ..extensions import db
from ..people.rules import describe_missing
from ..timezones import to_local, utcnow
from .messages import PlacePromoted, VolunteerAdded, VolunteerRemoved
from .models import Signup
from .rules import (
    Booking,
    WaitingVolunteer,
    first_clash,
    next_to_promote,
    status_for_new_signup,
    volunteer_may_withdraw,
    withdrawal_deadline,
)
from .vocabulary import SignupStatus

ACTIVE = (SignupStatus.CONFIRMED, SignupStatus.WAITLISTED)


class NotQualified(DomainError):
    pass


class SessionClash(DomainError):
    pass


class SignupRefused(DomainError):
    pass


qualification_problems_for = qualification_gaps


def _lock(event_id: int, user_id: int) -> tuple[Event, User]:
    """Row locks (PostgreSQL) so concurrent sign-ups cannot overfill a session.

    SQLite write requests already hold the database write lock (BEGIN IMMEDIATE).
    Always event first, then person, so two requests never wait on each other in a circle.
    Held against other changes to the rows (FOR NO KEY UPDATE), not against rows that only
    refer to them: FOR UPDATE made a notice to a volunteer another sign-up held wait for it,
    and two such sign-ups waited on each other (a deadlock, one told "busy").
    """
    db.session.expire_all()  # anything read before the lock may be stale
    event = db.session.execute(
        db.select(Event).where(Event.id == event_id).with_for_update(key_share=True)
    ).scalar_one()
    person = db.session.execute(
        db.select(User).where(User.id == user_id).with_for_update(key_share=True)
    ).scalar_one()
    return event, person


def _places_overlapping(event: Event, user_ids, statuses, *columns) -> Select:
    """`columns` of these people's places (in `statuses`) on other sessions, not cancelled,
    that overlap `event` (touching ones do not: rules.overlaps)."""
    return (
        db.select(*columns)
        .select_from(Signup)
        .join(Event, Event.id == Signup.event_id)
        .where(
            Signup.user_id.in_(user_ids),
            Signup.status.in_(statuses),
            Event.id != event.id,
            Event.status != EventStatus.CANCELLED,
            Event.starts_at < event.ends_at,
            Event.ends_at > event.starts_at,
        )
    )


def other_bookings(person: User, event: Event, statuses=ACTIVE) -> list[Booking]:
    rows = db.session.execute(
        _places_overlapping(event, [person.id], statuses, Event, Signup.status)
    )
    return [
        Booking(e.id, e.title, e.starts_at, e.ends_at, status == SignupStatus.WAITLISTED)
        for e, status in rows
    ]


def clash_message(clash: Booking, who: str = "you are") -> str:
    """`who` is "you are" to the volunteer themself, or e.g. "Ann Smith is" to the coordinator."""
    when = to_local(clash.starts_at)
    place = "on the waiting list for" if clash.waiting else "signed up for"
    return (
        f"This overlaps “{clash.title}” on {when:%a %-d %b at %H:%M}, which {who} already {place}."
    )


def sign_up(event: Event, person: User, *, by: User, override_reason: str = "") -> Signup:
    """Join a session: in date qualifications, no overlapping session, a place or the waiting list.

    Volunteers sign themselves up before the session starts. The coordinator may add anyone,
    and may knowingly override missing qualifications by giving a reason.
    """
    event, person = _lock(event.id, person.id)
    by_coordinator = by.role == Role.COORDINATOR
    if person.role != Role.VOLUNTEER or not person.active:
        raise SignupRefused("Only active volunteers can be signed up for sessions.")
    if event.status in (EventStatus.CANCELLED, EventStatus.COMPLETED):
        raise SignupRefused(f"This session is {event.status.label.lower()}.")
    if not by_coordinator and event.starts_at <= utcnow():
        raise SignupRefused("This session has already started.")
    existing = next((s for s in event.signups if s.user_id == person.id), None)
    if existing is not None and existing.status in ACTIVE:
        raise SignupRefused(
            f"{'You are' if by.id == person.id else person.name + ' is'} already "
            f"on this session ({existing.status.label.lower()})."
        )
    if event.kind == EventKind.HOME_VISIT and not by_coordinator:
        raise SignupRefused("Home visits are arranged by the coordinator, in pairs.")
    missing = qualification_problems_for(person, event)
    # No override for home visits: a resident is never visited by someone untrained or unchecked.
    may_override = by_coordinator and event.kind != EventKind.HOME_VISIT
    if missing and not (may_override and override_reason.strip()):
        raise NotQualified(describe_missing(missing, to_local(event.starts_at).date()))
    clash = first_clash(event.starts_at, event.ends_at, other_bookings(person, event))
    if clash is not None:
        raise SessionClash(
            clash_message(clash, "you are" if by.id == person.id else f"{person.name} is")
        )
    confirmed = sum(1 for s in event.signups if s.status == SignupStatus.CONFIRMED)
    signup = existing or Signup(event=event, user=person)
    signup.status = status_for_new_signup(confirmed, event.max_volunteers)
    signup.queued_at = utcnow()
    signup.added_by_id = by.id
    signup.override_reason = override_reason.strip() if missing else ""
    signup.promoted_at = None
    db.session.add(signup)
    if by.id != person.id:
        db.session.flush()
        publish(VolunteerAdded(signup, by))
    db.session.commit()
    return signup


def withdraw(event: Event, person: User, *, by: User, reason: str = "") -> Signup:
    """Leave a session; the first eligible volunteer on the waiting list takes the place.

    Volunteers withdraw themselves until the withdrawal deadline; after that, and for anyone
    else, only the coordinator can change the roster. The coordinator removing someone after
    the deadline says why: the reason is kept on the roster and told to the volunteer.
    """
    event, person = _lock(event.id, person.id)
    signup = next((s for s in event.signups if s.user_id == person.id and s.status in ACTIVE), None)
    if signup is None:
        raise SignupRefused("Not signed up for this session.")
    by_coordinator = by.role == Role.COORDINATOR
    late = is_late_to_withdraw(event)
    if not by_coordinator:
        if by.id != person.id:
            raise SignupRefused("Only the coordinator can change someone else's place.")
        if event.kind == EventKind.HOME_VISIT:
            raise SignupRefused(
                "Home visits are made in pairs: ask the coordinator, who will find someone "
                "to take your place."
            )
        if late:
            raise SignupRefused(
                "It is too close to the session to withdraw here. Please contact the coordinator."
            )
    removed = by.id != person.id
    if removed and late and not reason.strip():
        raise SignupRefused(
            "Say why you are removing them: it is this close to the session, so the reason is "
            "kept on the roster and sent to them.",
            field="reason",
        )
    was_confirmed = signup.status == SignupStatus.CONFIRMED
    signup.status = SignupStatus.REMOVED if removed else SignupStatus.WITHDRAWN
    signup.removal_reason = reason.strip()[:500] if removed else ""
    if was_confirmed:
        promote_waiting(event)
    db.session.flush()
    if removed:
        publish(VolunteerRemoved(signup, by, signup.removal_reason, late))
    db.session.commit()
    return signup


def promote_waiting(event: Event) -> list[Signup]:
    """Fill free places from the waiting list, earliest first, skipping anyone now ineligible.
    Each person moved up is announced at once (they are told within the minute)."""
    promoted: list[Signup] = []
    waiting = {s.id: s for s in event.signups if s.status == SignupStatus.WAITLISTED}
    free = event.max_volunteers - sum(1 for s in event.signups if s.is_confirmed)
    if free <= 0 or not waiting:
        return promoted
    # Moving someone up here makes no clash for anyone else: one look serves every place.
    eligible = _eligible_to_move_up(list(waiting.values()), event)
    while len(promoted) < free:
        candidate = next_to_promote(
            [WaitingVolunteer(s.id, s.queued_at, eligible[s.id]) for s in waiting.values()]
        )
        if candidate is None:
            break
        signup = waiting.pop(candidate.signup_id)
        signup.status = SignupStatus.CONFIRMED
        signup.promoted_at = utcnow()
        promoted.append(signup)
    if promoted:
        db.session.flush()
    for signup in promoted:
        publish(PlacePromoted(signup))
    return promoted


def _eligible_to_move_up(waiting: list[Signup], event: Event) -> dict[int, bool]:
    """Signup id -> whether its volunteer may take a place now: qualified by the session's day
    (or knowingly let off by the coordinator) and on no confirmed place that overlaps it.
    Two queries however long the waiting list (a query per person made each withdrawal from
    a full session with a long list the slowest request under load)."""
    ids = {s.user_id for s in waiting}
    people = {
        person.id: person
        for person in db.session.execute(
            db.select(User).where(User.id.in_(ids)).options(selectinload(User.qualifications))
        ).scalars()
    }
    confirmed = (SignupStatus.CONFIRMED,)
    clashing = set(
        db.session.execute(_places_overlapping(event, ids, confirmed, Signup.user_id)).scalars()
    )
    return {
        s.id: s.user_id not in clashing
        and (not qualification_problems_for(people[s.user_id], event) or bool(s.override_reason))
        for s in waiting
    }


def withdrawal_hours() -> int:
    return current_app.config["WITHDRAWAL_CLOSES_HOURS"]


def is_late_to_withdraw(event: Event) -> bool:
    return not volunteer_may_withdraw(event.starts_at, utcnow(), withdrawal_hours())


def withdraw_by(event: Event) -> datetime:
    return withdrawal_deadline(event.starts_at, withdrawal_hours())


def sessions_needing_people(now: datetime, days_ahead: int = 90) -> list[Event]:
    """Upcoming sessions that take volunteers and still have places (or need more). Home
    visits are not among them: the coordinator chooses each visit's pair."""
    return list(
        db.session.execute(
            db.select(Event)
            .where(
                Event.starts_at > now,
                Event.starts_at < now + timedelta(days=days_ahead),
                Event.status.in_((EventStatus.PLANNED, EventStatus.CONFIRMED)),
                Event.max_volunteers > 0,
                Event.kind != EventKind.HOME_VISIT,
            )
            .options(selectinload(Event.venue), selectinload(Event.site))
            .order_by(Event.starts_at)
        ).scalars()
    )


def upcoming_places(person: User, now: datetime) -> list[Signup]:
    """The person's places (confirmed or waiting) on sessions still to come."""
    return list(
        db.session.scalars(
            db.select(Signup)
            .join(Signup.event)
            .where(
                Signup.user_id == person.id,
                Signup.status.in_(ACTIVE),
                Event.starts_at > now,
                Event.status.in_((EventStatus.PLANNED, EventStatus.CONFIRMED)),
            )
            .options(selectinload(Signup.event).selectinload(Event.signups))
        )
    )


def my_signups(person: User, since: datetime) -> list[Signup]:
    return list(
        db.session.execute(
            db.select(Signup)
            .join(Signup.event)
            .where(Signup.user_id == person.id, Signup.status.in_(ACTIVE), Event.ends_at > since)
            .options(
                selectinload(Signup.event).selectinload(Event.venue),
                selectinload(Signup.event).selectinload(Event.site),
            )
            .order_by(Event.starts_at)
        ).scalars()
    )


def with_roster_counts(events: Select[Event]) -> list[tuple[Event, dict[SignupStatus, int]]]:
    """The events a query selects, each with its confirmed and waiting counts: the counts ride
    along in the same query (one indexed count per event), so a page pays one round trip."""
    counted = {
        status: select(func.count())
        .where(Signup.event_id == Event.id, Signup.status == status)
        .correlate(Event)
        .scalar_subquery()
        for status in ACTIVE
    }
    rows = db.session.execute(events.add_columns(*counted.values()))
    return [(event, dict(zip(counted, numbers, strict=True))) for event, *numbers in rows]


def roster_counts(event_ids: list[int]) -> dict[int, dict[SignupStatus, int]]:
    """Confirmed and waiting counts per event, in one query."""
    counts: dict[int, dict[SignupStatus, int]] = {i: {} for i in event_ids}
    if not event_ids:
        return counts
    rows = db.session.execute(
        select(Signup.event_id, Signup.status, func.count())
        .where(Signup.event_id.in_(event_ids))
        .group_by(Signup.event_id, Signup.status)
    )
    for event_id, status, n in rows:
        counts[event_id][SignupStatus(status)] = n
    return counts
