"""Choosing a rota: the days and the kinds of session (sent by GET, so it can be bookmarked)."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovSubmitInput
from wtforms import SelectMultipleField, SubmitField
from wtforms.validators import Optional

from ..events.vocabulary import EventKind
from ..formfields import GovDateField, optional_choice, options


class RotaForm(FlaskForm):
    class Meta:
        csrf = False

    first = GovDateField("First day", validators=[Optional()])
    last = GovDateField("Last day", validators=[Optional()])
    kind = SelectMultipleField(
        "Kinds of session",
        widget=GovCheckboxesInput(),
        description="Leave all unticked for every kind.",
        validators=[optional_choice()],
    )
    submit = SubmitField("Show the rota", widget=GovSubmitInput())

    def offer(self, kinds: list[EventKind]) -> None:
        self.kind.choices = options((k.value, k.label) for k in kinds)
