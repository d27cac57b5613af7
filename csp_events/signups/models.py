"""Volunteers signed up for sessions, and the waiting list."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..dbtypes import EnumText, UTCDateTime
from ..extensions import Model
from ..timezones import utcnow
from .vocabulary import SignupStatus

if TYPE_CHECKING:  # names for the annotations only; the mapper resolves them by name
    from ..events.models import Event


class Signup(Model):
    """One person's place on one event; signing up again reuses the row."""

    __tablename__ = "signups"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)
    # Logged as a change to this person's sign-ups (changes/scopes.py): their own calendar
    # feed is built again, and nobody else's is.
    __change_scope__ = "user_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[SignupStatus] = mapped_column(EnumText(SignupStatus, 20))
    # Waiting-list order: earliest queued is promoted first.
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    override_reason: Mapped[str] = mapped_column(String(500), default="")
    # When the waiting list moved this person up (they are told by a reminder email).
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Why the coordinator took this person off (asked for after the withdrawal cut-off).
    removal_reason: Mapped[str] = mapped_column(String(500), default="")

    event: Mapped["Event"] = relationship(back_populates="signups")
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def is_confirmed(self) -> bool:
        return self.status == SignupStatus.CONFIRMED

    @property
    def is_waiting(self) -> bool:
        return self.status == SignupStatus.WAITLISTED

    @property
    def is_removed(self) -> bool:
        return self.status == SignupStatus.REMOVED
