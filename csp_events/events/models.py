"""Scheduled events, and the recurring series some of them belong to."""

from datetime import date, datetime, time
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..dbtypes import EnumText, UTCDateTime
from ..extensions import Model, db
from ..places.models import SpeedwatchSite, Venue
from ..timezones import utcnow
from .recurrence import Frequency
from .vocabulary import EventKind, EventStatus, PartnerAgency, Theme

if TYPE_CHECKING:  # names for the annotations only; the mapper resolves them by name
    from ..signups.models import Signup

event_partner_officers = Table(
    "event_partner_officers",
    db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class SeriesStatus(StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"


class EventDetails:
    """Columns an event shares with the series that generates it."""

    title: Mapped[str] = mapped_column(String(120))
    kind: Mapped[EventKind] = mapped_column(EnumText(EventKind, 20))
    theme: Mapped[Theme | None] = mapped_column(EnumText(Theme, 30))
    min_volunteers: Mapped[int] = mapped_column(default=0)
    max_volunteers: Mapped[int] = mapped_column(default=0)
    partner_agency_codes: Mapped[str] = mapped_column(String(250), default="")
    is_public: Mapped[bool] = mapped_column(default=True)
    notes: Mapped[str] = mapped_column(Text, default="")

    @property
    def partner_agencies(self) -> list[PartnerAgency]:
        return [PartnerAgency(code) for code in self.partner_agency_codes.split(",") if code]

    @partner_agencies.setter
    def partner_agencies(self, agencies) -> None:
        self.partner_agency_codes = ",".join(PartnerAgency(a).value for a in agencies)


class EventSeries(EventDetails, Model):
    """A repeating pattern (e.g. NHW surgery, second Tuesday monthly)."""

    __tablename__ = "event_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venues.id"))
    frequency: Mapped[Frequency] = mapped_column(EnumText(Frequency, 30))
    first_day: Mapped[date]
    local_start: Mapped[time]
    duration_minutes: Mapped[int]
    until: Mapped[date | None]
    count: Mapped[int | None]
    week_of_month: Mapped[int | None]
    status: Mapped[SeriesStatus] = mapped_column(
        EnumText(SeriesStatus, 20), default=SeriesStatus.ACTIVE
    )
    # Moves on with every change calendar clients must pick up (RFC 5545 SEQUENCE).
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    venue: Mapped[Venue | None] = relationship()
    events: Mapped[list["Event"]] = relationship(
        back_populates="series", order_by="Event.original_start"
    )


class Event(EventDetails, Model):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("max_volunteers >= min_volunteers", name="capacity_covers_minimum"),
        Index("ix_events_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[EventStatus] = mapped_column(
        EnumText(EventStatus, 20), default=EventStatus.PLANNED
    )
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venues.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("speedwatch_sites.id"), index=True)
    # Home visits show only the postcode district (e.g. "CM15"), never an address.
    area: Mapped[str] = mapped_column(String(8), default="")
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_series.id", ondelete="SET NULL"), index=True
    )
    # A home visit's referral (the resident's details stay with the referral, never here).
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referrals.id"), index=True)
    # The start the series gave this occurrence; identifies it when it is moved.
    original_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Changed on its own, so later edits of the whole series leave it alone.
    detached: Mapped[bool] = mapped_column(default=False)
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    venue: Mapped[Venue | None] = relationship()
    site: Mapped[SpeedwatchSite | None] = relationship()
    series: Mapped[EventSeries | None] = relationship(back_populates="events")
    partner_officers: Mapped[list[User]] = relationship(
        secondary=event_partner_officers, order_by=User.name
    )
    signups: Mapped[list["Signup"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Signup.queued_at"
    )

    @property
    def place_name(self) -> str:
        if self.kind == EventKind.HOME_VISIT:
            return f"Home visit area {self.area}" if self.area else "Home visit"
        if self.site is not None:
            return self.site.name
        return self.venue.name if self.venue is not None else "To be confirmed"

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED
