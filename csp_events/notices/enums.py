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
    PARTNER_UNNAMED = "partner_unnamed"
    COVER_REQUEST = "cover_request"

    @property
    def attaches_the_event(self) -> bool:
        """Whether the email carries the session as .ics: not to someone taken off it, whose
        calendar should lose it (their feed drops it), not gain a copy."""
        return self != NoticeKind.PARTNER_UNNAMED

    @property
    def choice(self) -> str:
        """The email choice (see reminders/registry.py) that turns this kind on or off."""
        return _CHOICES[self]


_CHOICES = {
    NoticeKind.SESSION_CANCELLED: "session_changed",
    NoticeKind.SESSION_MOVED: "session_changed",
    NoticeKind.SESSION_REINSTATED: "session_changed",
    NoticeKind.PARTNER_NAMED: "session_changed",
    NoticeKind.PARTNER_UNNAMED: "session_changed",
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
