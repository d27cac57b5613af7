"""The outcome form: built for the event in hand (its roster, its kind, the stock list)."""

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..events.models import Event
from ..events.vocabulary import EventKind, PartnerAgency, Theme
from ..formfields import WholeNumberField, no_registration_number, optional_choice, options
from ..stock.models import StockItem
from .models import Attendance, EventOutcome
from .rules import (
    HoursProblem,
    attendance_problem,
    counts_people,
    enforcement_threshold,
    hours_text,
    parse_hours,
    uses_audience,
)
from .services import AttendanceEntry, Attendee, OutcomeFields
from .vocabulary import Audience, Weather

CAME, DID_NOT_COME = "came", "no_show"
MOST_OF_ANYTHING = 100_000


class OutcomeForm(FlaskForm):
    """The fields every outcome has; `outcome_form_class` adds the event's own."""

    partner_agencies = SelectMultipleField(
        "Partner agencies present",
        widget=GovCheckboxesInput(),
        choices=options((a.value, a.label) for a in PartnerAgency),
    )
    notes = TextAreaField(
        "Notes",
        widget=GovTextArea(),
        description="What went well, what to change next time. Never registration numbers.",
        validators=[Optional(), Length(max=4000), no_registration_number],
    )
    submit = SubmitField("Save the outcome", widget=GovSubmitInput())


def count_field(label: str, description: str = "", required: str | None = None):
    first = InputRequired(required) if required else Optional()
    return WholeNumberField(
        label,
        description=description,
        validators=[
            first,
            NumberRange(0, MOST_OF_ANYTHING, f"Enter a number up to {MOST_OF_ANYTHING:,}"),
        ],
    )


def came_field(name: str):
    return RadioField(
        name,
        widget=GovRadioInput(),
        choices=options([(CAME, "Came"), (DID_NOT_COME, "Did not come")]),
        default=CAME,
        validators=[InputRequired(f"Say whether {name} came")],
    )


def hours_field(name: str):
    return StringField(
        f"Hours {name} gave",
        widget=GovTextInput(),
        description="For example 2, 2.5 or 2:30. Include setting up and travel to the site.",
        validators=[Optional(), Length(max=10)],
    )


def outcome_form_class(
    kind: EventKind, speed_limit: int | None, roster, stock_items, walk_ins=None
):
    """A form class for one event: `roster` (user id, name) pairs, `stock_items` (id, name),
    and `walk_ins` (id, name) when this person may add someone who came unannounced."""

    class EventOutcomeForm(OutcomeForm):
        pass

    fields = EventOutcomeForm
    if counts_people(kind):
        fields.people_engaged = count_field(
            "People engaged",
            "Everyone you spoke to or who took part, counted once",
            "Enter how many people you engaged with (0 if none)",
        )
    if uses_audience(kind):
        fields.audience = RadioField(
            "Audience",
            widget=GovRadioInput(),
            choices=options((a.value, a.label) for a in Audience),
            validators=[InputRequired("Choose the audience")],
        )
        fields.theme = SelectField(
            "Theme",
            widget=GovSelect(),
            choices=options([("", "Choose a theme")] + [(t.value, t.label) for t in Theme]),
            validators=[InputRequired("Choose the theme")],
        )
    if kind == EventKind.SPEEDWATCH and speed_limit is not None:
        threshold = enforcement_threshold(speed_limit)
        fields.vehicles_checked = count_field(
            "Vehicles checked", required="Enter how many vehicles were checked"
        )
        fields.vehicles_over_threshold = count_field(
            f"Vehicles at or over {threshold} mph",
            f"The enforcement threshold for this {speed_limit} mph road",
            "Enter how many were at or over the threshold (0 if none)",
        )
        fields.highest_speed_mph = count_field(
            "Highest speed seen (mph)", "Leave empty if no vehicles were checked"
        )
        fields.weather = RadioField(
            "Weather",
            widget=GovRadioInput(),
            choices=options((w.value, w.label) for w in Weather),
            validators=[InputRequired("Choose the weather")],
        )
    for user_id, name in roster:
        setattr(fields, f"came_{user_id}", came_field(name))
        setattr(fields, f"hours_{user_id}", hours_field(name))
    if walk_ins is not None:
        fields.also_came = SelectField(
            "Someone else who came",
            widget=GovSelect(),
            description="A volunteer who helped without signing up: their hours count too.",
            choices=options([("", "Nobody else")] + [(str(i), name) for i, name in walk_ins]),
            validators=[optional_choice()],
        )
        fields.also_came_hours = StringField(
            "Hours they gave",
            widget=GovTextInput(),
            description="For example 2, 2.5 or 2:30.",
            validators=[Optional(), Length(max=10)],
        )
    for item_id, name in stock_items:
        setattr(
            fields,
            f"item_{item_id}",
            count_field(name, "How many were handed out (leave empty for none)"),
        )
    return fields


OPTIONAL_FIELDS = (
    "people_engaged",
    "vehicles_checked",
    "vehicles_over_threshold",
    "highest_speed_mph",
)


def outcome_form(
    event: Event,
    attendees: list[Attendee],
    stock_items: list[StockItem],
    walk_ins: list[tuple[int, str]] | None,
):
    """`attendees` is read once per request and used for building, filling, reading and
    showing the form alike, so a walk-in saved meanwhile by someone else cannot leave a
    row without its fields. `walk_ins` is None when this person cannot add one."""
    listed = [(a.user_id, a.name) for a in attendees]
    speed_limit = event.site.speed_limit if event.site else None
    form_class = outcome_form_class(
        event.kind, speed_limit, listed, [(i.id, i.name) for i in stock_items], walk_ins
    )
    return form_class()


def fill_outcome_form(
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


def read_outcome_form(form, attendees: list[Attendee]) -> OutcomeFields | None:
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
    audience, theme, weather = (_data(form, name) for name in ("audience", "theme", "weather"))
    return OutcomeFields(
        people_engaged=_data(form, "people_engaged") or 0,
        partner_agencies=form.partner_agencies.data or [],
        audience=Audience(audience) if audience else None,
        theme=Theme(theme) if theme else None,
        vehicles_checked=_data(form, "vehicles_checked"),
        vehicles_over_threshold=_data(form, "vehicles_over_threshold"),
        highest_speed_mph=_data(form, "highest_speed_mph"),
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


def _data(form, name: str) -> Any:
    """A field only some kinds of event's outcome form have: its data, or None without it."""
    return getattr(form, name).data if hasattr(form, name) else None


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
