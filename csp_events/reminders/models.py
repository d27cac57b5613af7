"""Reminders sent (so none is sent twice) and each person's choice of reminders."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..dbtypes import UTCDateTime
from ..extensions import Model
from ..timezones import utcnow


class SentReminder(Model):
    """A reminder claimed for sending. The unique key is what makes it at most once: the row is
    inserted and committed before the email goes, so a second process (or a second run) finds
    it and sends nothing. A crash between the claim and the send loses that one reminder."""

    __tablename__ = "sent_reminders"
    __table_args__ = (UniqueConstraint("kind", "subject_id", "recipient_id", "occurrence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int]
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    occurrence: Mapped[str] = mapped_column(String(64))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=1)
    # Set when the mail server refused before accepting it: the next run may try again.
    retryable: Mapped[bool] = mapped_column(default=False)
    error: Mapped[str] = mapped_column(Text, default="")


class ReminderChoice(Model):
    """A person's yes or no to one kind of reminder; with no row, the kind's default applies."""

    __tablename__ = "reminder_choices"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    enabled: Mapped[bool]
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
