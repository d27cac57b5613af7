"""Forms for referrals: the resident's details, the referral, its status, and erasure."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError

from ..formfields import GovDateField, options
from ..timezones import to_local, utcnow
from .vocabulary import (
    ConsentMethod,
    ContactMethod,
    ReferralSource,
    Vulnerability,
)

UK_POSTCODE = Regexp(
    r"^\s*[A-Za-z]{1,2}[0-9][A-Za-z0-9]?\s*[0-9][A-Za-z]{2}\s*$",
    message="Enter a full UK postcode, like CM15 8AY",
)
UK_PHONE = Regexp(
    r"^\s*(\+44\s?|0)[0-9 ()-]{9,14}\s*$",
    message="Enter a UK phone number, like 01277 312500 or 07700 900123",
)


def not_in_future(form, field) -> None:
    if field.data and field.data > to_local(utcnow()).date():
        raise ValidationError("The date consent was given cannot be in the future")


class ResidentForm(FlaskForm):
    """The resident's details: the same fields to refer and to correct."""

    name = StringField(
        "Resident’s full name",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the resident’s name"), Length(max=120)],
    )
    address = TextAreaField(
        "Address",
        widget=GovTextArea(),
        description="House number or name, street and town. The postcode goes below",
        validators=[InputRequired("Enter the resident’s address"), Length(max=300)],
    )
    postcode = StringField(
        "Postcode",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the postcode"), UK_POSTCODE],
    )
    phone = StringField(
        "Phone number",
        widget=GovTextInput(),
        validators=[InputRequired("Enter a phone number for the resident"), UK_PHONE],
    )
    vulnerabilities = SelectMultipleField(
        "What makes them vulnerable",
        widget=GovCheckboxesInput(),
        description="Select all that apply",
        choices=options((v.value, v.label) for v in Vulnerability),
        validators=[InputRequired("Select at least one reason for the referral")],
    )
    vulnerability_note = TextAreaField(
        "Anything the visiting volunteers need to know",
        widget=GovTextArea(),
        description=(
            "Keep it short: only what helps the visit, "
            "for example ‘uses a walking frame, slow to the door’"
        ),
        validators=[Optional(), Length(max=300, message="Keep the note under 300 characters")],
    )
    contact_method = RadioField(
        "How to arrange the visit",
        widget=GovRadioInput(),
        choices=options((c.value, c.label) for c in ContactMethod),
        validators=[InputRequired("Choose how to arrange the visit")],
    )
    contact_note = StringField(
        "Contact details to use, if not the resident’s phone",
        widget=GovTextInput(),
        description="For example, a daughter’s phone number, or the best time to call",
        validators=[Optional(), Length(max=200)],
    )
    consent_method = RadioField(
        "How consent was given",
        widget=GovRadioInput(),
        choices=options((c.value, c.label) for c in ConsentMethod),
        validators=[InputRequired("Choose how consent was given")],
    )
    consent_given_by = StringField(
        "Who gave consent",
        widget=GovTextInput(),
        description="‘The resident’, or the name and relationship of who gave it on their behalf",
        default="The resident",
        validators=[InputRequired("Enter who gave consent"), Length(max=120)],
    )
    consent_given_on = GovDateField(
        "Date consent was given",
        validators=[InputRequired("Enter the date consent was given"), not_in_future],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class ReferralForm(ResidentForm):
    source = RadioField(
        "Who is referring",
        widget=GovRadioInput(),
        choices=options((s.value, s.label) for s in ReferralSource),
        validators=[InputRequired("Choose who is referring")],
    )
    partner_reference = StringField(
        "Your own reference (optional)",
        widget=GovTextInput(),
        description=(
            "For example a crime or incident number, so you can recognise the referral. Not a name"
        ),
        validators=[Optional(), Length(max=40)],
    )
    consent_confirmed = BooleanField(
        "The resident (or their representative) agrees to the referral "
        "and to the partnership keeping these details",
        widget=GovCheckboxInput(),
        validators=[
            InputRequired("Confirm that consent was given: we cannot take a referral without it")
        ],
    )
    submit = SubmitField("Send referral", widget=GovSubmitInput())

    def limit_sources(self, sources) -> None:
        self.source.choices = options((s.value, s.label) for s in sources)


class StatusForm(FlaskForm):
    status = RadioField(
        "What has happened",
        widget=GovRadioInput(),
        choices=[],
        validators=[InputRequired("Choose what has happened")],
    )
    submit = SubmitField("Update referral", widget=GovSubmitInput())


class EraseForm(FlaskForm):
    confirmed = BooleanField(
        "I have checked the request and the resident’s identity",
        widget=GovCheckboxInput(),
        validators=[InputRequired("Confirm you have checked the request before erasing")],
    )
    submit = SubmitField("Erase resident details", widget=GovSubmitInput())
