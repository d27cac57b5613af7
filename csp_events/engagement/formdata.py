"""Between the outcome form and the service: what the form shows, and what it asks for."""

from ..events.kinds import Theme
from ..events.models import Event
from ..stock.models import StockItem
from .forms import CAME, DID_NOT_COME, outcome_form_class
from .kinds import Audience, Weather
from .models import Attendance, EventOutcome
from .rules import HoursProblem, attendance_problem, hours_text, parse_hours
from .services import AttendanceEntry, OutcomeFields, confirmed_roster

OPTIONAL_FIELDS = (
    "people_engaged",
    "vehicles_checked",
    "vehicles_over_threshold",
    "highest_speed_mph",
)


def build_form(event: Event, stock_items: list[StockItem]):
    roster = [(s.user_id, s.user.name) for s in confirmed_roster(event)]
    speed_limit = event.site.speed_limit if event.site else None
    form_class = outcome_form_class(
        event.kind, speed_limit, roster, [(i.id, i.name) for i in stock_items]
    )
    return form_class()


def fill(
    form,
    event: Event,
    outcome: EventOutcome | None,
    attendance: dict[int, Attendance],
    handed_out: dict[int, int],
) -> None:
    """What a GET shows: the saved outcome, or sensible starting values for a new one."""
    minutes = int((event.ends_at - event.starts_at).total_seconds() // 60)
    for signup in confirmed_roster(event):
        row = attendance.get(signup.user_id)
        came = row is None or row.attended
        getattr(form, f"came_{signup.user_id}").data = CAME if came else DID_NOT_COME
        given = row.minutes if row and row.attended else minutes
        getattr(form, f"hours_{signup.user_id}").data = hours_text(min(given, 24 * 60))
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


def read(form, event: Event) -> OutcomeFields | None:
    """The typed outcome, or None after putting each problem next to its field."""
    entries, ok = [], True
    for signup in confirmed_roster(event):
        came = getattr(form, f"came_{signup.user_id}").data == CAME
        hours = getattr(form, f"hours_{signup.user_id}")
        minutes = 0
        if came:
            try:
                minutes = parse_hours(hours.data or "") if (hours.data or "").strip() else 0
            except HoursProblem as problem:
                hours.errors.append(str(problem))
                ok = False
                continue
            problem = attendance_problem(came, minutes)
            if problem:
                hours.errors.append(problem)
                ok = False
        entries.append(AttendanceEntry(signup.user_id, came, minutes))
    if not ok:
        return None
    value = lambda name: getattr(form, name).data if hasattr(form, name) else None
    return OutcomeFields(
        people_engaged=value("people_engaged") or 0,
        partner_agencies=form.partner_agencies.data or [],
        audience=Audience(value("audience")) if value("audience") else None,
        theme=Theme(value("theme")) if value("theme") else None,
        vehicles_checked=value("vehicles_checked"),
        vehicles_over_threshold=value("vehicles_over_threshold"),
        highest_speed_mph=value("highest_speed_mph"),
        weather=Weather(value("weather")) if value("weather") else None,
        notes=form.notes.data or "",
        attendance=entries,
        items={
            int(name.removeprefix("item_")): field.data or 0
            for name, field in form._fields.items()
            if name.startswith("item_")
        },
    )


def show_problems(form, problems: dict[str, str]) -> None:
    for name, message in problems.items():
        field = getattr(form, name, None) or form.notes
        field.errors = [*field.errors, message]
