"""Asking for cover in one step, and the first "I can do it" taking the place."""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..auth.roles import Role
from ..availability.services import people_away
from ..errors import DomainError
from ..events.models import Event
from ..events.services import confirmed_count, qualification_gaps
from ..events.vocabulary import EventKind, EventStatus
from ..extensions import db
from ..mail.links import external_url
from ..notices.enums import NoticeKind
from ..notices.services import enqueue
from ..signups.rules import first_clash
from ..signups.services import is_late_to_withdraw, other_bookings, sign_up
from ..timezones import utcnow
from .models import CoverOffer, CoverRequest
from .rules import OfferState, needs_cover, offer_state

SALT = "csp-events cover offer"


class CoverRefused(DomainError):
    pass


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def offer_token(offer: CoverOffer) -> str:
    return _signer().dumps(offer.id)


def offer_link(offer: CoverOffer) -> str:
    return external_url("cover.offer", token=offer_token(offer))


def offer_for(token: str) -> CoverOffer | None:
    """The offer a link was made for, or None for anything altered or made up."""
    try:
        offer_id = _signer().loads(token)
    except BadSignature:
        return None
    if not isinstance(offer_id, int):
        return None
    return db.session.get(CoverOffer, offer_id)


def short_of_people(event: Event, now: datetime) -> bool:
    return needs_cover(
        confirmed=confirmed_count(event),
        minimum=event.min_volunteers,
        starts_at=event.starts_at,
        now=now,
        inside_cut_off=is_late_to_withdraw(event),
        taking_volunteers=event.kind != EventKind.HOME_VISIT
        and event.status in (EventStatus.PLANNED, EventStatus.CONFIRMED),
    )


@dataclass(frozen=True)
class CoverPanel:
    can_ask: bool
    open_request: CoverRequest | None


def panel(event: Event, now: datetime) -> CoverPanel | None:
    """What the coordinator sees on a short session: the button, and any request under way.
    A session that is not short costs no query."""
    if not short_of_people(event, now):
        return None
    return CoverPanel(can_ask=True, open_request=open_request(event))


def candidates(event: Event) -> list[User]:
    """Active volunteers not on the session (nor taken off or withdrawn from it), trained for
    it on the day, free at the time and not away (see availability/)."""
    on_it = {s.user_id for s in event.signups}
    people = db.session.scalars(
        db.select(User)
        .where(User.role == Role.VOLUNTEER, User.active.is_(True))
        .options(selectinload(User.qualifications))
        .order_by(User.name)
    ).all()
    away = people_away({p.id for p in people}, event.starts_at, event.ends_at)
    return [
        person
        for person in people
        if person.id not in on_it
        and person.id not in away
        and not qualification_gaps(person, event)
        and first_clash(event.starts_at, event.ends_at, other_bookings(person, event)) is None
    ]


def open_request(event: Event) -> CoverRequest | None:
    return db.session.scalars(
        db.select(CoverRequest)
        .where(CoverRequest.event_id == event.id, CoverRequest.filled_by_id.is_(None))
        .order_by(CoverRequest.id.desc())
        .options(selectinload(CoverRequest.offers))
    ).first()


def ask_for_cover(event: Event, *, by: User) -> list[User]:
    """Offer the place to everyone who could take it; each gets an email with their own link.
    Asking again adds whoever has become free since, to the same request: nobody is asked
    twice, and one request can only be filled once."""
    if not short_of_people(event, utcnow()):
        raise CoverRefused("This session is not short of volunteers inside the cut-off.")
    request = open_request(event) or CoverRequest(event_id=event.id, asked_by_id=by.id)
    already = {offer.user_id for offer in request.offers}
    asked = [person for person in candidates(event) if person.id not in already]
    if not asked:
        raise CoverRefused(
            "Everyone trained for this session and free at that time has been asked already."
            if already
            else "Nobody else is trained for this session and free at that time."
        )
    offers = [CoverOffer(user_id=person.id) for person in asked]
    request.offers.extend(offers)
    db.session.add(request)
    db.session.flush()
    for offer in offers:
        enqueue(NoticeKind.COVER_REQUEST, {offer.user_id}, event.id, link=offer_link(offer))
    db.session.commit()
    return asked


def state_of(offer: CoverOffer, now: datetime) -> OfferState:
    event = offer.request.event
    live = event.status in (EventStatus.PLANNED, EventStatus.CONFIRMED) and now < event.starts_at
    if offer.answered_at is not None:
        return OfferState.YOURS
    return offer_state(
        filled_by=offer.request.filled_by_id,
        person=offer.user_id,
        session_live=live,
        short=confirmed_count(event) < event.min_volunteers,
    )


def _locked(model, row_id: int):
    """The row, locked (PostgreSQL) and read afresh, whatever this session loaded before."""
    return db.session.execute(
        db.select(model)
        .where(model.id == row_id)
        .with_for_update(key_share=True)  # rows that only refer to it are not held up
        .execution_options(populate_existing=True)
    ).scalar_one()


def accept(offer: CoverOffer) -> OfferState:
    """The first acceptances take the places still short (the session's row is locked while
    it is decided, event first as every sign-up does); any later one is told the place has
    been taken, and nothing changes."""
    event = _locked(Event, offer.request.event_id)
    request = _locked(CoverRequest, offer.request_id)
    offer = _locked(CoverOffer, offer.id)
    db.session.refresh(event, ["signups"])
    state = state_of(offer, utcnow())
    if state != OfferState.OPEN:
        db.session.rollback()
        return state
    person = offer.user  # users are never deleted, so the offer's person is always there
    offer.answered_at = utcnow()
    if confirmed_count(event) + 1 >= event.min_volunteers:
        request.filled_by_id, request.filled_at = person.id, utcnow()
    db.session.flush()
    try:
        sign_up(event, person, by=person)  # every rule of a sign-up still applies
    except DomainError:
        db.session.rollback()
        raise
    return OfferState.YOURS
