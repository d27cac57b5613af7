"""Recording what happened at an event: attendance, hours, people reached, items, counts."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import joinedload, selectinload

from ..auth.models import User
from ..auth.roles import Role
from ..errors import DomainError, PermissionDenied
from ..events.models import Event
from ..events.vocabulary import EventKind, EventStatus, Theme
from ..extensions import db
from ..plates import REFUSAL as REGISTRATION_REFUSED
from ..plates import mentions_a_number_plate
from ..signups.models import Signup
from ..signups.vocabulary import SignupStatus
from ..stock import services as stock
from .models import Attendance, EventOutcome
from .rules import (
    SpeedwatchCounts,
    counts_people,
    enforcement_threshold,
    outcome_refusal,
    speedwatch_problems,
    uses_audience,
)
from .vocabulary import Audience, OutcomeSource, Weather


class OutcomeRefused(DomainError):
    """The outcome cannot be saved as typed; `problems` maps form fields to messages."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(" ".join(problems.values()))
        self.problems = problems


@dataclass
class AttendanceEntry:
    user_id: int
    attended: bool
    minutes: int


@dataclass
class OutcomeFields:
    people_engaged: int = 0
    partner_agencies: list[str] = field(default_factory=list)
    audience: Audience | None = None
    theme: Theme | None = None
    vehicles_checked: int | None = None
    vehicles_over_threshold: int | None = None
    highest_speed_mph: int | None = None
    weather: Weather | None = None
    notes: str = ""
    attendance: list[AttendanceEntry] = field(default_factory=list)
    items: dict[int, int] = field(default_factory=dict)
    # Someone who came without signing up, added by the coordinator.
    walk_in: AttendanceEntry | None = None


@dataclass(frozen=True)
class Attendee:
    """A row of the outcome form's "Who came": signed up, or added afterwards as a walk-in."""

    user_id: int
    name: str
    signed_up: bool
    # Never signed up at all (not merely withdrawn or removed since): added as a walk-in.
    walk_in: bool = False


def overdue_days() -> int:
    return current_app.config["OUTCOME_OVERDUE_DAYS"]


def confirmed_roster(event: Event) -> list[Signup]:
    return [s for s in event.signups if s.status == SignupStatus.CONFIRMED]


_NOT_LOADED = object()


def refusal(event: Event, person: User, now: datetime, *, existing=_NOT_LOADED) -> str | None:
    """Why `person` may not record this event's outcome now (see rules.outcome_refusal).
    `existing`: the event's outcome (or None) when the caller has it already."""
    if existing is _NOT_LOADED:
        existing = outcome_of(event.id)
    if existing is not None and existing.source == OutcomeSource.IMPORTED:
        # Its hand-outs never left today's shelf: a correction here would move real stock.
        return "This outcome was imported from a spreadsheet; correct the spreadsheet instead."
    on_roster = any(s.user_id == person.id for s in confirmed_roster(event))
    return outcome_refusal(
        person.role,
        confirmed_on_roster=on_roster,
        status=event.status,
        starts_at=event.starts_at,
        now=now,
    )


def attendees(event: Event) -> list[Attendee]:
    """The confirmed roster, then anyone else with attendance recorded: people who came
    without signing up, and people taken off the roster after it was recorded."""
    roster = confirmed_roster(event)
    on_roster = {s.user_id for s in roster}
    ever_signed_up = {s.user_id for s in event.signups}
    others = sorted(
        (
            Attendee(
                a.user_id,
                a.user.name,
                signed_up=False,
                walk_in=a.user_id not in ever_signed_up,
            )
            for a in attendance_of(event.id).values()
            if a.user_id not in on_roster
        ),
        key=lambda a: a.name,
    )
    return [Attendee(s.user_id, s.user.name, signed_up=True) for s in roster] + others


def takes_walk_ins(event: Event, person: User) -> bool:
    """Only the coordinator adds people who came without signing up, and never to a home
    visit: its pair was chosen for the resident, and the visit record says who went."""
    return person.role == Role.COORDINATOR and event.kind != EventKind.HOME_VISIT


def walk_in_choices(event: Event) -> list[tuple[int, str]]:
    """Active volunteers not already in the event's "Who came" list."""
    listed = {a.user_id for a in attendees(event)}
    volunteers = db.session.execute(
        select(User.id, User.name)
        .where(User.role == Role.VOLUNTEER, User.active.is_(True))
        .order_by(User.name)
    ).all()
    return [(user_id, name) for user_id, name in volunteers if user_id not in listed]


def _walk_in_problem(event: Event, walk_in: AttendanceEntry, by: User) -> str | None:
    if not takes_walk_ins(event, by):
        return "Only the coordinator can add someone who came without signing up."
    if walk_in.user_id not in {user_id for user_id, _ in walk_in_choices(event)}:
        return "Choose an active volunteer who is not already listed above"
    return None


# Built once (on first use, when every model is mapped) with a bound parameter: every event
# page asks.
@cache
def _outcome() -> Select:
    return (
        select(EventOutcome)
        .where(EventOutcome.event_id == bindparam("event_id"))
        .options(joinedload(EventOutcome.recorded_by))
    )


def outcome_of(event_id: int) -> EventOutcome | None:
    return db.session.execute(_outcome(), {"event_id": event_id}).scalar_one_or_none()


def attendance_of(event_id: int) -> dict[int, Attendance]:
    rows = db.session.execute(
        select(Attendance)
        .where(Attendance.event_id == event_id)
        .options(joinedload(Attendance.user))
    ).scalars()
    return {a.user_id: a for a in rows}


def threshold_for(event: Event) -> int | None:
    if event.kind != EventKind.SPEEDWATCH or event.site is None:
        return None
    return enforcement_threshold(event.site.speed_limit)


def _problems(event: Event, fields: OutcomeFields) -> dict[str, str]:
    problems: dict[str, str] = {}
    threshold = threshold_for(event)
    if threshold is not None:
        problems |= speedwatch_problems(
            SpeedwatchCounts(
                fields.vehicles_checked,
                fields.vehicles_over_threshold,
                fields.highest_speed_mph,
                threshold,
            )
        )
    if mentions_a_number_plate(fields.notes):
        problems["notes"] = REGISTRATION_REFUSED
    return problems


def record_outcome(event: Event, fields: OutcomeFields, *, by: User, now: datetime) -> EventOutcome:
    """Save (or correct) an event's outcome in one transaction: the outcome, attendance and
    hours of the volunteers who were signed up, and the items handed out from stock.

    Recording an outcome marks a planned or confirmed event completed."""
    _lock(event)
    reason = refusal(event, by, now)
    if reason:
        raise PermissionDenied(reason)
    problems = _problems(event, fields)
    if fields.walk_in and (problem := _walk_in_problem(event, fields.walk_in, by)):
        problems["also_came"] = problem
    if problems:
        raise OutcomeRefused(problems)
    outcome = outcome_of(event.id) or EventOutcome(event_id=event.id)
    _copy(outcome, event, fields)
    outcome.recorded_by_id = by.id
    db.session.add(outcome)
    _save_attendance(event, fields.attendance, fields.walk_in)
    try:
        stock.hand_out_for_event(event, fields.items, by=by)
    except stock.NotEnoughStock as short:
        db.session.rollback()
        raise OutcomeRefused({short.field or "notes": short.message}) from None
    if event.status in (EventStatus.PLANNED, EventStatus.CONFIRMED):
        event.status = EventStatus.COMPLETED
        event.sequence += 1
    try:
        stock.commit_hand_outs()
    except stock.NotEnoughStock as short:
        raise OutcomeRefused({"notes": short.message}) from None
    return outcome


def _lock(event: Event) -> None:
    """Hold the event's row (PostgreSQL) so two people saving its outcome at once take
    turns: the second then corrects what the first saved instead of handing items out
    twice. SQLite write requests already hold the database write lock (BEGIN IMMEDIATE).
    Events are locked before stock items, as everywhere else."""
    db.session.execute(
        select(Event)
        .where(Event.id == event.id)
        .with_for_update(key_share=True)  # rows that only refer to it are not held up
        .execution_options(populate_existing=True)
    ).scalar_one()  # fetched, so the event's status is refreshed as well as locked


def _copy(outcome: EventOutcome, event: Event, fields: OutcomeFields) -> None:
    outcome.people_engaged = fields.people_engaged if counts_people(event.kind) else 0
    outcome.partner_agencies = fields.partner_agencies
    outcome.audience = fields.audience if uses_audience(event.kind) else None
    if uses_audience(event.kind) and fields.theme:
        event.theme = fields.theme
    speedwatch = event.kind == EventKind.SPEEDWATCH
    outcome.threshold_mph = threshold_for(event)
    outcome.vehicles_checked = fields.vehicles_checked if speedwatch else None
    outcome.vehicles_over_threshold = fields.vehicles_over_threshold if speedwatch else None
    outcome.highest_speed_mph = fields.highest_speed_mph if speedwatch else None
    outcome.weather = fields.weather if speedwatch else None
    # A home visit's notes would be about the resident: they belong in the visit's own
    # (encrypted) note, never here, where every signed-in person could read them.
    outcome.notes = fields.notes.strip() if event.kind != EventKind.HOME_VISIT else ""
    outcome.source = OutcomeSource.RECORDED


def _save_attendance(
    event: Event, entries: list[AttendanceEntry], walk_in: AttendanceEntry | None
) -> None:
    """Only people already listed can be marked (a form cannot add anyone else). A walk-in
    marked "did not come" was added by mistake, so their row goes rather than counting as
    a no-show; anyone who ever signed up keeps theirs."""
    signed_up = {s.user_id for s in confirmed_roster(event)}
    ever_signed_up = {s.user_id for s in event.signups}
    existing = attendance_of(event.id)
    for entry in entries:
        row = existing.get(entry.user_id)
        if row is None and entry.user_id not in signed_up:
            continue
        if row is not None and entry.user_id not in ever_signed_up and not entry.attended:
            db.session.delete(row)
            continue
        row = row or Attendance(event_id=event.id, user_id=entry.user_id)
        row.attended = entry.attended
        row.minutes = entry.minutes if entry.attended else 0
        db.session.add(row)
    if walk_in is not None:
        db.session.add(
            Attendance(
                event_id=event.id, user_id=walk_in.user_id, attended=True, minutes=walk_in.minutes
            )
        )


def overdue_outcomes(now: datetime, days: int, limit: int = 20) -> tuple[int, list[Event]]:
    """Events that ended more than `days` ago with no outcome (not cancelled): how many, and
    the most recent `limit` of them."""
    return without_outcome(now - timedelta(days=days), limit=limit)


def without_outcome(
    ended_before: datetime, *, ended_from: datetime | None = None, limit: int | None = None
) -> tuple[int, list[Event]]:
    """Events (not cancelled) with no outcome that ended before `ended_before` (and not before
    `ended_from`): how many, and the latest-starting `limit` of them (all without a limit).
    One query: the count rides along as a window."""
    query = (
        select(Event, func.count().over().label("total"))
        .outerjoin(EventOutcome, EventOutcome.event_id == Event.id)
        .where(
            EventOutcome.id.is_(None),
            Event.status != EventStatus.CANCELLED,
            Event.ends_at < ended_before,
        )
        # Joined, not a second query: the page's count stays fixed whatever places they are at.
        .options(joinedload(Event.venue), joinedload(Event.site))
        .order_by(Event.starts_at.desc(), Event.id.desc())
    )
    if ended_from is not None:
        query = query.where(Event.ends_at >= ended_from)
    if limit is not None:
        query = query.limit(limit)
    rows = db.session.execute(query).all()
    return (rows[0].total if rows else 0), [row.Event for row in rows]


def outcomes_to_record(person: User, now: datetime, *, within_days: int = 60) -> list[Event]:
    """A volunteer's recent sessions (signed up, started, not cancelled) with no outcome yet."""
    return list(
        db.session.execute(
            select(Event)
            .join(Signup, Signup.event_id == Event.id)
            .outerjoin(EventOutcome, EventOutcome.event_id == Event.id)
            .where(
                Signup.user_id == person.id,
                Signup.status == SignupStatus.CONFIRMED,
                EventOutcome.id.is_(None),
                Event.status != EventStatus.CANCELLED,
                Event.starts_at <= now,
                Event.starts_at > now - timedelta(days=within_days),
            )
            .options(selectinload(Event.venue), selectinload(Event.site))
            .order_by(Event.starts_at.desc())
        ).scalars()
    )


@dataclass
class OutcomeSummary:
    """What the event page shows of a recorded outcome."""

    outcome: EventOutcome
    came: list[Attendance]
    no_shows: list[Attendance]
    items: list[tuple[str, int]]

    @property
    def minutes(self) -> int:
        return sum(a.minutes for a in self.came)


def summary(event: Event) -> OutcomeSummary | None:
    outcome = outcome_of(event.id)
    if outcome is None:
        return None
    attendance = sorted(attendance_of(event.id).values(), key=lambda a: a.user.name)
    return OutcomeSummary(
        outcome,
        [a for a in attendance if a.attended],
        [a for a in attendance if not a.attended],
        sorted(stock.handed_out_by_name(event.id), key=lambda r: r[0]),
    )
