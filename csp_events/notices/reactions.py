"""Which change tells whom: people on a session, partners named on it, someone moved up or
taken off. Queued in the change's own transaction (see services.py)."""

from sqlalchemy import event as orm_events
from sqlalchemy.orm import Session

from ..changes.bus import subscribe
from ..events.messages import EventChanged, EventScheduled
from ..events.models import Event
from ..events.vocabulary import EventKind
from ..extensions import db
from ..signups.messages import PlacePromoted, VolunteerAdded, VolunteerRemoved
from ..signups.vocabulary import SignupStatus
from .enums import NoticeKind
from .services import enqueue

ON_THE_SESSION = (SignupStatus.CONFIRMED, SignupStatus.WAITLISTED)


def people_on(event: Event) -> set[int]:
    """Volunteers confirmed or waiting, and partner officers named as attending."""
    volunteers = {s.user_id for s in event.signups if s.status in ON_THE_SESSION}
    return volunteers | {p.id for p in event.partner_officers}


def _promoted_in_this_change() -> set[tuple[int, int]]:
    return db.session.info.setdefault("notices_promoted", set())


def tell_of_event_change(message: EventChanged) -> None:
    """Someone moved up in this same change hears "You have a place" (with the new details),
    not that as well."""
    event, before = message.event, message.before
    was = {
        "was_start": before.starts_at.isoformat(),
        "was_end": before.ends_at.isoformat(),
        "was_place": before.place if message.place_changed else "",
    }
    acting = {message.by.id} if message.by is not None else set()
    promoted = {user for event_id, user in _promoted_in_this_change() if event_id == event.id}
    everyone = people_on(event) - acting - promoted
    # A whole series changed at once tells each person once, of all its sessions.
    series = event.series_id
    if message.cancelled:
        enqueue(NoticeKind.SESSION_CANCELLED, everyone, event.id, group=series, **was)
        return
    if message.reinstated:
        enqueue(NoticeKind.SESSION_REINSTATED, everyone, event.id, group=series, **was)
    elif message.moved or message.place_changed:
        enqueue(NoticeKind.SESSION_MOVED, everyone, event.id, group=series, **was)
    if not event.is_cancelled and message.newly_named_partner_ids:
        enqueue(NoticeKind.PARTNER_NAMED, message.newly_named_partner_ids - acting, event.id)
    if not event.is_cancelled and message.unnamed_partner_ids:
        enqueue(NoticeKind.PARTNER_UNNAMED, message.unnamed_partner_ids - acting, event.id)


def tell_partners_named_at_scheduling(message: EventScheduled) -> None:
    event, acting = message.event, {message.by.id} if message.by is not None else set()
    named = {p.id for p in event.partner_officers} - acting
    if named:
        enqueue(NoticeKind.PARTNER_NAMED, named, event.id)


def tell_of_addition(message: VolunteerAdded) -> None:
    signup = message.signup
    waiting = signup.status == SignupStatus.WAITLISTED
    enqueue(NoticeKind.ADDED, {signup.user_id}, signup.event_id, waiting=waiting)


def tell_of_promotion(message: PlacePromoted) -> None:
    _promoted_in_this_change().add((message.signup.event_id, message.signup.user_id))
    enqueue(NoticeKind.PLACE_PROMOTED, {message.signup.user_id}, message.signup.event_id)


def tell_of_removal(message: VolunteerRemoved) -> None:
    signup = message.signup
    # A reason typed about a home visit may name the resident: it stays on the roster only.
    reason = "" if signup.event.kind == EventKind.HOME_VISIT else message.reason
    enqueue(NoticeKind.REMOVED, {signup.user_id}, signup.event_id, reason=reason)


def subscribe_to_changes() -> None:
    subscribe(EventChanged, tell_of_event_change)
    subscribe(PlacePromoted, tell_of_promotion)
    subscribe(VolunteerRemoved, tell_of_removal)
    subscribe(EventScheduled, tell_partners_named_at_scheduling)
    subscribe(VolunteerAdded, tell_of_addition)


@orm_events.listens_for(Session, "after_commit")
@orm_events.listens_for(Session, "after_rollback")
def _forget_promotions(session: Session) -> None:
    session.info.pop("notices_promoted", None)
