"""Imports every model so the metadata (and Alembic) sees every table."""

from .auth.models import FailedLogin, InviteToken, User
from .equipment.models import EquipmentBooking, EquipmentCheckout, EquipmentItem
from .events.models import Event, EventSeries, event_partner_officers
from .feeds.models import FeedToken
from .people.models import Qualification
from .places.models import SpeedwatchSite, Venue
from .signups.models import Signup

__all__ = [
    "EquipmentBooking",
    "EquipmentCheckout",
    "EquipmentItem",
    "Event",
    "EventSeries",
    "FailedLogin",
    "FeedToken",
    "InviteToken",
    "Qualification",
    "Signup",
    "SpeedwatchSite",
    "User",
    "Venue",
    "event_partner_officers",
]
