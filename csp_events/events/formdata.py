"""Between event forms and services: choices, local times to UTC, errors back to fields."""

from ..auth.models import User
from ..auth.roles import Role
from ..extensions import db
from ..formfields import options, options_of, validated
from ..places.models import SpeedwatchSite, Venue
from ..timezones import AmbiguousLocalTime, NonexistentLocalTime, local_to_utc, to_local
from .forms import EventDetailsForm
from .kinds import EventKind, Theme
from .models import Event
from .services import EventFields, ScheduleProblems


def offer_choices(form: EventDetailsForm, *, keep_home_visit: bool = False) -> None:
    """The form's lists. Home visits are arranged from their referral (so a resident is never
    named in a title), so only an existing one keeps that kind here."""
    if not keep_home_visit:
        form.kind.choices = [c for c in options_of(form.kind) if c.value != EventKind.HOME_VISIT]
    venues = db.session.execute(db.select(Venue.id, Venue.name).order_by(Venue.name)).all()
    sites = db.session.execute(db.select(SpeedwatchSite).order_by(SpeedwatchSite.road)).scalars()
    form.venue_id.choices = options([("", "Choose a venue")] + [(v.id, v.name) for v in venues])
    form.site_id.choices = options(
        [("", "Choose a site")]
        + [(s.id, f"{s.name} – {s.approval_status.label.lower()}") for s in sites]
    )
    if hasattr(form, "partner_officer_ids"):
        partners = db.session.execute(
            db.select(User)
            .where(User.role == Role.PARTNER, User.active.is_(True))
            .order_by(User.name)
        ).scalars()
        form.partner_officer_ids.choices = options(
            [(p.id, f"{p.name}, {p.organisation}" if p.organisation else p.name) for p in partners]
        )


def fields_from_form(form: EventDetailsForm) -> EventFields:
    day = validated(form.start_date.data)
    try:
        starts_at = local_to_utc(day, form.start_time.data)
    except (NonexistentLocalTime, AmbiguousLocalTime) as error:
        raise ScheduleProblems({"start_time": str(error)}) from None
    try:
        ends_at = local_to_utc(day, form.end_time.data)
    except (NonexistentLocalTime, AmbiguousLocalTime) as error:
        raise ScheduleProblems({"end_time": str(error)}) from None
    return EventFields(
        title=form.title.data or "",
        kind=EventKind(form.kind.data),
        theme=Theme(form.theme.data) if form.theme.data else None,
        starts_at=starts_at,
        ends_at=ends_at,
        venue_id=form.venue_id.data,
        site_id=form.site_id.data,
        area=form.area.data or "",
        min_volunteers=form.min_volunteers.data or 0,
        max_volunteers=form.max_volunteers.data or 0,
        partner_agencies=form.partner_agencies.data or [],
        partner_officer_ids=getattr(form, "partner_officer_ids", None)
        and form.partner_officer_ids.data
        or [],
        is_public=form.is_public.data,
        notes=form.notes.data or "",
    )


def show_problems(form: EventDetailsForm, problems: ScheduleProblems) -> None:
    for field_name, message in problems.problems.items():
        field = getattr(form, field_name, None) or form.start_date
        field.errors = [*field.errors, message]


def form_data_for(event: Event) -> dict:
    local_start = to_local(event.starts_at)
    return {
        "title": event.title,
        "kind": event.kind,
        "theme": event.theme or "",
        "venue_id": event.venue_id,
        "site_id": event.site_id,
        "area": event.area,
        "start_date": local_start.date(),
        "start_time": local_start.time(),
        "end_time": to_local(event.ends_at).time(),
        "min_volunteers": event.min_volunteers,
        "max_volunteers": event.max_volunteers,
        "partner_agencies": event.partner_agency_codes.split(","),
        "partner_officer_ids": [p.id for p in event.partner_officers],
        "is_public": event.is_public,
        "notes": event.notes,
    }


def copy_form_data(event: Event) -> dict:
    """Everything of the event but its date, for scheduling another like it."""
    data = form_data_for(event)
    del data["start_date"]
    return data
