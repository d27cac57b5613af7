"""Forms for the equipment register, bookings and custody."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ..formfields import (
    GovDateField,
    TimeOfDayField,
    WholeNumberField,
    no_registration_number,
    optional_choice,
    options,
)
from ..people.vocabulary import QualificationKind
from .vocabulary import WEEKDAY_NAMES, Condition, EquipmentKind, ItemStatus


class ItemForm(FlaskForm):
    name = StringField(
        "Name",
        widget=GovTextInput(),
        description="For example: Speed gun 1",
        validators=[InputRequired("Enter a name"), Length(max=120)],
    )
    kind = SelectField(
        "Kind",
        widget=GovSelect(),
        choices=options((k.value, k.label) for k in EquipmentKind),
        validators=[InputRequired("Choose the kind of equipment")],
    )
    serial_number = StringField(
        "Serial number", widget=GovTextInput(), validators=[Optional(), Length(max=80)]
    )
    kept_at = StringField(
        "Where it is kept",
        widget=GovTextInput(),
        description="For example: Town Hall, community safety office",
        validators=[InputRequired("Enter where it is kept"), Length(max=160)],
    )
    volunteers_may_book = BooleanField(
        "Volunteers may book it", widget=GovCheckboxInput(), default=True
    )
    required_qualification = SelectField(
        "Qualification volunteers need to book it",
        widget=GovSelect(),
        choices=options([("", "None")] + [(q.value, q.label) for q in QualificationKind]),
        validators=[optional_choice()],
    )
    status = RadioField(
        "Status",
        widget=GovRadioInput(),
        choices=options((s.value, s.label) for s in ItemStatus),
        default=ItemStatus.AVAILABLE.value,
        validators=[InputRequired("Choose the status")],
    )
    out_of_service_reason = StringField(
        "Why it is out of service", widget=GovTextInput(), validators=[Optional(), Length(max=250)]
    )
    calibration_certificate = StringField(
        "Calibration certificate number (speed guns)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=80)],
    )
    calibration_expires_on = GovDateField(
        "Calibration expires on (speed guns)", validators=[Optional()]
    )
    handover_buffer_minutes = WholeNumberField(
        "Handover time between bookings (minutes)",
        default=30,
        validators=[
            InputRequired("Enter the handover time in minutes"),
            NumberRange(0, 24 * 60, "Enter between 0 and 1440 minutes"),
        ],
    )
    max_booking_hours = WholeNumberField(
        "Longest booking (hours)",
        default=72,
        validators=[
            InputRequired("Enter the longest booking in hours"),
            NumberRange(1, 24 * 31, "Enter between 1 and 744 hours"),
        ],
    )
    handover_days = SelectMultipleField(
        "Days it can be collected or returned",
        widget=GovCheckboxesInput(),
        choices=options((str(i), name) for i, name in enumerate(WEEKDAY_NAMES)),
        default=["0", "1", "2", "3", "4", "5"],
        validators=[InputRequired("Choose at least one day")],
    )
    handover_opens = TimeOfDayField(
        "Handover from",
        description="For example 08:30",
        validators=[InputRequired("Enter when handovers start")],
    )
    handover_closes = TimeOfDayField(
        "Handover until",
        description="For example 17:00",
        validators=[InputRequired("Enter when handovers end")],
    )
    closed_on_bank_holidays = BooleanField(
        "Closed on bank holidays", widget=GovCheckboxInput(), default=True
    )
    notes = TextAreaField("Notes", widget=GovTextArea(), validators=[Optional(), Length(max=2000)])
    submit = SubmitField("Save item", widget=GovSubmitInput())

    def validate_handover_closes(self, field):
        if self.handover_opens.data and field.data and field.data <= self.handover_opens.data:
            raise ValidationError("Handovers must end after they start")

    def validate_calibration_expires_on(self, field):
        if self.kind.data == EquipmentKind.SPEED_GUN.value and field.data is None:
            raise ValidationError("Enter the date the speed gun's calibration expires")

    def validate_out_of_service_reason(self, field):
        if self.status.data == ItemStatus.OUT_OF_SERVICE.value and not (field.data or "").strip():
            raise ValidationError("Say why it is out of service")


class BookingForm(FlaskForm):
    start_date = GovDateField(
        "Collection date", validators=[InputRequired("Enter the collection date")]
    )
    start_time = TimeOfDayField(
        "Collection time",
        description="For example 09:00",
        validators=[InputRequired("Enter the collection time")],
    )
    end_date = GovDateField("Return date", validators=[InputRequired("Enter the return date")])
    end_time = TimeOfDayField(
        "Return time",
        description="For example 13:00",
        validators=[InputRequired("Enter the return time")],
    )
    purpose = StringField(
        "What it is for",
        widget=GovTextInput(),
        description="For example: Speedwatch on Wash Road",
        validators=[Optional(), Length(max=250), no_registration_number],
    )
    submit = SubmitField("Book", widget=GovSubmitInput())


class CheckOutForm(FlaskForm):
    collected_by_id = SelectField(
        "Collected by",
        widget=GovSelect(),
        coerce=int,
        validators=[InputRequired("Choose who collected it")],
    )
    condition = RadioField(
        "Condition",
        widget=GovRadioInput(),
        choices=options((c.value, c.label) for c in Condition),
        validators=[InputRequired("Choose its condition")],
    )
    due_back_date = GovDateField(
        "Due back on", validators=[InputRequired("Enter the date it is due back")]
    )
    due_back_time = TimeOfDayField(
        "Due back by", validators=[InputRequired("Enter the time it is due back")]
    )
    notes = TextAreaField(
        "Notes",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=1000), no_registration_number],
    )
    submit = SubmitField("Record check-out", widget=GovSubmitInput())


class CheckInForm(FlaskForm):
    returned_by_id = SelectField(
        "Returned by",
        widget=GovSelect(),
        coerce=int,
        validators=[InputRequired("Choose who returned it")],
    )
    condition = RadioField(
        "Condition",
        widget=GovRadioInput(),
        choices=options((c.value, c.label) for c in Condition),
        validators=[InputRequired("Choose its condition")],
    )
    notes = TextAreaField(
        "Notes",
        widget=GovTextArea(),
        description="Damage, missing parts, battery level",
        validators=[Optional(), Length(max=1000), no_registration_number],
    )
    submit = SubmitField("Record check-in", widget=GovSubmitInput())
