"""Choosing a report's period: a financial year, one of its quarters, or any two dates."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput
from wtforms import RadioField, SelectField, SubmitField
from wtforms.validators import Optional

from ..formfields import GovDateField, optional_choice, options
from .rules import QUARTER_NAMES


class PeriodForm(FlaskForm):
    """Sent by GET, so a report has an address people can bookmark or share."""

    class Meta:
        csrf = False

    year = SelectField("Financial year", widget=GovSelect(), coerce=int, validators=[Optional()])
    quarter = RadioField(
        "Quarter",
        widget=GovRadioInput(),
        choices=options(
            [("", "The whole year")]
            + [(str(n), f"Quarter {n}: {name}") for n, name in QUARTER_NAMES.items()]
        ),
        default="",
        validators=[optional_choice()],
    )
    first = GovDateField("From", validators=[Optional()])
    last = GovDateField("To", validators=[Optional()])
    submit = SubmitField("Show the report", widget=GovSubmitInput())
