"""The outbox: a notice is written in the same transaction as the change it tells of."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..dbtypes import EnumText, UTCDateTime
from ..extensions import Model
from ..timezones import utcnow
from .enums import NoticeKind, NoticeStatus


class Notice(Model):
    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_status", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[NoticeKind] = mapped_column(EnumText(NoticeKind, 30))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    # What was true before the change (times, place), or the reason given: JSON.
    details: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[NoticeStatus] = mapped_column(
        EnumText(NoticeStatus, 20), default=NoticeStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str] = mapped_column(Text, default="")

    recipient: Mapped[User] = relationship()
