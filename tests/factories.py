"""Test data builders with keyword defaults: only say what matters to the test."""

from datetime import date, datetime, time, timedelta
from functools import cache
from itertools import count

from werkzeug.security import generate_password_hash

from csp_events.auth.models import User
from csp_events.auth.roles import Role
from csp_events.auth.rules import PASSWORD_HASH_METHOD
from csp_events.events.kinds import EventKind, EventStatus
from csp_events.events.models import Event
from csp_events.extensions import db
from csp_events.people.kinds import QualificationKind
from csp_events.people.models import Qualification
from csp_events.places.kinds import ApprovalStatus, VenueKind
from csp_events.places.models import SpeedwatchSite, Venue
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
) -> User:
    """qualifications: {QualificationKind: expiry date}."""
    n = next(_numbers)
    user = User(
        name=name or f"Person {n}",
        email=email or f"person{n}@example.org",
        role=role,
        password_hash=_password_hash(),
        active=active,
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
    from csp_events.people.kinds import QualificationKind

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
