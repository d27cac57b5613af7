"""Visits: arranging a pair of volunteers, and recording what the visit did."""

from datetime import datetime, timedelta

from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..auth.roles import Role
from ..changes.bus import publish
from ..errors import DomainError, NotFound
from ..events.models import Event
from ..events.rules import missing_qualifications
from ..events.vocabulary import EventKind, EventStatus
from ..extensions import db
from ..people.rules import describe_missing
from ..signups.models import Signup
from ..signups.rules import first_clash
from ..signups.services import clash_message, other_bookings, qualification_problems_for
from ..signups.vocabulary import SignupStatus
from ..timezones import to_local, utcnow
from .messages import VisitOutcomeRecorded
from .models import VisitMeasure, VisitOutcome
from .rules import VISITING_PAIR, VisitFacts, pair_problems
from .vocabulary import Advice, Measure, OnwardReferral

LONGEST_VISIT = timedelta(hours=4)


class VisitRefused(DomainError):
    pass


def visit_facts(event: Event) -> VisitFacts:
    return VisitFacts(
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        cancelled=event.status == EventStatus.CANCELLED,
        volunteer_ids=frozenset(
            s.user_id for s in event.signups if s.status == SignupStatus.CONFIRMED
        ),
    )


def is_on_visit(visit: Event, person: User) -> bool:
    """Whether this person is one of the visit's confirmed pair."""
    return any(s.user_id == person.id and s.status == SignupStatus.CONFIRMED for s in visit.signups)


def visiting_pair(visit: Event) -> list[User]:
    """The volunteers confirmed on the visit, in roster order."""
    return [s.user for s in visit.signups if s.status == SignupStatus.CONFIRMED]


def home_visit(event_id: int) -> Event:
    """The home visit with this id; NotFound for any other event or none."""
    visit = db.session.get(Event, event_id)
    if visit is None or visit.kind != EventKind.HOME_VISIT:
        raise NotFound("No such visit.")
    return visit


def new_home_visit(
    starts_at: datetime,
    ends_at: datetime,
    *,
    area: str,
    referral_id: int,
    status: EventStatus = EventStatus.CONFIRMED,
) -> Event:
    """A visit as everyone outside the referral sees it: "Home visit" and the postcode district
    (`area`), never public, for a pair."""
    return Event(
        title="Home visit",
        kind=EventKind.HOME_VISIT,
        starts_at=starts_at,
        ends_at=ends_at,
        area=area,
        min_volunteers=VISITING_PAIR,
        max_volunteers=VISITING_PAIR,
        is_public=False,
        status=status,
        referral_id=referral_id,
        notes="",
    )


def eligible_visitors() -> list[User]:
    """Volunteers trained for home visits with a DBS check, both in date today (the visit's own
    date is checked when it is arranged)."""
    today = to_local(utcnow()).date()
    people = db.session.execute(
        db.select(User)
        .where(User.role == Role.VOLUNTEER, User.active.is_(True))
        .options(selectinload(User.qualifications))
        .order_by(User.name)
    ).scalars()
    return [
        p
        for p in people
        if not missing_qualifications(
            EventKind.HOME_VISIT, today, {q.kind: q.expires_on for q in p.qualifications}
        )
    ]


def _volunteers(ids: list[int]) -> dict[int, User]:
    rows = db.session.execute(
        db.select(User)
        .where(User.id.in_(ids), User.role == Role.VOLUNTEER, User.active.is_(True))
        .options(selectinload(User.qualifications))
    ).scalars()
    return {u.id: u for u in rows}


def add_visit(
    starts_at: datetime,
    ends_at: datetime,
    volunteer_ids: list[int],
    *,
    area: str,
    referral_id: int,
    by: User,
) -> Event:
    """A visit needs two different volunteers, each with home-visit training and a DBS check in
    date on the day, free at that time. It shows only as 'Home visit' and the postcode district.
    Added to the current transaction: the referral's service that arranges it commits."""
    if ends_at <= starts_at:
        raise VisitRefused("The end time must be after the start time.", "end_time")
    if ends_at - starts_at > LONGEST_VISIT:
        raise VisitRefused("A home visit can last at most 4 hours.", "end_time")
    if starts_at <= utcnow():
        raise VisitRefused("Choose a time that is still to come.", "start_date")
    visit = new_home_visit(starts_at, ends_at, area=area, referral_id=referral_id)
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
    db.session.flush()
    return visit


def may_record_outcome(visit: Event, person: User) -> bool:
    """Once the visit has begun, by the coordinator or a volunteer on it: recording moves
    the referral to 'visited', which must not happen before anyone has been."""
    return visit.starts_at <= utcnow() and (
        person.role == Role.COORDINATOR or is_on_visit(visit, person)
    )


def may_see_outcome_page_later(visit: Event, person: User) -> bool:
    """Someone who will be able to record the outcome once the visit begins."""
    return person.role == Role.COORDINATOR or is_on_visit(visit, person)


def outcome_of(visit_id: int) -> VisitOutcome | None:
    return db.session.get(VisitOutcome, visit_id)


def outcomes_of(visit_ids: list[int]) -> dict[int, VisitOutcome]:
    """Each visit's outcome, by visit id, for the visits that have one."""
    if not visit_ids:
        return {}
    rows = db.session.execute(
        db.select(VisitOutcome).where(VisitOutcome.event_id.in_(visit_ids))
    ).scalars()
    return {o.event_id: o for o in rows}


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
    """Recording what the visit did completes it (and, through the change bus, moves its
    referral to 'visited')."""
    if visit.kind != EventKind.HOME_VISIT or not may_record_outcome(visit, by):
        raise VisitRefused(
            "Only the visiting volunteers, once the visit has begun, "
            "or the coordinator can record its outcome."
        )
    if visit.status == EventStatus.CANCELLED:
        raise VisitRefused("This visit was cancelled.")
    outcome = outcome_of(visit.id) or VisitOutcome(event_id=visit.id)
    outcome.measures = measures
    outcome.advice_codes = ",".join(Advice(a).value for a in advice)
    outcome.onward_codes = ",".join(OnwardReferral(o).value for o in onward)
    outcome.follow_up_needed = follow_up_needed
    if note.strip() or by.role == Role.COORDINATOR:
        outcome.note = note.strip() or None  # a volunteer (who cannot read it) never blanks it
    outcome.recorded_by_id = by.id
    db.session.add(outcome)
    visit.status = EventStatus.COMPLETED
    publish(VisitOutcomeRecorded(visit, by))
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
