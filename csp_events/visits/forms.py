"""Forms for arranging a visit and recording its outcome."""

from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovSubmitInput,
    GovTextArea,
)
from wtforms import BooleanField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ..events.forms import CoercingSelect
from ..formfields import GovDateField, TimeOfDayField, no_registration_number, options
from .vocabulary import Advice, Measure, OnwardReferral


class VisitForm(FlaskForm):
    start_date = GovDateField(
        "Date", description="For example, 27 3 2027", validators=[InputRequired("Enter the date")]
    )
    start_time = TimeOfDayField(
        "Start time",
        description="24-hour clock, for example 10:00",
        validators=[InputRequired("Enter the start time")],
    )
    end_time = TimeOfDayField(
        "End time",
        description="For example 11:30",
        validators=[InputRequired("Enter the end time")],
    )
    first_volunteer = CoercingSelect(
        "First volunteer",
        description="Only volunteers with home-visit training and a DBS check in date are listed",
        validators=[InputRequired("Choose the first volunteer")],
    )
    second_volunteer = CoercingSelect(
        "Second volunteer", validators=[InputRequired("Choose the second volunteer")]
    )
    submit = SubmitField("Arrange visit", widget=GovSubmitInput())

    def validate_start_date(self, field) -> None:
        if field.data and field.data < date(2000, 1, 1):
            raise ValidationError("Enter a real date")


class OutcomeForm(FlaskForm):
    measures = SelectMultipleField(
        "Measures fitted",
        widget=GovCheckboxesInput(),
        description=(
            "Counted for the annual report. Items taken from the stock cupboard are recorded "
            "with the visit’s hours, under ‘Record the outcome’ on the visit’s page."
        ),
        choices=options((m.value, m.label) for m in Measure),
    )
    advice = SelectMultipleField(
        "Advice given",
        widget=GovCheckboxesInput(),
        choices=options((a.value, a.label) for a in Advice),
    )
    onward = SelectMultipleField(
        "Onward referrals made",
        widget=GovCheckboxesInput(),
        choices=options((o.value, o.label) for o in OnwardReferral),
    )
    follow_up_needed = BooleanField("A follow-up visit is needed", widget=GovCheckboxInput())
    note = TextAreaField(
        "Note for the coordinator",
        widget=GovTextArea(),
        description="Only what the coordinator needs to follow up",
        validators=[Optional(), Length(max=500), no_registration_number],
    )
    submit = SubmitField("Save outcome", widget=GovSubmitInput())
