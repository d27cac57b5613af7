"""Booking shared equipment: the checks, the database-level guarantee, and custody."""

from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..auth.roles import Role
from ..errors import DomainError
from ..extensions import db
from ..timezones import to_local, utcnow
from .models import EquipmentBooking, EquipmentItem
from .rules import (
    Handover,
    ItemFacts,
    Slot,
    blocks,
    booker_problem,
    booking_problems,
    clashes,
    handover_for,
    handover_note,
    nearest_free_slots,
)
from .vocabulary import BookingStatus, EquipmentKind, ItemStatus


class BookingRefused(DomainError):
    """The booking breaks a rule; `problems` maps form fields to messages."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(" ".join(problems.values()))
        self.problems = problems


class BookingConflict(DomainError):
    """The item is already booked then; `suggestions` are the nearest free slots."""

    def __init__(self, message: str, suggestions: list[Slot]):
        super().__init__(message, field="start_time")
        self.suggestions = suggestions


def facts(item: EquipmentItem) -> ItemFacts:
    return ItemFacts(
        status=item.status,
        out_of_service_reason=item.out_of_service_reason,
        needs_calibration=item.kind.needs_calibration,
        calibration_expires_on=item.calibration_expires_on,
        buffer=timedelta(minutes=item.handover_buffer_minutes),
        max_length=timedelta(hours=item.max_booking_hours),
        handover_weekdays=item.handover_weekdays,
        opens=item.handover_opens,
        closes=item.handover_closes,
        closed_on_bank_holidays=item.closed_on_bank_holidays,
    )


def taken_slots(item: EquipmentItem, around: Slot, *, ignore: int | None = None) -> list[Slot]:
    """Active bookings' blocked time near the wanted slot (two weeks either side)."""
    margin = timedelta(days=15)
    query = db.select(EquipmentBooking.starts_at, EquipmentBooking.blocked_until).where(
        EquipmentBooking.item_id == item.id,
        EquipmentBooking.status == BookingStatus.ACTIVE,
        EquipmentBooking.starts_at < around.ends_at + margin,
        EquipmentBooking.blocked_until > around.starts_at - margin,
    )
    if ignore is not None:
        query = query.where(EquipmentBooking.id != ignore)
    return [Slot(start, end) for start, end in db.session.execute(query)]


def _lock_item(item_id: int) -> EquipmentItem:
    """Serialise bookings of one item (PostgreSQL row lock; SQLite already holds the write lock)."""
    return db.session.execute(
        db.select(EquipmentItem).where(EquipmentItem.id == item_id).with_for_update()
    ).scalar_one()


def place_booking(
    item: EquipmentItem,
    person: User,
    starts_at: datetime,
    ends_at: datetime,
    *,
    purpose: str = "",
    event_id: int | None = None,
) -> EquipmentBooking:
    """Add a booking to the session without committing: every rule, then the clash check.

    `starts_at`–`ends_at` is when the item is needed; outside the handover hours the one
    booking runs from the last handover before to the first after, and that is what it blocks.
    """
    item = _lock_item(item.id)
    item_facts = facts(item)
    problems = booking_problems(starts_at, ends_at, item_facts, utcnow())
    expiries = {q.kind: q.expires_on for q in person.qualifications}
    who = booker_problem(
        person.role == Role.COORDINATOR,
        item.volunteers_may_book,
        item.required_qualification,
        expiries,
        to_local(starts_at).date(),
    )
    if who:
        problems["item"] = who
    if problems:  # before the handover search, which a date years ahead would overflow
        raise BookingRefused(problems)
    handover = handover_for(starts_at, ends_at, item_facts)
    if handover is None:
        raise BookingRefused(problems)
    wanted = blocks(handover.collect_at, handover.return_at, item_facts.buffer)
    taken = taken_slots(item, wanted)
    if clashes(wanted, taken):
        raise BookingConflict(
            clash_message(item, wanted, taken),
            suggest(item_facts, Slot(starts_at, ends_at), taken),
        )
    booking = EquipmentBooking(
        item_id=item.id,
        booked_by_id=person.id,
        event_id=event_id,
        starts_at=handover.collect_at,
        ends_at=handover.return_at,
        needed_from=starts_at,
        needed_until=ends_at,
        blocked_until=wanted.ends_at,
        purpose=purpose.strip(),
    )
    db.session.add(booking)
    return booking


def clash_message(item: EquipmentItem, wanted: Slot, taken: list[Slot]) -> str:
    first = min(clashes(wanted, taken), key=lambda s: s.starts_at)
    start, end = to_local(first.starts_at), to_local(first.ends_at)
    return (
        f"{item.name} is already booked from {start:%a %-d %b %H:%M} until {end:%a %-d %b %H:%M} "
        f"(including {item.handover_buffer_minutes} minutes to hand it over)."
    )


def suggest(item_facts: ItemFacts, needed: Slot, taken: list[Slot]) -> list[Slot]:
    """The nearest times of the same length it could be needed, stretched to the handover
    hours where they must be, that are free."""
    now = utcnow()

    def bookable(slot: Slot) -> bool:
        if booking_problems(slot.starts_at, slot.ends_at, item_facts, now):
            return False
        handover = handover_for(slot.starts_at, slot.ends_at, item_facts)
        if handover is None:  # booking_problems() already refused a use with no handover
            return False
        blocked = blocks(handover.collect_at, handover.return_at, item_facts.buffer)
        return not clashes(blocked, taken)

    return nearest_free_slots(needed, bookable)


def handover_explained(booking: EquipmentBooking) -> str:
    """The plain words a booker needs when the handover hours moved collection or return."""
    if not booking.stretched:
        return ""
    needed = Slot(booking.needed_from or booking.starts_at, booking.needed_until or booking.ends_at)
    return handover_note(Handover(booking.starts_at, booking.ends_at, needed), facts(booking.item))


def book(
    item: EquipmentItem, person: User, starts_at: datetime, ends_at: datetime, *, purpose: str = ""
) -> EquipmentBooking:
    """Book an item: never overlapping another booking of it, whatever else runs at once."""
    booking = place_booking(item, person, starts_at, ends_at, purpose=purpose)
    commit_booking(item)
    return booking


def commit_booking(item: EquipmentItem) -> None:
    """Commit; a clash that only the database saw (PostgreSQL's exclusion) reads the same."""
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        if (
            "no_overlapping_bookings" in str(error.orig)
            or getattr(error.orig, "sqlstate", "") == "23P01"
        ):
            raise BookingConflict(
                f"{item.name} has just been booked by someone else for that time.", []
            ) from None
        raise


def cancel_booking(booking: EquipmentBooking, by: User) -> None:
    """The person who booked, or the coordinator, may cancel; the slot is free at once."""
    if by.role != Role.COORDINATOR and booking.booked_by_id != by.id:
        raise DomainError(
            "Only the person who booked it or the coordinator can cancel this booking."
        )
    if booking.status == BookingStatus.CANCELLED:
        return
    booking.status, booking.cancelled_at = BookingStatus.CANCELLED, utcnow()
    db.session.commit()


def items() -> list[EquipmentItem]:
    return list(
        db.session.execute(
            db.select(EquipmentItem).order_by(EquipmentItem.kind, EquipmentItem.name)
        ).scalars()
    )


def speed_guns() -> list[EquipmentItem]:
    return list(
        db.session.execute(
            db.select(EquipmentItem)
            .where(EquipmentItem.kind == EquipmentKind.SPEED_GUN)
            .order_by(EquipmentItem.id)
        ).scalars()
    )


def upcoming_bookings(item: EquipmentItem, since: datetime) -> list[EquipmentBooking]:
    return list(
        db.session.execute(
            db.select(EquipmentBooking)
            .where(EquipmentBooking.item_id == item.id, EquipmentBooking.ends_at > since)
            .options(selectinload(EquipmentBooking.booked_by), selectinload(EquipmentBooking.event))
            .order_by(EquipmentBooking.starts_at)
        ).scalars()
    )


def bookings_of(person: User, since: datetime) -> list[EquipmentBooking]:
    return list(
        db.session.execute(
            db.select(EquipmentBooking)
            .where(
                EquipmentBooking.booked_by_id == person.id,
                EquipmentBooking.status == BookingStatus.ACTIVE,
                EquipmentBooking.ends_at > since,
            )
            .options(selectinload(EquipmentBooking.item))
            .order_by(EquipmentBooking.starts_at)
        ).scalars()
    )


def travel_time() -> timedelta:
    return timedelta(minutes=current_app.config["SPEEDWATCH_TRAVEL_MINUTES"])


def save_item(item: EquipmentItem, fields: dict) -> EquipmentItem:
    """Names are unique so people can tell items apart; a gun's calibration is its own field."""
    for name, value in fields.items():
        setattr(item, name, value)
    if item.status == ItemStatus.AVAILABLE:
        item.out_of_service_reason = ""
    db.session.add(item)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise DomainError("There is already an item with this name.", field="name") from None
    return item


def booking_refusal(person: User, item: EquipmentItem, today: date) -> str | None:
    """Why this person may not book this item at all (not open to volunteers, or a
    qualification they do not hold in date today), so they are not shown a form to fill in."""
    expiries = {q.kind: q.expires_on for q in person.qualifications}
    return booker_problem(
        person.role == Role.COORDINATOR,
        item.volunteers_may_book,
        item.required_qualification,
        expiries,
        today,
    )


def items_bookable_by(person: User, items: list[EquipmentItem], today: date) -> set[int]:
    return {item.id for item in items if booking_refusal(person, item, today) is None}


def item_or_404(item_id: int) -> EquipmentItem:
    return db.get_or_404(EquipmentItem, item_id)


def item_or_new(item_id: int | None) -> EquipmentItem:
    """The item to edit (404 if there is none by that id), or a new one."""
    return db.get_or_404(EquipmentItem, item_id) if item_id else EquipmentItem()


def booking_or_404(booking_id: int) -> EquipmentBooking:
    return db.get_or_404(EquipmentBooking, booking_id)
