"""Channels, audiences and where each delivery stands."""

from enum import StrEnum


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"

    @property
    def label(self) -> str:
        return {"email": "Email", "sms": "Text message"}[self.value]

    @property
    def choice(self) -> str:
        """The person's own yes or no to this channel (see reminders/registry.py)."""
        return {"email": "messages_email", "sms": "messages_sms"}[self.value]


class AudienceKind(StrEnum):
    SESSION = "session"
    SERIES = "series"
    QUALIFICATION = "qualification"
    WARD = "ward"
    ALL_VOLUNTEERS = "all_volunteers"


class RosterPart(StrEnum):
    CONFIRMED = "confirmed"
    WAITING = "waiting"
    BOTH = "both"

    @property
    def label(self) -> str:
        return {
            "confirmed": "Confirmed volunteers",
            "waiting": "The waiting list",
            "both": "Confirmed and waiting",
        }[self.value]


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # in the outbox
    SENDING = "sending"  # claimed by one sender; never sent twice
    SENT = "sent"  # handed to the mail server or to Notify
    DELIVERED = "delivered"  # Notify says the phone has it
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {
            "pending": "Waiting to go",
            "sending": "Sending",
            "sent": "Sent",
            "delivered": "Delivered",
            "failed": "Not delivered",
        }[self.value]

    @property
    def is_final(self) -> bool:
        return self in (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED)
