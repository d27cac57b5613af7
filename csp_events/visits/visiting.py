"""Visits: arranging a pair of volunteers, lone-working check-in and out, and the outcome."""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..auth.roles import Role
from ..database import rows_matched
from ..errors import DomainError
from ..events.kinds import EventKind, EventStatus
from ..events.models import Event
from ..extensions import db
from ..people.rules import describe_missing
from ..signups.kinds import SignupStatus
from ..signups.models import Signup
from ..signups.rules import first_clash
from ..signups.services import clash_message, other_bookings, qualification_problems_for
from ..timezones import to_local, utcnow
from .audit import audit
from .kinds import Advice, AuditAction, Measure, OnwardReferral, ReferralStatus
from .models import Referral, ReferralStep, VisitMeasure, VisitOutcome, VisitSafetyCheck
from .rules import (
    VISITING_PAIR,
    SafetyFacts,
    check_out_problem,
    is_overdue_to_leave,
    may_check_in,
    may_schedule_visit,
    pair_problems,
)
from .services import visit_facts

LONGEST_VISIT = timedelta(hours=4)
CHECK_IN_EARLY = timedelta(hours=1)


class VisitRefused(DomainError):
    pass


def new_home_visit(
    referral: Referral,
    starts_at: datetime,
    ends_at: datetime,
    status: EventStatus = EventStatus.CONFIRMED,
) -> Event:
    """A visit as everyone outside the referral sees it: "Home visit" and the postcode district,
    never public, for a pair."""
    return Event(
        title="Home visit",
        kind=EventKind.HOME_VISIT,
        starts_at=starts_at,
        ends_at=ends_at,
        area=referral.postcode_district,
        min_volunteers=VISITING_PAIR,
        max_volunteers=VISITING_PAIR,
        is_public=False,
        status=status,
        referral_id=referral.id,
        notes="",
    )


def _volunteers(ids: list[int]) -> dict[int, User]:
    rows = db.session.execute(
        db.select(User)
        .where(User.id.in_(ids), User.role == Role.VOLUNTEER, User.active.is_(True))
        .options(selectinload(User.qualifications))
    ).scalars()
    return {u.id: u for u in rows}


def schedule_visit(
    referral: Referral,
    starts_at: datetime,
    ends_at: datetime,
    volunteer_ids: list[int],
    *,
    by: User,
) -> Event:
    """A visit needs two different volunteers, each with home-visit training and a DBS check in
    date on the day, free at that time. It shows only as 'Home visit' and the postcode district."""
    if not may_schedule_visit(referral.status):
        raise VisitRefused(
            "Record that the resident has been contacted before arranging a visit.", "start_date"
        )
    if referral.details is None:
        raise VisitRefused("This resident's details have been removed.", "start_date")
    if ends_at <= starts_at:
        raise VisitRefused("The end time must be after the start time.", "end_time")
    if ends_at - starts_at > LONGEST_VISIT:
        raise VisitRefused("A home visit can last at most 4 hours.", "end_time")
    if starts_at <= utcnow():
        raise VisitRefused("Choose a time that is still to come.", "start_date")
    visit = new_home_visit(referral, starts_at, ends_at)
    people = _volunteers([v for v in volunteer_ids if v is not None])
    day = to_local(starts_at).date()
    missing = {}
    for vid in volunteer_ids:
        person = people.get(vid) if vid is not None else None
        if vid is not None and person is None:
            missing[vid] = "Choose volunteers from the list."
        elif person is not None:
            lacks = qualification_problems_for(person, visit)
            clash = first_clash(starts_at, ends_at, other_bookings(person, visit))
            if lacks:
                missing[vid] = f"{person.name}: {describe_missing(lacks, day)}"
            elif clash is not None:
                missing[vid] = clash_message(clash, f"{person.name} is")
    problems = pair_problems(volunteer_ids, missing)
    if problems:
        raise VisitRefused(" ".join(problems), "volunteers")
    db.session.add(visit)
    for vid in volunteer_ids:
        db.session.add(
            Signup(event=visit, user=people[vid], status=SignupStatus.CONFIRMED, added_by_id=by.id)
        )
    if referral.status != ReferralStatus.VISIT_SCHEDULED:
        referral.status = ReferralStatus.VISIT_SCHEDULED
        referral.steps.append(ReferralStep(status=referral.status, at=utcnow(), by_id=by.id))
    db.session.flush()
    audit(AuditAction.SCHEDULE, actor=by, referral_id=referral.id, detail=f"visit {visit.id}")
    db.session.commit()
    return visit


def grace() -> timedelta:
    return timedelta(minutes=current_app.config["LONE_WORKING_GRACE_MINUTES"])


def _assigned(visit: Event, person: User) -> bool:
    return any(s.user_id == person.id and s.status == SignupStatus.CONFIRMED for s in visit.signups)


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
    if visit.kind != EventKind.HOME_VISIT or not _assigned(visit, person):
        raise VisitRefused("Only the volunteers on this visit can check in to it.")
    if not may_check_in(visit_facts(visit), utcnow(), CHECK_IN_EARLY):
        raise VisitRefused("You can mark your arrival from an hour before the visit.")
    check = _check_for(visit, person)
    check.arrived_at = check.arrived_at or utcnow()
    db.session.commit()
    return check


def mark_left_safely(visit: Event, person: User) -> VisitSafetyCheck:
    if visit.kind != EventKind.HOME_VISIT or not _assigned(visit, person):
        raise VisitRefused("Only the volunteers on this visit can check out of it.")
    return _record_left(visit, person, by=None)


def confirm_safe(visit: Event, volunteer_id: int, *, by: User) -> User:
    """The coordinator has reached a volunteer who forgot to check out, and they are safe."""
    person = db.session.get(User, volunteer_id)
    if person is None or not _assigned(visit, person):
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


def overdue_visits(now: datetime, looking_back: timedelta = timedelta(days=30)) -> list[Event]:
    """Visits whose volunteers have not all left safely by the end plus the grace period."""
    visits = list(
        db.session.execute(
            db.select(Event)
            .where(
                Event.kind == EventKind.HOME_VISIT,
                Event.status != EventStatus.CANCELLED,
                Event.ends_at < now - grace(),
                Event.ends_at > now - looking_back,
            )
            .options(selectinload(Event.signups).selectinload(Signup.user))
            .order_by(Event.ends_at)
        ).scalars()
    )
    checks = safety_checks([v.id for v in visits])
    return [
        v
        for v in visits
        if is_overdue_to_leave(
            visit_facts(v),
            [
                SafetyFacts(c.user_id, c.arrived_at, c.left_at)
                for c in checks.get(v.id, {}).values()
            ],
            now,
            grace(),
        )
    ]


def may_record_outcome(visit: Event, person: User) -> bool:
    """Once the visit has begun, by the coordinator or a volunteer on it: recording moves
    the referral to 'visited', which must not happen before anyone has been."""
    return visit.starts_at <= utcnow() and (
        person.role == Role.COORDINATOR or _assigned(visit, person)
    )


def may_see_outcome_page_later(visit: Event, person: User) -> bool:
    """Someone who will be able to record the outcome once the visit begins."""
    return person.role == Role.COORDINATOR or _assigned(visit, person)


def record_outcome(
    visit: Event,
    *,
    measures: list[Measure],
    advice: list[Advice],
    onward: list[OnwardReferral],
    follow_up_needed: bool,
    note: str,
    by: User,
) -> VisitOutcome:
    """Recording what the visit did moves the referral to 'visited'."""
    if visit.kind != EventKind.HOME_VISIT or not may_record_outcome(visit, by):
        raise VisitRefused(
            "Only the visiting volunteers, once the visit has begun, or the coordinator can record its outcome."
        )
    if visit.status == EventStatus.CANCELLED:
        raise VisitRefused("This visit was cancelled.")
    outcome = db.session.get(VisitOutcome, visit.id) or VisitOutcome(event_id=visit.id)
    outcome.measures = measures
    outcome.advice_codes = ",".join(Advice(a).value for a in advice)
    outcome.onward_codes = ",".join(OnwardReferral(o).value for o in onward)
    outcome.follow_up_needed = follow_up_needed
    if note.strip() or by.role == Role.COORDINATOR:
        outcome.note = note.strip() or None  # a volunteer (who cannot read it) never blanks it
    outcome.recorded_by_id = by.id
    db.session.add(outcome)
    visit.status = EventStatus.COMPLETED
    referral = db.session.get(Referral, visit.referral_id) if visit.referral_id else None
    if referral is not None:
        if referral.status == ReferralStatus.VISIT_SCHEDULED:
            referral.status = ReferralStatus.VISITED
            referral.steps.append(ReferralStep(status=referral.status, at=utcnow(), by_id=by.id))
        audit(AuditAction.OUTCOME, actor=by, referral_id=referral.id, detail=f"visit {visit.id}")
    db.session.commit()
    return outcome


def measures_fitted(since: datetime, until: datetime) -> dict[Measure, int]:
    """How many of each measure visits starting in a period fitted, counted by the database
    (anonymous rows, so the figures outlive purged resident details)."""
    rows = db.session.execute(
        db.select(VisitMeasure.measure, db.func.count())
        .join(Event, Event.id == VisitMeasure.event_id)
        .where(
            Event.starts_at >= since,
            Event.starts_at < until,
            Event.status != EventStatus.CANCELLED,
        )
        .group_by(VisitMeasure.measure)
    ).all()
    return {measure: count for measure, count in rows}
