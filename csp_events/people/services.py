"""Volunteer and partner records, and the qualifications that gate sessions."""

from datetime import date, timedelta

from sqlalchemy.orm import contains_eager, selectinload

from ..auth.models import User
from ..auth.roles import Role
from ..auth.services import find_user_by_email, normalise_email
from ..changes.bus import publish
from ..errors import DomainError
from ..extensions import db
from .messages import QualificationsChanged
from .models import Qualification
from .rules import EXPIRY_WARNING
from .vocabulary import QualificationKind


def people(role: Role | None = None) -> list[User]:
    query = db.select(User).options(selectinload(User.qualifications)).order_by(User.name)
    if role is not None:
        query = query.where(User.role == role)
    return list(db.session.execute(query).scalars())


def update_details(
    person: User, *, name: str, email: str, phone: str, ward: str, organisation: str
) -> None:
    other = find_user_by_email(email)
    if other is not None and other.id != person.id:
        raise DomainError("Someone else already has this email address.", field="email")
    person.name, person.email = name.strip(), normalise_email(email)
    person.phone, person.ward, person.organisation = (
        phone.strip(),
        ward.strip(),
        organisation.strip(),
    )
    db.session.commit()


def record_qualification(
    person: User,
    *,
    kind: QualificationKind,
    obtained_on: date,
    expires_on: date,
    reference: str,
    recorded_by: User,
) -> Qualification:
    """One record per kind: recording it again renews it with the new dates."""
    if person.role != Role.VOLUNTEER:
        raise DomainError("Qualifications are recorded for volunteers.", field="kind")
    existing = next((q for q in person.qualifications if q.kind == kind), None)
    qualification = existing or Qualification(kind=kind)
    if existing is None:
        db.session.add(qualification)
        person.qualifications.append(qualification)
    qualification.obtained_on, qualification.expires_on = obtained_on, expires_on
    qualification.reference, qualification.recorded_by_id = reference.strip(), recorded_by.id
    _publish_change(person, recorded_by)
    db.session.commit()
    return qualification


def qualification_of(person: User, qualification_id: int) -> Qualification | None:
    return next((q for q in person.qualifications if q.id == qualification_id), None)


def remove_qualification(person: User, qualification_id: int, *, by: User) -> None:
    """Places the person no longer qualifies for are given up (see signups/reactions.py)."""
    qualification = qualification_of(person, qualification_id)
    if qualification is None:
        raise DomainError("That qualification is not on this person's record.")
    db.session.delete(qualification)
    _publish_change(person, by)
    db.session.commit()


def _publish_change(person: User, by: User) -> None:
    db.session.flush()
    db.session.expire(person, ["qualifications"])
    publish(QualificationsChanged(person, by))


def expiring_qualifications(today: date) -> list[Qualification]:
    """Active volunteers' qualifications expiring within 30 days or already expired."""
    return list(
        db.session.execute(
            db.select(Qualification)
            .join(Qualification.user)
            .where(User.active.is_(True), Qualification.expires_on <= today + EXPIRY_WARNING)
            .where(Qualification.expires_on >= today - timedelta(days=365))
            .options(contains_eager(Qualification.user))  # the join above already has it
            .order_by(Qualification.expires_on)
        ).scalars()
    )


def coordinators_to_contact() -> list[User]:
    """The active coordinators, whose details volunteers are given when they need a person."""
    return list(
        db.session.execute(
            db.select(User)
            .where(User.role == Role.COORDINATOR, User.active.is_(True))
            .order_by(User.name)
        ).scalars()
    )


def person_or_404(person_id: int) -> User:
    return db.get_or_404(User, person_id)


def find_person(person_id: int | None) -> User | None:
    return db.session.get(User, person_id) if person_id else None


def active_people() -> list[User]:
    """Everyone who can sign in, by name: who may collect or return equipment."""
    return list(
        db.session.execute(
            db.select(User).where(User.active.is_(True)).order_by(User.name)
        ).scalars()
    )
