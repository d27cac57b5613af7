"""Forms for inviting people, their details and their qualifications."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import EmailField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import Email, InputRequired, Length, Optional, Regexp, ValidationError

from ..auth.roles import Role
from ..formfields import GovDateField, options
from .vocabulary import QualificationKind

PHONE = Regexp(
    r"^\+?[0-9 ()-]{7,20}$", message="Enter a phone number, like 01277 312500 or 07700 900123"
)


class PersonDetailsForm(FlaskForm):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the person's name"), Length(max=120)],
    )
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter an email address"),
            Length(max=254),
            Email("Enter an email address like name@example.org", check_deliverability=False),
        ],
    )
    phone = StringField("Phone (optional)", widget=GovTextInput(), validators=[Optional(), PHONE])
    ward = StringField(
        "Ward or parish (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=80)]
    )
    organisation = StringField(
        "Organisation (partners)",
        widget=GovTextInput(),
        description="For example: Essex Police, ECFRS",
        validators=[Optional(), Length(max=120)],
    )
    submit = SubmitField("Save details", widget=GovSubmitInput())


class InviteForm(PersonDetailsForm):
    role = RadioField(
        "They are a",
        widget=GovRadioInput(),
        choices=options(
            [
                (Role.VOLUNTEER.value, "Volunteer"),
                (Role.PARTNER.value, "Partner officer (police, fire, council)"),
            ]
        ),
        validators=[InputRequired("Choose whether they are a volunteer or a partner")],
    )
    submit = SubmitField("Create invitation link", widget=GovSubmitInput())


class QualificationForm(FlaskForm):
    kind = SelectField(
        "Qualification",
        widget=GovSelect(),
        choices=options([(k.value, k.label) for k in QualificationKind]),
        validators=[InputRequired("Choose the qualification")],
    )
    obtained_on = GovDateField(
        "Date passed or issued",
        validators=[InputRequired("Enter the date it was passed or issued")],
    )
    expires_on = GovDateField("Expiry date", validators=[InputRequired("Enter the expiry date")])
    reference = StringField(
        "Certificate or course reference (optional)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=80)],
    )
    submit = SubmitField("Save qualification", widget=GovSubmitInput())

    def validate_expires_on(self, field):
        if self.obtained_on.data and field.data and field.data <= self.obtained_on.data:
            raise ValidationError("The expiry date must be after the date it was passed or issued")
        if (
            self.obtained_on.data
            and field.data
            and (field.data - self.obtained_on.data).days > 3700
        ):
            raise ValidationError("The expiry date must be within 10 years of the issue date")

    def validate_obtained_on(self, field):
        if field.data and field.data.year < 1990:
            raise ValidationError("The date passed or issued must be after 1990")
