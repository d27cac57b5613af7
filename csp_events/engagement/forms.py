"""The outcome form: built for the event in hand (its roster, its kind, the stock list)."""

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

from ..events.kinds import EventKind, PartnerAgency, Theme
from ..formfields import WholeNumberField, no_registration_number, optional_choice, options
from .kinds import Audience, Weather
from .rules import counts_people, enforcement_threshold, uses_audience

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
