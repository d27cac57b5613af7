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
)
from .kinds import EventKind, PartnerAgency, Theme
from .rules import MAX_VOLUNTEERS

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
            coerce=lambda v: int(v) if str(v).isdigit() else None,
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


class EventForm(EventDetailsForm):
    partner_officer_ids = SelectMultipleField(
        "Partner officers attending",
        widget=GovCheckboxesInput(),
        coerce=int,
    )
    submit = SubmitField("Save event", widget=GovSubmitInput())
