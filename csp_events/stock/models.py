"""Crime-prevention items and the ledger of every movement in and out."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..dbtypes import EnumText, UTCDateTime
from ..events.models import Event
from ..extensions import Model
from ..timezones import utcnow
from .vocabulary import MovementKind


class StockItem(Model):
    """`balance` is what is on the shelf: kept by the ledger, never below zero (a CHECK too)."""

    __tablename__ = "stock_items"
    __table_args__ = (
        CheckConstraint("balance >= 0", name="balance_not_negative"),
        CheckConstraint("low_stock_level >= 0", name="low_stock_level_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(String(250), default="")
    low_stock_level: Mapped[int] = mapped_column(default=10)
    balance: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_low(self) -> bool:
        return self.balance <= self.low_stock_level


class StockMovement(Model):
    """One line of the ledger. `quantity` is the change: deliveries add, issues take away."""

    __tablename__ = "stock_movements"
    __table_args__ = (
        CheckConstraint("quantity <> 0", name="quantity_not_zero"),
        CheckConstraint("kind <> 'delivery' OR quantity > 0", name="delivery_adds"),
        CheckConstraint(
            "kind NOT IN ('issue', 'imported_issue') OR event_id IS NOT NULL",
            name="issue_names_its_event",
        ),
        CheckConstraint("kind <> 'adjustment' OR reason <> ''", name="adjustment_has_reason"),
        Index("ix_stock_movements_event_item", "event_id", "item_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("stock_items.id"), index=True)
    kind: Mapped[MovementKind] = mapped_column(EnumText(MovementKind, 20))
    quantity: Mapped[int]
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))
    funder: Mapped[str] = mapped_column(String(120), default="")
    reason: Mapped[str] = mapped_column(String(250), default="")
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    item: Mapped[StockItem] = relationship()
    event: Mapped[Event | None] = relationship()
    recorded_by: Mapped[User | None] = relationship()
