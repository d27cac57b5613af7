"""Who a message reaches: the people on a session or a series, or volunteers chosen by
qualification or ward. Only people with accounts; never a home visit's session."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..auth.roles import Role
from ..errors import DomainError
from ..events.models import Event, EventSeries
from ..events.vocabulary import EventKind
from ..extensions import db
from ..people.models import Qualification
from ..people.vocabulary import QualificationKind
from ..signups.models import Signup
from ..signups.vocabulary import SignupStatus
from ..templating import local_datetime
from .enums import AudienceKind, RosterPart

PARTS = {
    RosterPart.CONFIRMED: (SignupStatus.CONFIRMED,),
    RosterPart.WAITING: (SignupStatus.WAITLISTED,),
    RosterPart.BOTH: (SignupStatus.CONFIRMED, SignupStatus.WAITLISTED),
}


@dataclass(frozen=True)
class Audience:
    kind: AudienceKind
    event_id: int | None = None
    series_id: int | None = None
    part: RosterPart = RosterPart.BOTH
    qualification: QualificationKind | None = None
    ward: str = ""


class AudienceRefused(DomainError):
    pass


def _volunteers():
    return (
        db.select(User)
        .where(User.role == Role.VOLUNTEER, User.active.is_(True))
        .options(selectinload(User.qualifications))
        .order_by(User.name)
    )


def _on_events(event_filter, part: RosterPart):
    return (
        db.select(User)
        .join(Signup, Signup.user_id == User.id)
        .join(Event, Event.id == Signup.event_id)
        .where(event_filter, Signup.status.in_(PARTS[part]), User.active.is_(True))
        .distinct()
        .order_by(User.name)
    )


def resolve(audience: Audience, today: date, now: datetime) -> tuple[str, list[User], int | None]:
    """(who, in words; the people; the session it is about, if one)."""
    match audience.kind:
        case AudienceKind.SESSION:
            event = db.session.get(Event, audience.event_id or 0)
            if event is None:
                raise AudienceRefused("Choose a session.", field="event_id")
            if event.kind == EventKind.HOME_VISIT:
                raise AudienceRefused(
                    "Home visits are arranged with the pair directly, never by a message.",
                    field="event_id",
                )
            people = db.session.scalars(_on_events(Event.id == event.id, audience.part)).all()
            words = f"{audience.part.label} on {event.title}, {local_datetime(event.starts_at)}"
            return words, list(people), event.id
        case AudienceKind.SERIES:
            series = db.session.get(EventSeries, audience.series_id or 0)
            if series is None:
                raise AudienceRefused("Choose a series.", field="series_id")
            upcoming = (Event.series_id == series.id) & (Event.starts_at > now)
            people = db.session.scalars(_on_events(upcoming, audience.part)).all()
            return f"{audience.part.label} on {series.title} (sessions to come)", list(people), None
        case AudienceKind.QUALIFICATION:
            kind = audience.qualification
            if kind is None:
                raise AudienceRefused("Choose a qualification.", field="qualification")
            holders = _volunteers().where(
                User.qualifications.any(
                    (Qualification.kind == kind) & (Qualification.expires_on >= today)
                )
            )
            return f"Volunteers with {kind.label} in date", list(db.session.scalars(holders)), None
        case AudienceKind.WARD:
            ward = audience.ward.strip()
            if not ward:
                raise AudienceRefused("Choose a ward.", field="ward")
            people = db.session.scalars(_volunteers().where(User.ward == ward)).all()
            return f"Volunteers in {ward} ward", list(people), None
        case AudienceKind.ALL_VOLUNTEERS:
            return "Every active volunteer", list(db.session.scalars(_volunteers())), None
    raise AudienceRefused("Choose who the message is for.", field="audience")


def wards() -> list[str]:
    rows = db.session.scalars(
        db.select(User.ward)
        .where(User.role == Role.VOLUNTEER, User.active.is_(True), User.ward != "")
        .distinct()
        .order_by(User.ward)
    )
    return list(rows)


def upcoming_sessions(now: datetime) -> list[Event]:
    return list(
        db.session.scalars(
            db.select(Event)
            .where(Event.starts_at > now, Event.kind != EventKind.HOME_VISIT)
            .order_by(Event.starts_at)
            .limit(300)
        )
    )


def all_series() -> list[EventSeries]:
    return list(db.session.scalars(db.select(EventSeries).order_by(EventSeries.title)))
