"""The coordinator's message: who it is for, by which channels, and what it says."""

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
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..formfields import options
from ..people.vocabulary import QualificationKind
from .enums import AudienceKind, Channel, RosterPart

AUDIENCES = [
    (AudienceKind.SESSION.value, "Everyone on a session"),
    (AudienceKind.SERIES.value, "Everyone on a series (sessions still to come)"),
    (AudienceKind.QUALIFICATION.value, "Volunteers with a qualification"),
    (AudienceKind.WARD.value, "Volunteers in a ward"),
    (AudienceKind.ALL_VOLUNTEERS.value, "Every active volunteer"),
]


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class MessageForm(FlaskForm):
    audience = RadioField(
        "Who is it for?",
        widget=GovRadioInput(),
        choices=options(AUDIENCES),
        validators=[InputRequired("Choose who the message is for")],
    )
    event_id = SelectField(
        "Session", widget=GovSelect(), coerce=_int_or_none, validate_choice=False
    )
    part = RadioField(
        "On the session or series",
        widget=GovRadioInput(),
        choices=options((p.value, p.label) for p in RosterPart),
        default=RosterPart.BOTH.value,
        validators=[Optional()],
    )
    series_id = SelectField(
        "Series", widget=GovSelect(), coerce=_int_or_none, validate_choice=False
    )
    qualification = SelectField(
        "Qualification",
        widget=GovSelect(),
        choices=options([("", "Choose"), *((q.value, q.label) for q in QualificationKind)]),
        validators=[Optional()],
    )
    ward = SelectField("Ward", widget=GovSelect(), validate_choice=False)
    channels = SelectMultipleField(
        "Send by",
        widget=GovCheckboxesInput(),
        choices=options((c.value, c.label) for c in Channel),
        default=[Channel.EMAIL.value],
        validators=[DataRequired("Choose email, text message or both")],
    )
    subject = StringField(
        "Subject",
        widget=GovTextInput(),
        validators=[
            DataRequired("Write a subject"),
            Length(max=120, message="Keep the subject under 120 characters"),
        ],
    )
    body = TextAreaField(
        "Message",
        widget=GovTextArea(),
        description="A text message can be at most 612 characters, with the subject.",
        validators=[
            DataRequired("Write the message"),
            Length(max=5000, message="Keep the message under 5,000 characters"),
        ],
    )
    preview = SubmitField("Check who it goes to", widget=GovSubmitInput())
    send = SubmitField("Send message", widget=GovSubmitInput())
