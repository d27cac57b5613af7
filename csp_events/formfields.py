"""Form fields shared by every area: GOV.UK date input and a 24-hour time."""

import re
from datetime import date, datetime, time
from typing import Any, TypeVar, cast

from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovTextInput
from wtforms import DateField, Field, IntegerField, SelectField

# typeshed's WTForms stubs (3.2) predate SelectChoice, new in the WTForms 3.3 we pin.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import Optional, StopValidation, ValidationError

from .plates import REFUSAL as REGISTRATION_REFUSED
from .plates import mentions_a_number_plate

_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


class GovDateField(DateField):
    """Three boxes (day, month, year); any other shape of input is an error, never a crash."""

    widget = GovDateInput()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format="%d %m %Y", **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist:
            self.raw_data = None  # the widget re-renders raw_data as exactly three boxes
            return
        parts = [str(v).strip() for v in valuelist[:3]]
        parts += [""] * (3 - len(parts))
        self.raw_data = parts
        if not any(parts):
            self.data = None
            return
        if not all(p.isascii() and p.isdigit() and len(p) <= 4 for p in parts):
            self.data = None
            raise ValueError(f"{self.label.text} must be a real date, for example 27 3 2027.")
        day, month, year = (int(p) for p in parts)
        if year < 1000:
            self.data = None
            raise ValueError(f"{self.label.text} must include a 4-digit year, for example 2027.")
        try:
            self.data = date(year, month, day)
        except ValueError:
            self.data = None
            raise ValueError(f"{self.label.text} must be a real date.") from None


class TimeOfDayField(Field):
    """A 24-hour clock time typed as 10:00 or 14.30."""

    widget = GovTextInput()

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%H:%M") if isinstance(self.data, time) else ""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = str(valuelist[0])
        if not text.strip():
            self.data = None
            return
        match = _TIME.match(text)
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            self.data = None
            raise ValueError(f"{self.label.text} must be a time like 10:00 or 14:30.")
        self.data = time(int(match[1]), int(match[2]))


T = TypeVar("T")


def validated(value: T | None) -> T:
    """A required field's data once its form has validated: its InputRequired or DataRequired
    refused an empty value, so None here would be a bug in the form, not the user's input."""
    if value is None:
        raise ValueError("a required field reached the service empty; check its validators")
    return value


def show_error(field: Field, message: str) -> None:
    """Put a message beside a field, as a failed validator would. Before validation a field's
    errors are an empty tuple, so they are replaced, never appended to."""
    field.errors = [*field.errors, message]


def combine(day: date | None, at: time | None) -> datetime | None:
    return datetime.combine(day, at) if day and at else None


def no_registration_number(_form, field) -> None:
    """Free text a volunteer types never keeps a vehicle registration number."""
    if isinstance(field.data, str) and mentions_a_number_plate(field.data):
        raise ValidationError(REGISTRATION_REFUSED)


class OptionalChoice(Optional):
    """Nothing chosen is fine, but whatever is sent must be one of the choices.

    WTForms' plain Optional() looks only at the first value, stripped: a blank-looking " ", or
    "" followed by a value no one offered, counted as 'nothing chosen' and the 'Not a valid
    choice' error was cleared, so the value reached the database or the code (and failed)."""

    def __call__(self, form, field):
        if not any(field.raw_data or []):
            field.errors[:] = []
            raise StopValidation()


def optional_choice() -> OptionalChoice:
    return OptionalChoice()


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the choices WTForms expects."""
    return [SelectChoice(value, label) for value, label in pairs]


def options_of(field: SelectField) -> list[Any]:
    """A choice field's options as options() set them: WTForms 3.3 keeps the SelectChoice
    objects it was given, where typeshed's stubs (3.2) still describe (value, label) tuples."""
    return cast(list[Any], field.choices)


class WholeNumberField(IntegerField):
    """A count typed into a text box; anything else gets a message naming the field."""

    widget = GovTextInput()

    def process_formdata(self, valuelist):
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        text = str(valuelist[0]).strip()
        self.data = None
        if not (text.isascii() and text.isdigit()):
            raise ValueError(f"{self.label.text} must be a whole number, like 3")
        if len(text) > 12:
            raise ValueError(f"{self.label.text} is far too large: check the number")
        # Within 12 digits the field's NumberRange gives the message naming the range.
        self.data = int(text)
