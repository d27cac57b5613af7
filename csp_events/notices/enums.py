"""The kinds of notice and where each one stands in the outbox."""

from enum import StrEnum


class NoticeKind(StrEnum):
    SESSION_CANCELLED = "session_cancelled"
    SESSION_MOVED = "session_moved"
    SESSION_REINSTATED = "session_reinstated"
    PLACE_PROMOTED = "place_promoted"
    REMOVED = "removed"
    ADDED = "added"
    PARTNER_NAMED = "partner_named"
    COVER_REQUEST = "cover_request"

    @property
    def choice(self) -> str:
        """The email choice (see reminders/registry.py) that turns this kind on or off."""
        return _CHOICES[self]


_CHOICES = {
    NoticeKind.SESSION_CANCELLED: "session_changed",
    NoticeKind.SESSION_MOVED: "session_changed",
    NoticeKind.SESSION_REINSTATED: "session_changed",
    NoticeKind.PARTNER_NAMED: "session_changed",
    NoticeKind.PLACE_PROMOTED: "promoted",
    NoticeKind.REMOVED: "roster_changed",
    NoticeKind.ADDED: "roster_changed",
    NoticeKind.COVER_REQUEST: "cover_request",
}


class NoticeStatus(StrEnum):
    PENDING = "pending"  # in the outbox, to be sent
    SENDING = "sending"  # claimed by one sender; if it stopped here, never sent twice
    SENT = "sent"
    FAILED = "failed"  # refused for good, or after every attempt
