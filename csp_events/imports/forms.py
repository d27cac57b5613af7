"""Uploading a spreadsheet of past activity."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput
from wtforms import SubmitField
from wtforms.validators import ValidationError


class UploadForm(FlaskForm):
    file = FileField(
        "CSV file",
        widget=GovFileInput(),
        description="Save the spreadsheet as CSV (comma separated) first. Nothing is imported yet.",
    )
    submit = SubmitField("Check the file", widget=GovSubmitInput())

    def validate_file(self, field):
        upload = field.data
        if upload is None or not getattr(upload, "filename", ""):
            raise ValidationError("Choose a CSV file to upload")
        if not upload.filename.lower().endswith(".csv"):
            raise ValidationError("The file must be a CSV file (its name ends .csv)")
