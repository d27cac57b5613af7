"""Venue and Speedwatch site forms."""

import re

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    FloatField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ..formfields import GovDateField, WholeNumberField, optional_choice, options
from .rules import MAX_SPEED_LIMIT, MIN_SPEED_LIMIT
from .vocabulary import ApprovalStatus, VenueKind
from .wards import WARDS

UK_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


def uk_postcode(_form, field):
    value = (field.data or "").strip().upper()
    if not UK_POSTCODE.match(value):
        raise ValidationError("Enter a real UK postcode, for example CM15 8AY.")
    field.data = value if " " in value else f"{value[:-3]} {value[-3:]}"


class VenueForm(FlaskForm):
    name = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the venue's name"), Length(max=120)],
    )
    kind = SelectField(
        "Kind of venue",
        widget=GovSelect(),
        choices=options([(k.value, k.label) for k in VenueKind]),
        validators=[InputRequired("Choose the kind of venue")],
    )
    address = StringField(
        "Address",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the address"), Length(max=250)],
    )
    postcode = StringField(
        "Postcode",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the postcode"), uk_postcode],
    )
    ward = SelectField(
        "Ward",
        widget=GovSelect(),
        description="Reports count the items handed out here under this ward",
        choices=options([("", "Not recorded")] + [(w, w) for w in WARDS]),
        validators=[optional_choice()],
    )
    notes = TextAreaField(
        "Notes",
        widget=GovTextArea(),
        description="Access, parking, opening times",
        validators=[Optional(), Length(max=2000)],
    )
    accessibility = TextAreaField(
        "Accessibility (shown to the public)",
        widget=GovTextArea(),
        description="For example: step-free entrance, hearing loop, accessible toilet",
        validators=[Optional(), Length(max=2000)],
    )
    latitude = FloatField(
        "Latitude (optional)",
        widget=GovTextInput(),
        description="For the map link on public event pages",
        validators=[Optional(), NumberRange(49.8, 60.9, "Enter a latitude in Great Britain")],
    )
    longitude = FloatField(
        "Longitude (optional)",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(-8.7, 1.8, "Enter a longitude in Great Britain")],
    )
    submit = SubmitField("Save venue", widget=GovSubmitInput())

    def validate_longitude(self, field):
        if (field.data is None) != (self.latitude.data is None):
            raise ValidationError("Enter both latitude and longitude, or neither")


class SiteForm(FlaskForm):
    road = StringField(
        "Road", widget=GovTextInput(), validators=[InputRequired("Enter the road"), Length(max=120)]
    )
    location = StringField(
        "Where on the road",
        widget=GovTextInput(),
        description="For example: by the bus stop opposite the school",
        validators=[InputRequired("Describe where on the road"), Length(max=250)],
    )
    speed_limit = WholeNumberField(
        "Speed limit (mph)",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the speed limit as a number"),
            NumberRange(
                MIN_SPEED_LIMIT,
                MAX_SPEED_LIMIT,
                f"Speedwatch runs on roads with limits from {MIN_SPEED_LIMIT} to "
                f"{MAX_SPEED_LIMIT} mph",
            ),
        ],
    )
    approval_status = RadioField(
        "Police approval",
        widget=GovRadioInput(),
        choices=options([(s.value, s.label) for s in ApprovalStatus]),
        validators=[InputRequired("Choose the approval status")],
    )
    approval_expires_on = GovDateField("Approval expires on", validators=[Optional()])
    risk_notes = TextAreaField(
        "Risk assessment notes", widget=GovTextArea(), validators=[Optional(), Length(max=4000)]
    )
    latitude = FloatField(
        "Latitude (optional)",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(49.8, 60.9, "Enter a latitude in Great Britain")],
    )
    longitude = FloatField(
        "Longitude (optional)",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(-8.7, 1.8, "Enter a longitude in Great Britain")],
    )
    submit = SubmitField("Save site", widget=GovSubmitInput())

    def validate_approval_expires_on(self, field):
        if self.approval_status.data == ApprovalStatus.APPROVED and field.data is None:
            raise ValidationError("Enter the date the police approval expires")

    def validate_longitude(self, field):
        if (field.data is None) != (self.latitude.data is None):
            raise ValidationError("Enter both latitude and longitude, or neither")
