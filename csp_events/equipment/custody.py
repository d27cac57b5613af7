"""Custody: who has an item now, its check-out and check-in history, overdue returns."""

from datetime import date, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from ..auth.models import User
from ..errors import DomainError
from ..extensions import db
from ..timezones import utcnow
from .models import EquipmentBooking, EquipmentCheckout, EquipmentItem
from .vocabulary import BookingStatus, Condition, EquipmentKind


def open_checkout(item: EquipmentItem) -> EquipmentCheckout | None:
    return db.session.execute(
        db.select(EquipmentCheckout)
        .where(EquipmentCheckout.item_id == item.id, EquipmentCheckout.returned_at.is_(None))
        .options(selectinload(EquipmentCheckout.collected_by))
    ).scalar_one_or_none()


def check_out(
    item: EquipmentItem,
    *,
    collected_by: User,
    condition: Condition,
    due_back_at: datetime,
    booking: EquipmentBooking | None = None,
    notes: str = "",
) -> EquipmentCheckout:
    """Record a collection. An item out with someone cannot be checked out again until returned."""
    if open_checkout(item) is not None:
        raise DomainError(f"{item.name} is already checked out. Check it in first.")
    now = utcnow()
    if due_back_at <= now:
        raise DomainError("The return time must be in the future.", field="due_back_date")
    checkout = EquipmentCheckout(
        item_id=item.id,
        booking_id=booking.id if booking else None,
        collected_by_id=collected_by.id,
        collected_at=now,
        due_back_at=due_back_at,
        condition_out=condition,
        notes=notes.strip(),
    )
    db.session.add(checkout)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise DomainError(f"{item.name} has just been checked out by someone else.") from None
    return checkout


def check_in(
    item: EquipmentItem, *, returned_by: User, condition: Condition, notes: str = ""
) -> EquipmentCheckout:
    """Record the return: who brought it back, when, and in what condition."""
    checkout = open_checkout(item)
    if checkout is None:
        raise DomainError(f"{item.name} is not checked out.")
    checkout.returned_by_id, checkout.returned_at = returned_by.id, utcnow()
    checkout.condition_in = condition
    if notes.strip():
        checkout.notes = f"{checkout.notes}\n{notes.strip()}".strip()
    db.session.commit()
    return checkout


def current_booking(item: EquipmentItem, now: datetime) -> EquipmentBooking | None:
    """The active booking whose collection time is nearest to now (the one being collected)."""
    bookings = [b for b in item.bookings if b.status == BookingStatus.ACTIVE and b.ends_at > now]
    return min(bookings, key=lambda b: abs((b.starts_at - now).total_seconds()), default=None)


def history(item: EquipmentItem) -> list[EquipmentCheckout]:
    return list(
        db.session.execute(
            db.select(EquipmentCheckout)
            .where(EquipmentCheckout.item_id == item.id)
            .options(
                selectinload(EquipmentCheckout.collected_by),
                selectinload(EquipmentCheckout.returned_by),
            )
            .order_by(EquipmentCheckout.collected_at.desc())
        ).scalars()
    )


def overdue_returns(now: datetime) -> list[EquipmentCheckout]:
    return list(
        db.session.execute(
            db.select(EquipmentCheckout)
            .where(EquipmentCheckout.returned_at.is_(None), EquipmentCheckout.due_back_at < now)
            .options(joinedload(EquipmentCheckout.item), joinedload(EquipmentCheckout.collected_by))
            .order_by(EquipmentCheckout.due_back_at)
        ).scalars()
    )


def calibration_due(today: date, days: int = 30) -> list[EquipmentItem]:
    return list(
        db.session.execute(
            db.select(EquipmentItem)
            .where(
                EquipmentItem.kind == EquipmentKind.SPEED_GUN,
                (EquipmentItem.calibration_expires_on.is_(None))
                | (EquipmentItem.calibration_expires_on <= today + timedelta(days=days)),
            )
            .order_by(EquipmentItem.calibration_expires_on)
        ).scalars()
    )
