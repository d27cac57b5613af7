"""A message the coordinator sent, and one delivery per person and channel (its log)."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..dbtypes import EnumText, UTCDateTime
from ..extensions import Model
from ..timezones import utcnow
from .enums import Channel, DeliveryStatus


class Message(Model):
    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    subject: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    # Who it went to, in words ("Everyone on Speedwatch, Sat 6 Dec"), for the log.
    audience: Mapped[str] = mapped_column(String(200))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()
    deliveries: Mapped[list["MessageDelivery"]] = relationship(
        back_populates="message", order_by="MessageDelivery.id"
    )

    @property
    def still_sending(self) -> list["MessageDelivery"]:
        """Deliveries waiting in the outbox or being sent now."""
        return [
            d
            for d in self.deliveries
            if d.status in (DeliveryStatus.PENDING, DeliveryStatus.SENDING)
        ]

    @property
    def reached_count(self) -> int:
        """Deliveries handed over (sent) or confirmed on the phone (delivered)."""
        return sum(
            1
            for d in self.deliveries
            if d.status in (DeliveryStatus.SENT, DeliveryStatus.DELIVERED)
        )


class MessageDelivery(Model):
    __tablename__ = "message_deliveries"
    __table_args__ = (
        UniqueConstraint("message_id", "recipient_id", "channel"),
        Index("ix_message_deliveries_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    channel: Mapped[Channel] = mapped_column(EnumText(Channel, 10))
    # The address or number used, as it was when the message was sent.
    sent_to: Mapped[str] = mapped_column(String(254))
    status: Mapped[DeliveryStatus] = mapped_column(
        EnumText(DeliveryStatus, 20), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    # GOV.UK Notify's id for a text message, to match its status callbacks.
    provider_id: Mapped[str] = mapped_column(String(64), default="", index=True)
    error: Mapped[str] = mapped_column(Text, default="")
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    message: Mapped[Message] = relationship(back_populates="deliveries")
    recipient: Mapped[User] = relationship()
