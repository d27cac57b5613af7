"""The equipment register, bookings, and who has an item now (custody)."""

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, func, text
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..dbtypes import EnumText, UTCDateTime
from ..extensions import Model, db
from ..people.vocabulary import QualificationKind
from ..timezones import utcnow
from .vocabulary import BookingStatus, Condition, EquipmentKind, ItemStatus

if TYPE_CHECKING:  # names for the annotations only; the mapper resolves them by name
    from ..events.models import Event


class EquipmentItem(Model):
    __tablename__ = "equipment_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[EquipmentKind] = mapped_column(EnumText(EquipmentKind, 30))
    serial_number: Mapped[str] = mapped_column(String(80), default="")
    kept_at: Mapped[str] = mapped_column(String(160))
    # Who may book it: the coordinator always; volunteers only with this qualification in date.
    required_qualification: Mapped[QualificationKind | None] = mapped_column(
        EnumText(QualificationKind, 20)
    )
    volunteers_may_book: Mapped[bool] = mapped_column(default=True)
    status: Mapped[ItemStatus] = mapped_column(
        EnumText(ItemStatus, 20), default=ItemStatus.AVAILABLE
    )
    out_of_service_reason: Mapped[str] = mapped_column(String(250), default="")
    calibration_certificate: Mapped[str] = mapped_column(String(80), default="")
    calibration_expires_on: Mapped[date | None]
    handover_buffer_minutes: Mapped[int] = mapped_column(default=30)
    max_booking_hours: Mapped[int] = mapped_column(default=72)
    # Collection and return only on these days (0 = Monday), between these local times.
    handover_days: Mapped[str] = mapped_column(String(20), default="0,1,2,3,4,5")
    handover_opens: Mapped[time] = mapped_column(default=time(8, 30))
    handover_closes: Mapped[time] = mapped_column(default=time(17, 0))
    closed_on_bank_holidays: Mapped[bool] = mapped_column(default=True)
    notes: Mapped[str] = mapped_column(Text, default="")

    bookings: Mapped[list["EquipmentBooking"]] = relationship(
        back_populates="item", order_by="EquipmentBooking.starts_at"
    )

    @property
    def handover_weekdays(self) -> frozenset[int]:
        return frozenset(
            int(d)
            for d in self.handover_days.split(",")
            if d.strip().isascii() and d.strip().isdigit()
        )

    @property
    def in_service(self) -> bool:
        return self.status == ItemStatus.AVAILABLE


class EquipmentBooking(Model):
    """An item reserved from collection to return; `blocked_until` adds the handover buffer."""

    __tablename__ = "equipment_bookings"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="return_after_collection"),
        CheckConstraint("blocked_until >= ends_at", name="buffer_not_negative"),
        Index("ix_equipment_bookings_item_time", "item_id", "starts_at"),
        # The rule that matters most (never two overlapping bookings of one item), held by
        # PostgreSQL itself; on SQLite the booking transaction takes the write lock first.
        ExcludeConstraint(
            ("item_id", "="),
            (func.tstzrange(text("starts_at"), text("blocked_until"), text("'[)'")), "&&"),
            using="gist",
            where=text("status = 'active'"),
            name="no_overlapping_bookings",
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("equipment_items.id"))
    booked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    blocked_until: Mapped[datetime] = mapped_column(UTCDateTime)
    # The time the booker needs it; collection and return move out to the handover hours
    # around it (a Sunday session: collected Saturday, returned Monday). None: the same.
    needed_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    needed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[BookingStatus] = mapped_column(
        EnumText(BookingStatus, 20), default=BookingStatus.ACTIVE
    )
    purpose: Mapped[str] = mapped_column(String(250), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    item: Mapped[EquipmentItem] = relationship(back_populates="bookings")
    booked_by: Mapped[User] = relationship()
    event: Mapped["Event | None"] = relationship()

    @property
    def is_active(self) -> bool:
        return self.status == BookingStatus.ACTIVE

    @property
    def stretched(self) -> bool:
        """Collected before or returned after the time it is needed (the handover hours)."""
        return (self.needed_from or self.starts_at) != self.starts_at or (
            self.needed_until or self.ends_at
        ) != self.ends_at


class EquipmentCheckout(Model):
    """Who collected an item, when and in what condition; and its return."""

    __tablename__ = "equipment_checkouts"
    __table_args__ = (
        # At most one open check-out per item, on both engines.
        Index(
            "uq_equipment_checkouts_open_item",
            "item_id",
            unique=True,
            sqlite_where=text("returned_at IS NULL"),
            postgresql_where=text("returned_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("equipment_items.id"), index=True)
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("equipment_bookings.id", ondelete="SET NULL")
    )
    collected_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    collected_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_back_at: Mapped[datetime] = mapped_column(UTCDateTime)
    condition_out: Mapped[Condition] = mapped_column(EnumText(Condition, 20))
    returned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    condition_in: Mapped[Condition | None] = mapped_column(EnumText(Condition, 20))
    notes: Mapped[str] = mapped_column(Text, default="")

    item: Mapped[EquipmentItem] = relationship()
    booking: Mapped[EquipmentBooking | None] = relationship()
    collected_by: Mapped[User] = relationship(foreign_keys=[collected_by_id])
    returned_by: Mapped[User | None] = relationship(foreign_keys=[returned_by_id])

    @property
    def is_open(self) -> bool:
        return self.returned_at is None


@db.event.listens_for(EquipmentBooking.__table__, "before_create")
def _gist_extension(target, connection, **_kw):
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS btree_gist")
