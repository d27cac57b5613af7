"""Brentwood demo data: real places, fictional people, a believable few months of activity."""

from datetime import date, time, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select

from ..auth.models import User
from ..auth.roles import Role
from ..auth.services import create_coordinator, set_password
from ..errors import DomainError
from ..events.models import Event
from ..events.recurrence import Frequency, RecurrencePattern
from ..events.services import EventFields
from ..events.vocabulary import EventKind, EventStatus, PartnerAgency, Theme
from ..extensions import db
from ..people.models import Qualification
from ..people.vocabulary import QualificationKind
from ..places.models import SpeedwatchSite, Venue
from ..reports.rules import financial_year, financial_year_of
from ..series.services import SeriesPlan, create_series
from ..signups.services import sign_up
from ..timezones import local_to_utc, to_local, utcnow
from .activity import load_activity
from .availability import load_absences
from .equipment import load_equipment
from .people import PARTNERS, VOLUNTEERS
from .places import SITES, VENUE_PUBLIC_DETAILS, VENUE_WARDS, VENUES
from .reminders import load_reminder_examples
from .visits import load_home_visits

DEMO_LOGINS = {
    "coordinator": ("coordinator@brentwood.example", "safer-brentwood-demo"),
    "volunteer": ("margaret.hughes@example.org", "volunteer-demo-pass"),
    "partner": ("pc.khan@police.example", "partner-demo-pass"),
}


def database_is_empty() -> bool:
    return db.session.scalar(select(func.count()).select_from(User)) == 0


def load_demo() -> None:
    today = to_local(utcnow()).date()
    coordinator = create_coordinator("Sam Patel", *DEMO_LOGINS["coordinator"])
    venues = _venues()
    sites = _sites(today)
    volunteers = _people(today)
    _series(today, venues)
    _one_off_events(today, venues, sites)
    db.session.commit()
    _signups(volunteers, coordinator, today)
    load_equipment(today, coordinator, volunteers)
    load_home_visits(today, coordinator, volunteers)
    load_activity(today, coordinator, volunteers, venues, sites)
    load_reminder_examples(today, volunteers)
    load_absences(today, volunteers)


def _this_year_start(today: date) -> date:
    """Recent demo events stay in this financial year: last year holds only demo.history."""
    return financial_year(financial_year_of(today)).first


def _venues() -> dict[str, Venue]:
    venues = {}
    for name, kind, address, postcode in VENUES:
        latitude, longitude, accessibility = VENUE_PUBLIC_DETAILS.get(name, (None, None, ""))
        venues[name] = Venue(
            name=name,
            kind=kind,
            address=address,
            postcode=postcode,
            ward=VENUE_WARDS[name],
            latitude=latitude,
            longitude=longitude,
            accessibility=accessibility,
        )
        db.session.add(venues[name])
    return venues


def _sites(today: date) -> list[SpeedwatchSite]:
    sites = []
    for road, where, limit, status, months, lat, lon in SITES:
        expiry = today + relativedelta(months=months) if months else None
        site = SpeedwatchSite(
            road=road,
            location=where,
            speed_limit=limit,
            approval_status=status,
            approval_expires_on=expiry,
            latitude=lat,
            longitude=lon,
            risk_notes="Stand on the footway behind the signs; hi-vis at all times.",
        )
        db.session.add(site)
        sites.append(site)
    return sites


def _people(today: date) -> list[User]:
    volunteers = []
    for index, (name, ward, quals) in enumerate(VOLUNTEERS):
        email = (
            DEMO_LOGINS["volunteer"][0]
            if index == 0
            else name.lower().replace(" ", ".").replace("'", "") + "@example.org"
        )
        person = User(
            name=name,
            email=email,
            role=Role.VOLUNTEER,
            ward=ward,
            phone=f"07700 900{100 + index:03d}",
        )
        set_password(
            person, DEMO_LOGINS["volunteer"][1] if index == 0 else f"demo-{index}-volunteer"
        )
        for kind, months_left in quals:
            expires = (
                today + relativedelta(months=months_left)
                if months_left
                else today + timedelta(days=12)
            )
            person.qualifications.append(
                Qualification(
                    kind=QualificationKind(kind),
                    obtained_on=expires - relativedelta(years=2),
                    expires_on=expires,
                )
            )
        db.session.add(person)
        volunteers.append(person)
    for name, email, organisation in PARTNERS:
        partner = User(name=name, email=email, role=Role.PARTNER, organisation=organisation)
        set_password(
            partner,
            DEMO_LOGINS["partner"][1]
            if email == DEMO_LOGINS["partner"][0]
            else "demo-partner-password",
        )
        db.session.add(partner)
    db.session.flush()
    return volunteers


def _fields(title, kind, theme, venue=None, site=None, minimum=1, maximum=3, agencies=()):
    placeholder = utcnow()
    return EventFields(
        title=title,
        kind=kind,
        theme=theme,
        starts_at=placeholder,
        ends_at=placeholder,
        venue_id=venue.id if venue else None,
        site_id=site.id if site else None,
        area="",
        min_volunteers=minimum,
        max_volunteers=maximum,
        partner_agencies=list(agencies),
        partner_officer_ids=[],
        is_public=True,
        notes="",
    )


def _series(today: date, venues: dict[str, Venue]) -> None:
    db.session.flush()
    surgeries = [
        (
            "Neighbourhood Watch surgery – Brentwood Library",
            "Brentwood Library",
            Frequency.MONTHLY_BY_WEEKDAY,
            1,
            time(10),
            2,
        ),  # Tuesday
        (
            "Neighbourhood Watch surgery – Community Hospital",
            "Brentwood Community Hospital",
            Frequency.MONTHLY_BY_WEEKDAY,
            3,
            time(14),
            2,
        ),  # Thursday
        (
            "Neighbourhood Watch drop-in – Shenfield Library",
            "Shenfield Library",
            Frequency.MONTHLY_BY_DATE,
            None,
            time(10, 30),
            2,
        ),
        (
            "Neighbourhood Watch drop-in – Hutton Community Centre",
            "Hutton Community Centre",
            Frequency.FORTNIGHTLY,
            2,
            time(11),
            1,
        ),  # Wednesday
    ]
    for title, venue, frequency, weekday, starts, hours in surgeries:
        first = max(today - timedelta(days=40), _this_year_start(today))
        if weekday is not None:
            first += timedelta(days=(weekday - first.weekday()) % 7 + 7)  # the 2nd such weekday
        else:
            first = first.replace(day=15)
        pattern = RecurrencePattern(
            frequency=frequency,
            first_day=first,
            starts_at=starts,
            duration=timedelta(hours=hours),
            until=today + relativedelta(months=12),
        )
        create_series(
            SeriesPlan(
                pattern,
                _fields(
                    title,
                    EventKind.SURGERY,
                    Theme.GENERAL,
                    venues[venue],
                    minimum=1,
                    maximum=2,
                    agencies=[PartnerAgency.NHW],
                ),
            )
        )


def _one_off_events(today: date, venues: dict[str, Venue], sites: list[SpeedwatchSite]) -> None:
    police_fire = [
        PartnerAgency.ESSEX_POLICE,
        PartnerAgency.ECFRS,
        PartnerAgency.NHW,
        PartnerAgency.COUNCIL,
        PartnerAgency.CRIMESTOPPERS,
    ]
    plans = [
        (
            -20,
            time(10),
            4,
            "Rogue Traders pop-up",
            EventKind.POP_UP,
            Theme.ROGUE_TRADERS,
            "Bay Tree Centre",
        ),
        (
            -6,
            time(10),
            3,
            "Domestic abuse awareness fortnight stall",
            EventKind.POP_UP,
            Theme.DOMESTIC_ABUSE,
            "Brentwood High Street",
        ),
        (
            3,
            time(10),
            3,
            "Burglary prevention pop-up (Operation Mercury)",
            EventKind.POP_UP,
            Theme.BURGLARY,
            "Bay Tree Centre",
        ),
        (
            9,
            time(13, 30),
            2,
            "Dementia Café roadshow",
            EventKind.ROADSHOW,
            Theme.SCAMS,
            "Union Church",
        ),
        (
            16,
            time(9, 30),
            3,
            "Gang awareness roadshow",
            EventKind.ROADSHOW,
            Theme.GANGS,
            "Brentwood County High School",
        ),
        (
            23,
            time(10),
            4,
            "Hate Crime awareness pop-up",
            EventKind.POP_UP,
            Theme.HATE_CRIME,
            "Bay Tree Centre",
        ),
        (
            37,
            time(10),
            4,
            "Knife Crime pop-up",
            EventKind.POP_UP,
            Theme.KNIFE_CRIME,
            "Bay Tree Centre",
        ),
        (
            51,
            time(11),
            3,
            "Rural crime roadshow",
            EventKind.ROADSHOW,
            Theme.RURAL_CRIME,
            "Stow Maries Aerodrome",
        ),
        (
            65,
            time(10),
            5,
            "Road Safety pop-up",
            EventKind.POP_UP,
            Theme.ROAD_SAFETY,
            "Brentwood High Street",
        ),
    ]
    for offset, starts, hours, title, kind, theme, venue in plans:
        day = today + timedelta(days=offset)
        if day < _this_year_start(today):
            continue
        _add_event(
            _fields(
                title, kind, theme, venues[venue], minimum=2, maximum=4, agencies=police_fire[:3]
            ),
            day,
            starts,
            hours,
            EventStatus.COMPLETED if offset < 0 else EventStatus.PLANNED,
        )
    for offset, site in zip((2, 4, 10, 17, 25, 31), sites, strict=False):
        day = today + timedelta(days=offset)
        _add_event(
            _fields(
                f"Speedwatch – {site.road}",
                EventKind.SPEEDWATCH,
                Theme.ROAD_SAFETY,
                site=site,
                minimum=3,
                maximum=5,
                agencies=[PartnerAgency.ESSEX_POLICE],
            ),
            day,
            time(10),
            1.5,
            EventStatus.PLANNED,
        )


def _add_event(
    fields: EventFields, day: date, starts: time, hours: float, status: EventStatus
) -> None:
    event = Event(status=status)
    from ..events.services import apply_fields

    fields.starts_at = local_to_utc(day, starts)
    fields.ends_at = fields.starts_at + timedelta(hours=hours)
    apply_fields(event, fields)
    db.session.add(event)


def _signups(volunteers: list[User], coordinator: User, today: date) -> None:
    """Some sessions full with a waiting list, some short, as a real month looks."""
    upcoming = (
        db.session.execute(
            select(Event)
            .where(Event.starts_at > utcnow(), Event.status == EventStatus.PLANNED)
            .order_by(Event.starts_at)
            .limit(14)
        )
        .scalars()
        .all()
    )
    for index, event in enumerate(upcoming):
        wanted = (index * 3) % (event.max_volunteers + 2)
        for person in volunteers[index % 5 :]:
            if wanted <= 0:
                break
            try:
                sign_up(event, person, by=person)
                wanted -= 1
            except DomainError:  # demo: skip anyone the rules refuse
                db.session.rollback()
