"""What is due now, read from the database and judged by the rules (one query per kind)."""

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import func

from ..auth.models import User
from ..auth.roles import Role
from ..equipment.models import EquipmentCheckout, EquipmentItem
from ..equipment.vocabulary import EquipmentKind
from ..events.models import Event
from ..events.vocabulary import EventStatus
from ..extensions import db
from ..signups.models import Signup
from ..signups.vocabulary import SignupStatus
from ..timezones import to_local
from .rules import (
    Due,
    before_session_due,
    calibration_due_soon,
    moment_key,
    return_overdue,
    understaffed_soon,
)

LIVE = (EventStatus.PLANNED, EventStatus.CONFIRMED)


def _confirmed_places(now: datetime, until: datetime):
    return (
        db.select(Signup.user_id, Event.id, Event.starts_at, Signup.promoted_at)
        .join(Signup.event)
        .join(User, User.id == Signup.user_id)
        .where(
            Signup.status == SignupStatus.CONFIRMED,
            User.active.is_(True),
            Event.status.in_(LIVE),
            Event.starts_at > now,
            Event.starts_at <= until,
        )
    )


def before_session(kind: str, hours: int, now: datetime) -> list[Due]:
    rows = db.session.execute(_confirmed_places(now, now + timedelta(hours=hours))).all()
    return [
        Due(kind, event_id, user_id, moment_key(starts_at))
        for user_id, event_id, starts_at, _promoted in rows
        if before_session_due(starts_at, now, hours)
    ]


def session_first(kind: str, now: datetime, config: Mapping) -> list[Due]:
    return before_session(kind, config["REMINDER_HOURS_BEFORE"], now)


def session_second(kind: str, now: datetime, config: Mapping) -> list[Due]:
    return before_session(kind, config["SECOND_REMINDER_HOURS_BEFORE"], now)


def return_overdue_to_holder(kind: str, now: datetime, _config: Mapping) -> list[Due]:
    rows = db.session.execute(
        db.select(
            EquipmentCheckout.id, EquipmentCheckout.collected_by_id, EquipmentCheckout.due_back_at
        )
        .join(User, User.id == EquipmentCheckout.collected_by_id)
        .where(
            User.active.is_(True),
            EquipmentCheckout.returned_at.is_(None),
            EquipmentCheckout.due_back_at < now,
        )
    ).all()
    return [
        Due(kind, checkout_id, holder_id, moment_key(due_back_at))
        for checkout_id, holder_id, due_back_at in rows
        if return_overdue(due_back_at, None, now)
    ]


def _coordinators() -> list[int]:
    return list(
        db.session.execute(
            db.select(User.id).where(User.role == Role.COORDINATOR, User.active.is_(True))
        ).scalars()
    )


def understaffed(kind: str, now: datetime, config: Mapping) -> list[Due]:
    hours = config["UNDERSTAFFED_HOURS_AHEAD"]
    confirmed = (
        db.select(func.count(Signup.id))
        .where(Signup.event_id == Event.id, Signup.status == SignupStatus.CONFIRMED)
        .scalar_subquery()
    )
    rows = db.session.execute(
        db.select(Event.id, Event.starts_at, Event.min_volunteers, confirmed).where(
            Event.status.in_(LIVE),
            Event.min_volunteers > 0,
            Event.starts_at > now,
            Event.starts_at <= now + timedelta(hours=hours),
        )
    ).all()
    short = [
        (event_id, starts_at)
        for event_id, starts_at, minimum, count in rows
        if understaffed_soon(starts_at, now, hours, count, minimum)
    ]
    coordinators = _coordinators() if short else []
    return [
        Due(kind, event_id, coordinator_id, moment_key(starts_at))
        for event_id, starts_at in short
        for coordinator_id in coordinators
    ]


def calibration(kind: str, now: datetime, config: Mapping) -> list[Due]:
    today, days = to_local(now).date(), config["CALIBRATION_WARNING_DAYS"]
    rows = db.session.execute(
        db.select(EquipmentItem.id, EquipmentItem.calibration_expires_on).where(
            EquipmentItem.kind == EquipmentKind.SPEED_GUN,
            EquipmentItem.calibration_expires_on <= today + timedelta(days=days),
        )
    ).all()
    due = [
        (item_id, expires)
        for item_id, expires in rows
        if calibration_due_soon(expires, today, days)
    ]
    coordinators = _coordinators() if due else []
    return [
        Due(kind, item_id, coordinator_id, expires.isoformat())
        for item_id, expires in due
        for coordinator_id in coordinators
    ]


def visit_overdue(kind: str, now: datetime, config: Mapping) -> list[Due]:
    """Home visits whose volunteers have not all left safely after the grace period (lone
    working): every coordinator hears once per visit."""
    from ..visits.lone_working import overdue_visits

    overdue = overdue_visits(now)
    coordinators = _coordinators() if overdue else []
    return [
        Due(kind, visit.id, coordinator_id, moment_key(visit.ends_at))
        for visit in overdue
        for coordinator_id in coordinators
    ]
