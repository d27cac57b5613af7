"""Between the outcome form and the service: what the form shows, and what it asks for."""

from ..auth.models import User
from ..events.kinds import Theme
from ..events.models import Event
from ..stock.models import StockItem
from .forms import CAME, DID_NOT_COME, outcome_form_class
from .kinds import Audience, Weather
from .models import Attendance, EventOutcome
from .rules import HoursProblem, attendance_problem, hours_text, parse_hours
from .services import (
    AttendanceEntry,
    Attendee,
    OutcomeFields,
    takes_walk_ins,
    walk_in_choices,
)

OPTIONAL_FIELDS = (
    "people_engaged",
    "vehicles_checked",
    "vehicles_over_threshold",
    "highest_speed_mph",
)


def build_form(event: Event, attendees: list[Attendee], stock_items: list[StockItem], person: User):
    """`attendees` is read once per request and used for building, filling, reading and
    showing the form alike, so a walk-in saved meanwhile by someone else cannot leave a
    row without its fields."""
    listed = [(a.user_id, a.name) for a in attendees]
    speed_limit = event.site.speed_limit if event.site else None
    walk_ins = walk_in_choices(event) if takes_walk_ins(event, person) else None
    form_class = outcome_form_class(
        event.kind, speed_limit, listed, [(i.id, i.name) for i in stock_items], walk_ins
    )
    return form_class()


def fill(
    form,
    event: Event,
    attendees: list[Attendee],
    outcome: EventOutcome | None,
    attendance: dict[int, Attendance],
    handed_out: dict[int, int],
) -> None:
    """What a GET shows: the saved outcome, or sensible starting values for a new one."""
    minutes = int((event.ends_at - event.starts_at).total_seconds() // 60)
    for person in attendees:
        row = attendance.get(person.user_id)
        came = row is None or row.attended
        getattr(form, f"came_{person.user_id}").data = CAME if came else DID_NOT_COME
        given = row.minutes if row and row.attended else minutes
        getattr(form, f"hours_{person.user_id}").data = hours_text(min(given, 24 * 60))
    for item_id, count in handed_out.items():
        field = getattr(form, f"item_{item_id}", None)
        if field is not None:
            field.data = count
    agencies = outcome.partner_agencies if outcome else event.partner_agencies
    form.partner_agencies.data = [a.value for a in agencies]
    if hasattr(form, "theme") and event.theme:
        form.theme.data = event.theme.value
    if outcome is None:
        return
    form.notes.data = outcome.notes
    for name in OPTIONAL_FIELDS:
        if hasattr(form, name):
            getattr(form, name).data = getattr(outcome, name)
    if hasattr(form, "audience") and outcome.audience:
        form.audience.data = outcome.audience.value
    if hasattr(form, "weather") and outcome.weather:
        form.weather.data = outcome.weather.value


def read(form, attendees: list[Attendee]) -> OutcomeFields | None:
    """The typed outcome, or None after putting each problem next to its field."""
    entries, ok = [], True
    for person in attendees:
        came = getattr(form, f"came_{person.user_id}").data == CAME
        minutes = _minutes(getattr(form, f"hours_{person.user_id}"), came)
        ok = ok and minutes is not None
        entries.append(AttendanceEntry(person.user_id, came, minutes or 0))
    walk_in = None
    if getattr(form, "also_came", None) is not None and form.also_came.data:
        if (form.also_came_hours.data or "").strip():
            minutes = _minutes(form.also_came_hours, True)
        else:
            form.also_came_hours.errors.append("Enter the hours they gave")
            minutes = None
        ok = ok and minutes is not None
        walk_in = AttendanceEntry(int(form.also_came.data), True, minutes or 0)
    if not ok:
        return None
    value = lambda name: getattr(form, name).data if hasattr(form, name) else None
    audience, theme, weather = value("audience"), value("theme"), value("weather")
    return OutcomeFields(
        people_engaged=value("people_engaged") or 0,
        partner_agencies=form.partner_agencies.data or [],
        audience=Audience(audience) if audience else None,
        theme=Theme(theme) if theme else None,
        vehicles_checked=value("vehicles_checked"),
        vehicles_over_threshold=value("vehicles_over_threshold"),
        highest_speed_mph=value("highest_speed_mph"),
        weather=Weather(weather) if weather else None,
        notes=form.notes.data or "",
        attendance=entries,
        walk_in=walk_in,
        items={
            int(name.removeprefix("item_")): field.data or 0
            for name, field in form._fields.items()
            if name.startswith("item_")
        },
    )


def _minutes(hours, came: bool) -> int | None:
    """The minutes typed into an hours field, or None after putting the problem beside it."""
    if not came:
        return 0
    typed = (hours.data or "").strip()
    try:
        minutes = parse_hours(typed) if typed else 0
    except HoursProblem as problem:
        hours.errors.append(str(problem))
        return None
    refusal = attendance_problem(came, minutes)
    if refusal:
        hours.errors.append(refusal)
        return None
    return minutes


def show_problems(form, problems: dict[str, str]) -> None:
    for name, message in problems.items():
        field = getattr(form, name, None) or form.notes
        field.errors = [*field.errors, message]
