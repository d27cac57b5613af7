"""The form for a recurring series."""

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import IntegerField, RadioField, SelectField, SubmitField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from ..events.forms import EventDetailsForm
from ..events.recurrence import MAX_OCCURRENCES, Frequency
from ..formfields import GovDateField
from .services import SERIES_KINDS


class SeriesForm(EventDetailsForm):
    frequency = RadioField("How often", widget=GovRadioInput(),
                           choices=[(f.value, f.label) for f in Frequency],
                           validators=[InputRequired("Choose how often it repeats")])
    week_of_month = SelectField(
        "Which week of the month (monthly on a weekday)", widget=GovSelect(),
        description="Leave as it is to use the first date's week",
        choices=[("", "The same week as the first date"), ("1", "First"), ("2", "Second"),
                 ("3", "Third"), ("4", "Fourth"), ("-1", "Last")],
        validators=[Optional()])
    ends = RadioField("Ends", widget=GovRadioInput(),
                      choices=[("until", "On a date"), ("count", "After a number of sessions")],
                      validators=[InputRequired("Choose how the series ends")])
    until = GovDateField("End date", validators=[Optional()])
    count = IntegerField("Number of sessions", widget=GovTextInput(),
                         validators=[Optional(), NumberRange(1, MAX_OCCURRENCES,
                                     f"Enter a number from 1 to {MAX_OCCURRENCES}")])
    submit = SubmitField("Save series", widget=GovSubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k.value, k.label) for k in SERIES_KINDS]
        self.start_date.label.text = "First date"

    def validate_until(self, field):
        if self.ends.data == "until" and field.data is None:
            raise ValidationError("Enter the end date")

    def validate_count(self, field):
        if self.ends.data == "count" and field.data is None:
            raise ValidationError("Enter the number of sessions")
