"""Forms for the stock list: an item, a delivery, a count."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..formfields import GovDateField, WholeNumberField

MOST = 1_000_000


class StockItemForm(FlaskForm):
    name = StringField(
        "Name",
        widget=GovTextInput(),
        description="For example: Purse bells",
        validators=[InputRequired("Enter the item's name"), Length(max=120)],
    )
    description = StringField(
        "Description (optional)",
        widget=GovTextInput(),
        description="For example: the ‘Lock ’em Out’ leaflet",
        validators=[Optional(), Length(max=250)],
    )
    low_stock_level = WholeNumberField(
        "Warn when stock falls to",
        description="The dashboard warns when there are this many or fewer left",
        default=10,
        validators=[
            InputRequired("Enter the level for the low-stock warning"),
            NumberRange(0, MOST, f"Enter a number up to {MOST:,}"),
        ],
    )
    active = BooleanField(
        "Still handed out (untick to hide it from the outcome form)",
        widget=GovCheckboxInput(),
        default=True,
    )
    submit = SubmitField("Save item", widget=GovSubmitInput())


class DeliveryForm(FlaskForm):
    quantity = WholeNumberField(
        "How many arrived",
        validators=[
            InputRequired("Enter how many arrived"),
            NumberRange(1, MOST, f"Enter a number from 1 to {MOST:,}"),
        ],
    )
    funder = StringField(
        "Funded by",
        widget=GovTextInput(),
        description="For example: Police, Fire and Crime Commissioner for Essex",
        validators=[InputRequired("Enter who funded this delivery"), Length(max=120)],
    )
    delivered_on = GovDateField(
        "Delivered on", validators=[InputRequired("Enter the date it was delivered")]
    )
    submit = SubmitField("Record delivery", widget=GovSubmitInput())


class CountForm(FlaskForm):
    counted = WholeNumberField(
        "How many are there now",
        description="Count the shelf; the ledger records the difference as an adjustment",
        validators=[
            InputRequired("Enter how many there are now"),
            NumberRange(0, MOST, f"Enter a number up to {MOST:,}"),
        ],
    )
    reason = StringField(
        "Reason",
        widget=GovTextInput(),
        description="For example: stock count on 1 April, damaged in storage, lost",
        validators=[InputRequired("Say why the stock is being adjusted"), Length(max=250)],
    )
    submit = SubmitField("Record adjustment", widget=GovSubmitInput())
