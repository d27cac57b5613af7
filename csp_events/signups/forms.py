"""The coordinator's form for adding someone to a roster."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..events.forms import CoercingSelect


class AddToRosterForm(FlaskForm):
    # Starts on "Choose a volunteer": with the first name chosen for them, pressing the button
    # by mistake added someone nobody chose.
    volunteer_id = CoercingSelect("Volunteer", validators=[DataRequired("Choose a volunteer")])
    override_reason = TextAreaField(
        "Reason for overriding qualifications (only if they lack one)",
        widget=GovTextArea(),
        description=(
            "For example: training booked for next week; paired with an experienced volunteer"
        ),
        validators=[Optional(), Length(max=500)],
    )
    submit = SubmitField("Add to roster", widget=GovSubmitInput())


class RemoveFromRosterForm(FlaskForm):
    reason = TextAreaField(
        "Why are you removing them?",
        widget=GovTextArea(),
        description="Kept on the roster and sent to them. Needed this close to the session.",
        validators=[Optional(), Length(max=500, message="Keep the reason under 500 characters")],
    )
    submit = SubmitField("Remove from the session", widget=GovSubmitInput())
