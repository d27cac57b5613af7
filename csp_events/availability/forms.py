"""The volunteer's form for saying when they are away."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import RadioField, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, Optional

from ..formfields import GovDateField, options
from .vocabulary import AbsenceKind, Weekday


class AbsenceForm(FlaskForm):
    kind = RadioField(
        "How are you away?",
        widget=GovRadioInput(),
        choices=options([(k.value, k.label) for k in AbsenceKind]),
        validators=[InputRequired("Choose how you are away")],
    )
    first_day = GovDateField("First day away", validators=[Optional()])
    last_day = GovDateField("Last day away", validators=[Optional()])
    weekday = SelectField(
        "Day of the week you never do",
        widget=GovSelect(),
        choices=options([("", "Choose a day")] + [(str(d.value), d.label) for d in Weekday]),
        validators=[Optional()],
    )
    note = StringField(
        "Note (optional)",
        widget=GovTextInput(),
        description="For example: on holiday. The coordinator sees this",
        validators=[Optional(), Length(max=200)],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

    def weekday_number(self) -> int | None:
        value = self.weekday.data or ""
        return int(value) if value.isascii() and value.isdigit() else None
