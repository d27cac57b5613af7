"""A request for cover, and the offer made to each volunteer asked."""

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..dbtypes import UTCDateTime
from ..events.models import Event
from ..extensions import Model
from ..timezones import utcnow


class CoverRequest(Model):
    __tablename__ = "cover_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    asked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Whoever said yes first; once set, every other offer's link says the place is taken.
    filled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    filled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()
    filled_by: Mapped[User | None] = relationship(foreign_keys=[filled_by_id])
    offers: Mapped[list["CoverOffer"]] = relationship(back_populates="request")


class CoverOffer(Model):
    __tablename__ = "cover_offers"
    __table_args__ = (UniqueConstraint("request_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("cover_requests.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    request: Mapped[CoverRequest] = relationship(back_populates="offers")
    user: Mapped[User] = relationship()
