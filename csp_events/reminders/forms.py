"""Which reminder emails a person gets."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovSubmitInput
from wtforms import SelectMultipleField, SubmitField


class PreferencesForm(FlaskForm):
    kinds = SelectMultipleField(
        "Which emails do you want?",
        widget=GovCheckboxesInput(),
        description="Select all that apply. Leave them all unticked to get none.",
        choices=[],
        validate_choice=False,  # the service refuses anything not offered, with a message
    )
    submit = SubmitField("Save choices", widget=GovSubmitInput())
