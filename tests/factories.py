"""Test data builders with keyword defaults: only say what matters to the test."""

from datetime import date, datetime, time, timedelta
from functools import cache
from itertools import count

from werkzeug.security import generate_password_hash

from csp_events.auth.models import User
from csp_events.auth.roles import Role
from csp_events.auth.rules import PASSWORD_HASH_METHOD
from csp_events.events.models import Event
from csp_events.events.vocabulary import EventKind, EventStatus
from csp_events.extensions import db
from csp_events.people.models import Qualification
from csp_events.people.vocabulary import QualificationKind
from csp_events.places.models import SpeedwatchSite, Venue
from csp_events.places.vocabulary import ApprovalStatus, VenueKind
from csp_events.timezones import local_to_utc, to_local, utcnow

PASSWORD = "correct horse battery"
_numbers = count(1)


@cache
def _password_hash() -> str:
    return generate_password_hash(PASSWORD, method=PASSWORD_HASH_METHOD)


def make_user(
    role: Role = Role.VOLUNTEER,
    *,
    name: str | None = None,
    email: str | None = None,
    active: bool = True,
    qualifications: dict | None = None,
    phone: str = "",
    ward: str = "",
) -> User:
    """qualifications: {QualificationKind: expiry date}."""
    n = next(_numbers)
    user = User(
        name=name or f"Person {n}",
        email=email or f"person{n}@example.org",
        role=role,
        password_hash=_password_hash(),
        active=active,
        phone=phone,
        ward=ward,
    )
    for kind, expires in (qualifications or {}).items():
        user.qualifications.append(
            Qualification(
                kind=QualificationKind(kind),
                obtained_on=expires - timedelta(days=700),
                expires_on=expires,
            )
        )
    db.session.add(user)
    db.session.commit()
    return user


def make_coordinator(**kwargs) -> User:
    return make_user(Role.COORDINATOR, **kwargs)


def far_future() -> date:
    return to_local(utcnow()).date() + timedelta(days=800)


def speedwatch_volunteer(**kwargs) -> User:
    return make_user(qualifications={QualificationKind.SPEEDWATCH: far_future()}, **kwargs)


def make_venue(name: str | None = None) -> Venue:
    venue = Venue(
        name=name or f"Venue {next(_numbers)}",
        kind=VenueKind.LIBRARY,
        address="New Road, Brentwood",
        postcode="CM14 4BP",
    )
    db.session.add(venue)
    db.session.commit()
    return venue


def make_site(
    *, status: ApprovalStatus = ApprovalStatus.APPROVED, expires_on: date | None = None
) -> SpeedwatchSite:
    site = SpeedwatchSite(
        road="Wash Road",
        location="Hutton",
        speed_limit=30,
        approval_status=status,
        approval_expires_on=expires_on or far_future(),
        latitude=51.6278,
        longitude=0.3465,
    )
    db.session.add(site)
    db.session.commit()
    return site


def days_ahead(days: int) -> date:
    return to_local(utcnow()).date() + timedelta(days=days)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return local_to_utc(day, time(hour, minute))


def make_event(
    *,
    kind: EventKind = EventKind.POP_UP,
    starts_at: datetime | None = None,
    hours: float = 2,
    title: str = "Pop-up",
    min_volunteers: int = 1,
    max_volunteers: int = 3,
    status: EventStatus = EventStatus.PLANNED,
    venue: Venue | None = None,
    site: SpeedwatchSite | None = None,
    is_public: bool = True,
) -> Event:
    starts_at = starts_at or at(days_ahead(7), 10)
    if kind == EventKind.SPEEDWATCH:
        site = site or make_site()
    elif kind != EventKind.HOME_VISIT:
        venue = venue or make_venue()
    event = Event(
        title=title,
        kind=kind,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        min_volunteers=min_volunteers,
        max_volunteers=max_volunteers,
        status=status,
        venue=venue,
        site=site,
        area="CM15" if kind == EventKind.HOME_VISIT else "",
        is_public=is_public,
    )
    db.session.add(event)
    db.session.commit()
    return event


def next_weekday(weekday: int, weeks_ahead: int = 1) -> date:
    """The given weekday (0 = Monday) at least a week ahead, avoiding England's bank holidays."""
    from csp_events.equipment.rules import bank_holiday

    day = days_ahead(7 * weeks_ahead)
    day += timedelta(days=(weekday - day.weekday()) % 7)
    while bank_holiday(day):
        day += timedelta(days=7)
    return day


def make_item(
    *, name: str | None = None, kind: str = "speed_gun", calibration_days: int = 365, **fields
):
    from csp_events.equipment.models import EquipmentItem
    from csp_events.people.vocabulary import QualificationKind

    defaults = {
        "required_qualification": QualificationKind.SPEEDWATCH if kind == "speed_gun" else None,
        "calibration_expires_on": days_ahead(calibration_days) if kind == "speed_gun" else None,
        "handover_days": "0,1,2,3,4,5",
    }
    item = EquipmentItem(
        name=name or f"Item {next(_numbers)}",
        kind=kind,
        kept_at="Town Hall",
        **{**defaults, **fields},
    )
    db.session.add(item)
    db.session.commit()
    return item


def fill_every_table() -> dict[str, int]:
    """At least one row in every table the app has, made through the factories and services,
    so a test over all tables (backups) covers tables added later, or says which are empty."""
    from plans import surgery_plan
    from sqlalchemy import func, select

    from csp_events.auth.services import (
        invite_person,
        record_failed_sign_in,
        request_password_reset,
    )
    from csp_events.changes.services import read_version
    from csp_events.equipment.custody import check_out
    from csp_events.equipment.services import book
    from csp_events.equipment.vocabulary import Condition
    from csp_events.events.services import set_status
    from csp_events.events.vocabulary import EventStatus
    from csp_events.feeds.ical import CalendarInfo
    from csp_events.feeds.models import FeedScope
    from csp_events.feeds.services import build_feed, issue_token
    from csp_events.reminders.services import save_choices, send_due
    from csp_events.series.services import create_series
    from csp_events.signups.services import sign_up

    volunteer = make_user(
        name="Vera Volunteer",
        email="vera@example.org",
        qualifications={QualificationKind.SPEEDWATCH: far_future()},
    )
    make_coordinator()
    partner = make_user(Role.PARTNER)
    invite_person(name="Ivy New", email="ivy@example.org", role=Role.VOLUNTEER, valid_days=7)
    request_password_reset("vera@example.org", 60)
    record_failed_sign_in("vera@example.org", "203.0.113.7")
    venue = make_venue()
    make_site()
    create_series(surgery_plan(venue))
    event = make_event(venue=venue, starts_at=utcnow() + timedelta(hours=30), min_volunteers=2)
    event.partner_officers.append(partner)
    db.session.commit()
    sign_up(event, volunteer, by=volunteer)
    gun = make_item(kind="body_worn_camera")
    start, end = at(next_weekday(2), 10), at(next_weekday(2), 12)
    check_out(
        gun,
        collected_by=volunteer,
        condition=Condition.GOOD,
        due_back_at=end,
        booking=book(gun, volunteer, start, end),
    )
    issue_token(volunteer, FeedScope.PERSONAL)
    _fill_cover_and_messages(volunteer, event)
    build_feed("public", "public", [], CalendarInfo("Public", "Every public event"))
    read_version()  # the change log's epoch, made on the first read
    _fill_outcomes_stock_and_imports(volunteer)
    _fill_home_visits(partner)
    save_choices(volunteer, {"session_first", "promoted", "session_changed"})
    _fill_absences(volunteer)
    send_due(utcnow())  # the outbox (no mail server in tests) keeps them
    named = make_event(venue=venue)
    named.partner_officers.append(partner)
    set_status(named, EventStatus.CANCELLED)  # the partner is told: a notice in the outbox
    counts = {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }
    db.session.rollback()  # hold no lock (SQLite) while commands run in their own contexts
    return counts


def _fill_absences(volunteer: User) -> None:
    from csp_events.availability.services import record_absence
    from csp_events.availability.vocabulary import AbsenceKind

    today = days_ahead(0)
    record_absence(
        volunteer,
        kind=AbsenceKind.DATES,
        first_day=today + timedelta(days=40),
        last_day=today + timedelta(days=53),
        weekday=None,
        note="Away in Cornwall",
        today=today,
    )


def _fill_cover_and_messages(volunteer: User, event) -> None:
    from csp_events.cover.models import CoverOffer, CoverRequest
    from csp_events.messaging.audience import Audience
    from csp_events.messaging.enums import AudienceKind, Channel
    from csp_events.messaging.services import Draft, send_message

    coordinator = db.session.scalar(db.select(User).where(User.role == Role.COORDINATOR))
    request = CoverRequest(event_id=event.id, asked_by_id=coordinator.id)
    request.offers = [CoverOffer(user_id=volunteer.id)]
    db.session.add(request)
    db.session.commit()
    send_message(
        Draft(Audience(AudienceKind.SESSION, event_id=event.id), {Channel.EMAIL}, "Hi", "Hello"),
        by=coordinator,
    )


def _fill_outcomes_stock_and_imports(volunteer: User) -> None:
    from csp_events.engagement.services import AttendanceEntry, OutcomeFields, record_outcome
    from csp_events.imports.models import ImportBatch
    from csp_events.signups.models import Signup
    from csp_events.signups.vocabulary import SignupStatus
    from csp_events.stock.models import StockItem
    from csp_events.stock.services import record_delivery

    bells = StockItem(name="Purse bells", balance=0)
    db.session.add(bells)
    db.session.add(ImportBatch(filename="last-year.csv", content="date,kind\n"))
    past = make_event(starts_at=utcnow() - timedelta(hours=3))
    db.session.add(Signup(event=past, user=volunteer, status=SignupStatus.CONFIRMED))
    db.session.commit()
    record_delivery(bells, 20, funder="PFCC", delivered_at=utcnow(), by=volunteer)
    fields = OutcomeFields(
        people_engaged=12,
        attendance=[AttendanceEntry(volunteer.id, True, 120)],
        items={bells.id: 5},
    )
    record_outcome(past, fields, by=volunteer, now=utcnow())


def _fill_home_visits(partner: User) -> None:
    from visit_factories import make_referral, make_visit

    from csp_events.visits.models import VisitOutcome, VisitSafetyCheck
    from csp_events.visits.vocabulary import Measure

    visit = make_visit(make_referral(partner), starts_at=utcnow() - timedelta(hours=2))
    first = visit.signups[0].user_id
    db.session.add(VisitSafetyCheck(event_id=visit.id, user_id=first, arrived_at=visit.starts_at))
    outcome = VisitOutcome(event_id=visit.id, recorded_by_id=first, note="Fitted by the back door")
    outcome.measures = [Measure.DOOR_CHAIN]
    db.session.add(outcome)
    db.session.commit()
