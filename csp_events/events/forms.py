"""Forms for scheduling one event, and the details a series shares with its sessions."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from ..formfields import (
    GovDateField,
    TimeOfDayField,
    WholeNumberField,
    optional_choice,
    options,
    options_of,
    validated,
)
from ..routing import enum_args
from ..timezones import AmbiguousLocalTime, NonexistentLocalTime, local_to_utc, to_local
from .models import Event
from .rules import MAX_VOLUNTEERS
from .services import EventFields, ScheduleProblems, SchedulingChoices
from .vocabulary import EventKind, PartnerAgency, Theme

POSTCODE_DISTRICT = Regexp(
    r"^\s*[A-Za-z]{1,2}[0-9][A-Za-z0-9]?\s*$",
    message="Enter only the postcode district, for example CM15",
)


class CoercingSelect(SelectField):
    """A select of ids whose empty choice means 'none'; anything else not offered is refused."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(
            label,
            validators,
            coerce=lambda v: int(v) if str(v).isascii() and str(v).isdigit() else None,
            widget=GovSelect(),
            validate_choice=False,
            **kwargs,
        )

    def pre_validate(self, form):
        offered = {choice.value for choice in options_of(self)}
        if self.data is not None and self.data not in offered:
            raise ValidationError("Choose one of the options in the list")


class EventDetailsForm(FlaskForm):
    title = StringField(
        "Title", widget=GovTextInput(), validators=[InputRequired("Enter a title"), Length(max=120)]
    )
    kind = RadioField(
        "Kind of event",
        widget=GovRadioInput(),
        choices=options([(k.value, k.label) for k in EventKind]),
        validators=[InputRequired("Choose the kind of event")],
    )
    theme = SelectField(
        "Theme",
        widget=GovSelect(),
        choices=options([("", "No particular theme")] + [(t.value, t.label) for t in Theme]),
        validators=[optional_choice()],
    )
    venue_id = CoercingSelect(
        "Venue", description="Not needed for Speedwatch sessions or home visits"
    )
    site_id = CoercingSelect("Speedwatch site", description="Only for Speedwatch sessions")
    area = StringField(
        "Home visit area (postcode district)",
        widget=GovTextInput(),
        description="Only for home visits. For example CM15. Never the full address",
        validators=[Optional(), POSTCODE_DISTRICT],
    )
    start_date = GovDateField(
        "Date", description="For example, 27 3 2027", validators=[InputRequired("Enter the date")]
    )
    start_time = TimeOfDayField(
        "Start time",
        description="24-hour clock, for example 10:00 or 14:30",
        validators=[InputRequired("Enter the start time")],
    )
    end_time = TimeOfDayField(
        "End time",
        description="For example 12:00",
        validators=[InputRequired("Enter the end time")],
    )
    min_volunteers = WholeNumberField(
        "Fewest volunteers needed",
        widget=GovTextInput(),
        default=0,
        validators=[
            InputRequired("Enter the fewest volunteers needed, or 0"),
            NumberRange(0, MAX_VOLUNTEERS, f"Enter a number from 0 to {MAX_VOLUNTEERS}"),
        ],
    )
    max_volunteers = WholeNumberField(
        "Most volunteers",
        widget=GovTextInput(),
        default=0,
        description="Further sign-ups join the waiting list",
        validators=[
            InputRequired("Enter the most volunteers, or 0"),
            NumberRange(0, MAX_VOLUNTEERS, f"Enter a number from 0 to {MAX_VOLUNTEERS}"),
        ],
    )
    partner_agencies = SelectMultipleField(
        "Partner agencies attending",
        widget=GovCheckboxesInput(),
        choices=options([(a.value, a.label) for a in PartnerAgency]),
    )
    is_public = BooleanField("Show in the public calendar", widget=GovCheckboxInput(), default=True)
    notes = TextAreaField(
        "Notes for the team", widget=GovTextArea(), validators=[Optional(), Length(max=4000)]
    )

    @property
    def offers_home_visits(self) -> bool:
        """Only a home visit's own form offers the kind (visits are arranged from referrals):
        the area field and the words about visits show only then."""
        return any(c.value == EventKind.HOME_VISIT for c in options_of(self.kind))

    def validate_start_time(self, field) -> None:
        _exists_on_the_day(self.start_date.data, field.data)

    def validate_end_time(self, field) -> None:
        _exists_on_the_day(self.start_date.data, field.data)


class EventForm(EventDetailsForm):
    partner_officer_ids = SelectMultipleField(
        "Partner officers attending",
        widget=GovCheckboxesInput(),
        coerce=int,
    )
    submit = SubmitField("Save event", widget=GovSubmitInput())


def _exists_on_the_day(day, time) -> None:
    """A time the clocks skip, or pass twice, when they change is refused beside its field."""
    if day is None or time is None:
        return
    try:
        local_to_utc(day, time)
    except (NonexistentLocalTime, AmbiguousLocalTime) as error:
        raise ValidationError(str(error)) from None


def kinds_asked_for() -> list[EventKind]:
    """The kinds of event a page's `kind=` query arguments filter to (none: every kind)."""
    return enum_args("kind", EventKind)


def offer_choices(
    form: EventDetailsForm, choices: SchedulingChoices, *, keep_home_visit: bool = False
) -> None:
    """The form's lists. Home visits are arranged from their referral (so a resident is never
    named in a title), so only an existing one keeps that kind here."""
    if not keep_home_visit:
        form.kind.choices = [c for c in options_of(form.kind) if c.value != EventKind.HOME_VISIT]
    form.venue_id.choices = options(
        [("", "Choose a venue")] + [(vid, name) for vid, name in choices.venues]
    )
    form.site_id.choices = options(
        [("", "Choose a site")]
        + [(s.id, f"{s.name} – {s.approval_status.label.lower()}") for s in choices.sites]
    )
    if hasattr(form, "partner_officer_ids"):
        form.partner_officer_ids.choices = options(
            [
                (p.id, f"{p.name}, {p.organisation}" if p.organisation else p.name)
                for p in choices.partners
            ]
        )


def fields_from_form(form: EventDetailsForm) -> EventFields:
    """The validated form as the service's fields, times in UTC."""
    day = validated(form.start_date.data)
    return EventFields(
        title=validated(form.title.data),
        kind=EventKind(form.kind.data),
        theme=form.theme.data or None,
        starts_at=local_to_utc(day, form.start_time.data),
        ends_at=local_to_utc(day, form.end_time.data),
        venue_id=form.venue_id.data,
        site_id=form.site_id.data,
        area=form.area.data or "",
        min_volunteers=validated(form.min_volunteers.data),
        max_volunteers=validated(form.max_volunteers.data),
        partner_agencies=form.partner_agencies.data or [],
        partner_officer_ids=(
            getattr(form, "partner_officer_ids", None) and form.partner_officer_ids.data
        )
        or [],
        is_public=form.is_public.data,
        notes=form.notes.data or "",
    )


def show_problems(form: EventDetailsForm, problems: ScheduleProblems) -> None:
    """The service's refusals, each beside its field (the date when it has none)."""
    for field_name, message in problems.problems.items():
        field = getattr(form, field_name, None) or form.start_date
        field.errors = [*field.errors, message]


def form_data_for(event: Event) -> dict:
    """What the edit form shows for an event, in local time."""
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
