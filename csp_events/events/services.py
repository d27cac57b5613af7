"""Scheduling single events: create, change, confirm, cancel, and find them."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Select, bindparam
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.exceptions import NotFound

from ..auth.models import User
from ..auth.roles import Role
from ..changes.bus import publish
from ..database import unit_of_work
from ..errors import DomainError
from ..extensions import db
from ..people.vocabulary import QualificationKind
from ..places.models import SpeedwatchSite, Venue
from ..plain_text import one_line
from ..timezones import to_local, utcnow
from .messages import EventChanged, EventScheduled, EventSnapshot, StatusChanging
from .models import Event
from .rules import (
    EventDraft,
    SiteFacts,
    confirmation_problem,
    missing_qualifications,
    schedule_problems,
)
from .vocabulary import EventKind, EventStatus, Theme

# A change to any of these is a change calendar clients must pick up.
SCHEDULE_FIELDS = ("starts_at", "ends_at", "venue_id", "site_id", "area", "status", "title")


class ScheduleProblems(DomainError):
    """The event cannot be scheduled as given; `problems` maps form fields to messages."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(" ".join(problems.values()))
        self.problems = problems


@dataclass
class EventFields:
    title: str
    kind: EventKind
    theme: Theme | None
    starts_at: datetime
    ends_at: datetime
    venue_id: int | None
    site_id: int | None
    area: str
    min_volunteers: int
    max_volunteers: int
    partner_agencies: list[str]
    partner_officer_ids: list[int]
    is_public: bool
    notes: str


def site_facts(site: SpeedwatchSite | None) -> SiteFacts | None:
    if site is None:
        return None
    return SiteFacts(site.approval_status, site.approval_expires_on, site.latitude, site.longitude)


def check_schedulable(fields: EventFields, now: datetime) -> None:
    venue = db.session.get(Venue, fields.venue_id) if fields.venue_id else None
    site = db.session.get(SpeedwatchSite, fields.site_id) if fields.site_id else None
    draft = EventDraft(
        kind=fields.kind,
        starts_at=fields.starts_at,
        ends_at=fields.ends_at,
        min_volunteers=fields.min_volunteers,
        max_volunteers=fields.max_volunteers,
        has_venue=venue is not None,
        site=site_facts(site),
        area=fields.area,
    )
    problems = schedule_problems(draft, now)
    if problems:
        raise ScheduleProblems(problems)


@dataclass(frozen=True)
class SchedulingChoices:
    """What the scheduling forms offer: venues, Speedwatch sites, and partner officers."""

    venues: list[tuple[int, str]]
    sites: list[SpeedwatchSite]
    partners: list[User]


def scheduling_choices() -> SchedulingChoices:
    venues = db.session.execute(db.select(Venue.id, Venue.name).order_by(Venue.name)).all()
    sites = db.session.execute(db.select(SpeedwatchSite).order_by(SpeedwatchSite.road)).scalars()
    partners = db.session.execute(
        db.select(User).where(User.role == Role.PARTNER, User.active.is_(True)).order_by(User.name)
    ).scalars()
    return SchedulingChoices([tuple(v) for v in venues], list(sites), list(partners))


def _partner_officers(ids: list[int]) -> list[User]:
    if not ids:
        return []
    return list(
        db.session.execute(
            db.select(User).where(User.id.in_(ids), User.role == Role.PARTNER)
        ).scalars()
    )


def apply_fields(event: Event, fields: EventFields) -> None:
    """Copy the form's fields onto the event, keeping only the place its kind uses."""
    # One line, whatever was typed or imported (a spreadsheet cell may hold line breaks): a
    # title goes into email subjects and calendar names, where a line break has no place.
    event.title, event.kind, event.theme = one_line(fields.title), fields.kind, fields.theme or None
    if fields.kind == EventKind.HOME_VISIT:
        event.title = "Home visit"  # never a resident's name, whatever was typed
    event.starts_at, event.ends_at = fields.starts_at, fields.ends_at
    uses_venue = fields.kind not in (EventKind.SPEEDWATCH, EventKind.HOME_VISIT)
    uses_site = fields.kind == EventKind.SPEEDWATCH and fields.site_id
    with db.session.no_autoflush:  # (a new series' sessions are not in the session yet)
        venue = db.session.get(Venue, fields.venue_id) if uses_venue and fields.venue_id else None
        site = db.session.get(SpeedwatchSite, fields.site_id) if uses_site else None
    # The places themselves as well as their ids: set alone, an id leaves `event.venue` the old
    # place until the event is loaded again, so the change's own notice saw no move.
    event.venue_id, event.venue = (venue.id if venue else None), venue
    event.site_id, event.site = (site.id if site else None), site
    event.area = fields.area.strip().upper() if fields.kind == EventKind.HOME_VISIT else ""
    event.min_volunteers, event.max_volunteers = fields.min_volunteers, fields.max_volunteers
    event.partner_agencies = fields.partner_agencies
    event.partner_officers = _partner_officers(fields.partner_officer_ids)
    event.is_public = fields.is_public and fields.kind != EventKind.HOME_VISIT
    # Every signed-in person sees an event's notes: a home visit's would be about the resident.
    event.notes = fields.notes.strip() if fields.kind != EventKind.HOME_VISIT else ""


@unit_of_work()
def schedule_event(fields: EventFields, *, by: User | None = None) -> Event:
    """Schedule one event; a Speedwatch session books a speed gun with it, or is refused."""
    check_schedulable(fields, utcnow())
    event = Event(status=EventStatus.PLANNED)
    apply_fields(event, fields)
    db.session.add(event)
    db.session.flush()
    publish(EventScheduled(event, by))  # a refusal (no gun free) undoes it all
    db.session.commit()
    return event


def confirmed_count(event: Event) -> int:
    return sum(1 for s in event.signups if s.is_confirmed)


@unit_of_work()
def update_event(event: Event, fields: EventFields, *, by: User | None = None) -> Event:
    """Change one event; an occurrence of a series then keeps its own details."""
    if event.referral_id is not None and fields.kind != EventKind.HOME_VISIT:
        raise ScheduleProblems({"kind": "A visit arranged from a referral stays a home visit."})
    check_schedulable(fields, utcnow())
    if fields.kind == EventKind.HOME_VISIT and event.referral_id is not None:
        fields.min_volunteers = fields.max_volunteers = 2  # no lone visits
    if fields.max_volunteers < confirmed_count(event):
        raise ScheduleProblems(
            {
                "max_volunteers": (
                    f"{confirmed_count(event)} volunteers are signed up; remove some from the "
                    "roster before lowering the most volunteers."
                )
            }
        )
    before = {name: getattr(event, name) for name in SCHEDULE_FIELDS}
    snapshot = EventSnapshot.of(event)
    apply_fields(event, fields)
    if event.series_id is not None:
        event.detached = True
    bump_sequence_if_changed(event, before)
    _publish_change(event, by, snapshot)
    db.session.commit()
    return event


def _publish_change(event: Event, by: User | None, snapshot: EventSnapshot) -> None:
    """Tell the areas that react (rosters, the speed gun, notices); a refusal undoes it all
    (the callers are units of work)."""
    db.session.flush()
    publish(EventChanged(event, by, snapshot))


def bump_sequence_if_changed(event: Event, before: dict) -> None:
    if any(getattr(event, name) != value for name, value in before.items()):
        event.sequence += 1


@unit_of_work()
def set_status(event: Event, status: EventStatus, *, by: User | None = None) -> None:
    """Confirm, cancel, complete or re-plan; a Speedwatch session needs its team to confirm."""
    if status == EventStatus.CONFIRMED:
        problem = confirmation_problem(event.kind, qualified_confirmed_count(event))
        if problem:
            raise DomainError(problem)
    if status == EventStatus.COMPLETED and event.starts_at > utcnow():
        raise DomainError("An event can be marked completed once it has started.")
    if event.status == status:
        return
    publish(StatusChanging(event, status))
    snapshot = EventSnapshot.of(event)
    event.status = status
    event.sequence += 1
    if event.series_id is not None:
        event.detached = True
    _publish_change(event, by, snapshot)
    db.session.commit()


def qualification_gaps(person: User, event: Event) -> list[QualificationKind]:
    """What the person lacks (or has lapsed by the event's day) to take part in it."""
    expiries = {q.kind: q.expires_on for q in person.qualifications}
    return missing_qualifications(event.kind, to_local(event.starts_at).date(), expiries)


def qualified_confirmed_count(event: Event) -> int:
    confirmed = [s.user for s in event.signups if s.is_confirmed]
    return sum(1 for person in confirmed if not qualification_gaps(person, event))


# Built once (on first use, when every model is mapped) with bound parameters, as every page
# view runs them: building a statement with its options and then its cache key cost about as
# much as the round trip.
@cache
def _event_with_roster() -> Select:
    # All joined into the event's own query rather than a query apiece. The rows are partners
    # x places (withdrawn ones too): tens for a session, at most.
    return (
        db.select(Event)
        .where(Event.id == bindparam("event_id"))
        .options(
            joinedload(Event.venue),
            joinedload(Event.site),
            joinedload(Event.series),
            joinedload(Event.partner_officers),
            joinedload(Event.signups),
        )
    )


@cache
def _people_with_qualifications() -> Select:
    return (
        db.select(User)
        .where(User.id.in_(bindparam("people", expanding=True)))
        .options(joinedload(User.qualifications))
    )


def get_event(event_id: int, viewer: User | None = None) -> Event | None:
    """The event with its place, series, partners and roster, and the people on the roster
    (and the viewer, whose own eligibility the page shows) with their qualifications, in a
    fixed number of queries."""
    found = db.session.execute(_event_with_roster(), {"event_id": event_id})
    event = found.unique().scalar_one_or_none()
    if event is not None and (event.signups or viewer is not None):
        wanted = {s.user_id for s in event.signups} | ({viewer.id} if viewer else set())
        people = db.session.execute(_people_with_qualifications(), {"people": sorted(wanted)})
        by_id = {person.id: person for person in people.unique().scalars()}
        for place in event.signups:  # as if eagerly loaded: no query per place
            set_committed_value(place, "user", by_id.get(place.user_id))
    return event


def get_event_or_404(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound()
    return event


def events_between_query(
    start: datetime,
    end: datetime,
    *,
    kinds: list[EventKind] | None = None,
    venue_id: int | None = None,
    include_cancelled: bool = True,
) -> Select[Event]:
    """Events overlapping [start, end), soonest first, with their place: the query, so an area
    built on events can add its own columns to it (signups.services.with_roster_counts)."""
    query = (
        db.select(Event)
        .where(Event.starts_at < end, Event.ends_at > start)
        .options(joinedload(Event.venue), joinedload(Event.site))
        .order_by(Event.starts_at, Event.id)
    )
    if kinds:
        query = query.where(Event.kind.in_(kinds))
    if venue_id:
        query = query.where(Event.venue_id == venue_id)
    if not include_cancelled:
        query = query.where(Event.status != EventStatus.CANCELLED)
    return query


def events_between(
    start: datetime,
    end: datetime,
    *,
    kinds: list[EventKind] | None = None,
    venue_id: int | None = None,
    include_cancelled: bool = True,
) -> list[Event]:
    query = events_between_query(
        start, end, kinds=kinds, venue_id=venue_id, include_cancelled=include_cancelled
    )
    return list(db.session.execute(query).scalars())
