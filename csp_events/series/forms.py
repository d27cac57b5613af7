"""The form for a recurring series."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import RadioField, SelectField, SubmitField
from wtforms.validators import InputRequired, NumberRange, Optional

from ..events.forms import EventDetailsForm
from ..events.recurrence import MAX_OCCURRENCES, Frequency
from ..formfields import GovDateField, WholeNumberField, optional_choice, options
from .services import SERIES_KINDS


class SeriesForm(EventDetailsForm):
    frequency = RadioField(
        "How often",
        widget=GovRadioInput(),
        choices=options([(f.value, f.label) for f in Frequency]),
        validators=[InputRequired("Choose how often it repeats")],
    )
    week_of_month = SelectField(
        "Which week of the month (monthly on a weekday)",
        widget=GovSelect(),
        description="Leave as it is to use the first date's week",
        choices=options(
            [
                ("", "The same week as the first date"),
                ("1", "First"),
                ("2", "Second"),
                ("3", "Third"),
                ("4", "Fourth"),
                ("-1", "Last"),
            ]
        ),
        validators=[optional_choice()],
    )
    ends = RadioField(
        "Ends",
        widget=GovRadioInput(),
        choices=options([("until", "On a date"), ("count", "After a number of sessions")]),
        validators=[InputRequired("Choose how the series ends")],
    )
    until = GovDateField("End date", validators=[Optional()])
    count = WholeNumberField(
        "Number of sessions",
        widget=GovTextInput(),
        validators=[
            Optional(),
            NumberRange(1, MAX_OCCURRENCES, f"Enter a number from 1 to {MAX_OCCURRENCES}"),
        ],
    )
    submit = SubmitField("Save series", widget=GovSubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = options([(k.value, k.label) for k in SERIES_KINDS])
        self.start_date.label.text = "First date"

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Checked here, not per field: an empty optional field skips its own validators.
        if self.ends.data == "until" and self.until.data is None and not self.until.errors:
            self.until.errors = [*self.until.errors, "Enter the end date"]
            valid = False
        if self.ends.data == "count" and self.count.data is None and not self.count.errors:
            self.count.errors = [*self.count.errors, "Enter the number of sessions"]
            valid = False
        return valid
