"""Lone working: a visiting volunteer's 'arrived' and 'left safely', and visits overdue to leave."""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy.orm import joinedload

from ..auth.models import User
from ..database import rows_matched
from ..events.models import Event
from ..events.vocabulary import EventKind, EventStatus
from ..extensions import db
from ..signups.models import Signup
from ..timezones import utcnow
from .models import VisitSafetyCheck
from .rules import SafetyFacts, check_out_problem, is_overdue_to_leave, may_check_in
from .services import VisitRefused, is_on_visit, visit_facts

CHECK_IN_EARLY = timedelta(hours=1)


def grace() -> timedelta:
    return timedelta(minutes=current_app.config["LONE_WORKING_GRACE_MINUTES"])


def _check_for(visit: Event, person: User) -> VisitSafetyCheck:
    check = db.session.execute(
        db.select(VisitSafetyCheck).where(
            VisitSafetyCheck.event_id == visit.id, VisitSafetyCheck.user_id == person.id
        )
    ).scalar_one_or_none()
    if check is None:
        check = VisitSafetyCheck(event_id=visit.id, user_id=person.id)
        db.session.add(check)
    return check


def mark_arrived(visit: Event, person: User) -> VisitSafetyCheck:
    if visit.kind != EventKind.HOME_VISIT or not is_on_visit(visit, person):
        raise VisitRefused("Only the volunteers on this visit can check in to it.")
    if not may_check_in(visit_facts(visit), utcnow(), CHECK_IN_EARLY):
        raise VisitRefused("You can mark your arrival from an hour before the visit.")
    check = _check_for(visit, person)
    check.arrived_at = check.arrived_at or utcnow()
    db.session.commit()
    return check


def mark_left_safely(visit: Event, person: User) -> VisitSafetyCheck:
    if visit.kind != EventKind.HOME_VISIT or not is_on_visit(visit, person):
        raise VisitRefused("Only the volunteers on this visit can check out of it.")
    return _record_left(visit, person, by=None)


def confirm_safe(visit: Event, volunteer_id: int, *, by: User) -> User:
    """The coordinator has reached a volunteer who forgot to check out, and they are safe."""
    person = db.session.get(User, volunteer_id)
    if person is None or not is_on_visit(visit, person):
        raise VisitRefused("That volunteer is not on this visit.")
    _record_left(visit, person, by=by)
    return person


def _record_left(visit: Event, person: User, *, by: User | None) -> VisitSafetyCheck:
    """'Left safely' is written once: the update only lands on a check not yet checked out, so
    a coordinator's confirmation racing the volunteer's own check-out cannot relabel it."""
    check, now = _check_for(visit, person), utcnow()
    problem = check_out_problem(
        visit_facts(visit), now, check.arrived_at, check.left_at, by_coordinator=by is not None
    )
    if problem:
        db.session.rollback()
        raise VisitRefused(problem)
    if check.id is None:
        check.left_at, check.confirmed_by_id = now, by.id if by else None
    else:
        written = rows_matched(
            db.session.execute(
                db.update(VisitSafetyCheck)
                .where(VisitSafetyCheck.id == check.id, VisitSafetyCheck.left_at.is_(None))
                .values(left_at=now, confirmed_by_id=by.id if by else None)
            )
        )
        if not written:
            db.session.rollback()
            raise VisitRefused("Leaving safely was already recorded; it stays as it is.")
    db.session.commit()
    return check


def safety_checks(visit_ids: list[int]) -> dict[int, dict[int, VisitSafetyCheck]]:
    if not visit_ids:
        return {}
    rows = db.session.execute(
        db.select(VisitSafetyCheck).where(VisitSafetyCheck.event_id.in_(visit_ids))
    ).scalars()
    by_visit: dict[int, dict[int, VisitSafetyCheck]] = {}
    for check in rows:
        by_visit.setdefault(check.event_id, {})[check.user_id] = check
    return by_visit


def is_overdue(visit: Event, checks: dict[int, VisitSafetyCheck], now: datetime) -> bool:
    """Whether a volunteer on the visit has not left safely by its end plus the grace period."""
    return is_overdue_to_leave(
        visit_facts(visit),
        [SafetyFacts(c.user_id, c.arrived_at, c.left_at) for c in checks.values()],
        now,
        grace(),
    )


def overdue_visits(now: datetime, looking_back: timedelta = timedelta(days=30)) -> list[Event]:
    """Visits whose volunteers have not all left safely by the end plus the grace period."""
    return [
        visit
        for visit, checks in visits_with_checks(now - looking_back, now - grace())
        if is_overdue(visit, checks, now)
    ]


def visits_with_checks(
    ended_after: datetime, ended_before: datetime
) -> list[tuple[Event, dict[int, VisitSafetyCheck]]]:
    """Home visits (not cancelled) that ended in the window, soonest ended first, each with
    its roster (and their people) and its safety checks by volunteer. One query."""
    rows = db.session.execute(
        db.select(Event, VisitSafetyCheck)
        .outerjoin(VisitSafetyCheck, VisitSafetyCheck.event_id == Event.id)
        .where(
            Event.kind == EventKind.HOME_VISIT,
            Event.status != EventStatus.CANCELLED,
            Event.ends_at < ended_before,
            Event.ends_at > ended_after,
        )
        .options(joinedload(Event.signups).joinedload(Signup.user))
        .order_by(Event.ends_at, Event.id)
    ).unique()
    visits: dict[int, Event] = {}
    checks: dict[int, dict[int, VisitSafetyCheck]] = {}
    for visit, check in rows:
        visits.setdefault(visit.id, visit)
        if check is not None:
            checks.setdefault(visit.id, {})[check.user_id] = check
    return [(visit, checks.get(visit.id, {})) for visit in visits.values()]
