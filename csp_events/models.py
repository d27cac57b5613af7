"""Imports every model so the metadata (and Alembic) sees every table."""

from .auth.models import FailedLogin, InviteToken, PasswordResetToken, User
from .availability.models import Absence
from .changes.models import ChangeLogEpoch, ChangeRecord
from .cover.models import CoverOffer, CoverRequest
from .engagement.models import Attendance, EventOutcome
from .equipment.models import EquipmentBooking, EquipmentCheckout, EquipmentItem
from .events.models import Event, EventSeries, event_partner_officers
from .feeds.models import FeedItemRevision, FeedState, FeedToken, RevisionGeneration
from .imports.models import ImportBatch
from .messaging.models import Message, MessageDelivery
from .notices.models import Notice
from .people.models import Qualification
from .places.models import SpeedwatchSite, Venue
from .referrals.audit import AuditRecord
from .referrals.models import Referral, ReferralStep, ResidentDetails
from .reminders.models import ReminderChoice, SentReminder
from .signups.models import Signup
from .stock.models import StockItem, StockMovement
from .visits.models import VisitMeasure, VisitOutcome, VisitSafetyCheck

__all__ = [
    "Absence",
    "Attendance",
    "AuditRecord",
    "ChangeLogEpoch",
    "ChangeRecord",
    "CoverOffer",
    "CoverRequest",
    "EquipmentBooking",
    "EquipmentCheckout",
    "EquipmentItem",
    "Event",
    "EventOutcome",
    "EventSeries",
    "FailedLogin",
    "FeedItemRevision",
    "FeedState",
    "FeedToken",
    "ImportBatch",
    "InviteToken",
    "Message",
    "MessageDelivery",
    "Notice",
    "PasswordResetToken",
    "Qualification",
    "Referral",
    "ReferralStep",
    "ReminderChoice",
    "ResidentDetails",
    "RevisionGeneration",
    "SentReminder",
    "Signup",
    "SpeedwatchSite",
    "StockItem",
    "StockMovement",
    "User",
    "Venue",
    "VisitMeasure",
    "VisitOutcome",
    "VisitSafetyCheck",
    "event_partner_officers",
]
