"""Keeping the stock ledger: deliveries, adjustments and hand-outs at events, under a lock."""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..errors import DomainError
from ..events.models import Event
from ..extensions import db
from ..timezones import to_local, utcnow
from .models import StockItem, StockMovement
from .rules import (
    Adjustment,
    StockShort,
    adjustment_problems,
    balance_after,
    handed_out_changes,
)
from .vocabulary import HANDED_OUT, MovementKind


class NotEnoughStock(DomainError):
    """A hand-out or adjustment would take the shelf below zero; `field` names the item."""


class StockRefused(DomainError):
    """The movement breaks a rule; `problems` maps form fields to messages."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(" ".join(problems.values()))
        self.problems = problems


def item_field(item_id: int) -> str:
    """The outcome form's field for how many of an item were handed out."""
    return f"item_{item_id}"


def items(*, active_only: bool = False) -> list[StockItem]:
    query = select(StockItem).order_by(StockItem.name)
    if active_only:
        query = query.where(StockItem.active.is_(True))
    return list(db.session.execute(query).scalars())


def low_stock() -> list[StockItem]:
    return list(
        db.session.execute(
            select(StockItem)
            .where(StockItem.active.is_(True), StockItem.balance <= StockItem.low_stock_level)
            .order_by(StockItem.name)
        ).scalars()
    )


def save_item(item: StockItem, fields: dict) -> StockItem:
    """Names are unique so hand-outs and imported spreadsheets can name an item."""
    for name, value in fields.items():
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    db.session.add(item)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise DomainError("There is already an item with this name.", field="name") from None
    return item


def _locked(item_ids) -> dict[int, StockItem]:
    """The items' rows, read afresh and locked (PostgreSQL) in id order so two hand-outs
    never wait on each other in a circle. SQLite's writers already hold the write lock."""
    rows = db.session.execute(
        select(StockItem)
        .where(StockItem.id.in_(sorted(item_ids)))
        .order_by(StockItem.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalars()
    return {item.id: item for item in rows}


def _move(item: StockItem, kind: MovementKind, change: int, **fields) -> StockMovement:
    if kind.changes_balance:
        try:
            item.balance = balance_after(item.name, item.balance, change)
        except StockShort as short:
            raise NotEnoughStock(str(short), field=item_field(item.id)) from None
    movement = StockMovement(item_id=item.id, kind=kind, quantity=change, **fields)
    db.session.add(movement)
    return movement


def _commit() -> None:
    """Commit; the database's own CHECK (balance >= 0) is the last word."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise NotEnoughStock("The stock changed while you were typing: try again.") from None


def record_delivery(
    item: StockItem, quantity: int, *, funder: str, delivered_at: datetime, by: User
) -> StockMovement:
    """Stock in: how many arrived, when, and who paid (e.g. the Police, Fire and Crime
    Commissioner)."""
    if quantity <= 0:
        raise StockRefused({"quantity": "Enter how many arrived, 1 or more"})
    if not funder.strip():
        raise StockRefused({"funder": "Enter who funded this delivery"})
    if to_local(delivered_at).date() > to_local(utcnow()).date():
        # Stock that has not arrived cannot be handed out: record it on the day it comes.
        raise StockRefused({"delivered_on": "The delivery date must be today or earlier"})
    locked = _locked([item.id])[item.id]
    movement = _move(
        locked,
        MovementKind.DELIVERY,
        quantity,
        funder=funder.strip(),
        occurred_at=delivered_at,
        recorded_by_id=by.id,
    )
    _commit()
    return movement


def record_count(item: StockItem, counted: int, *, reason: str, by: User) -> StockMovement:
    """After counting the shelf (or finding breakage or a loss) the ledger gets an adjustment
    line for the difference, always with a reason."""
    if counted < 0:
        raise StockRefused({"counted": "Enter how many there are now, 0 or more"})
    locked = _locked([item.id])[item.id]
    quantity = counted - locked.balance
    problems = adjustment_problems(Adjustment(quantity, reason))
    if "quantity" in problems:
        problems["counted"] = f"The stock already shows {locked.balance}: nothing to adjust"
        del problems["quantity"]
    if problems:
        db.session.rollback()
        raise StockRefused(problems)
    try:
        movement = _move(
            locked, MovementKind.ADJUSTMENT, quantity, reason=reason.strip(), recorded_by_id=by.id
        )
    except NotEnoughStock as short:
        raise StockRefused({"counted": short.message}) from None
    _commit()
    return movement


def handed_out_at(event_id: int) -> dict[int, int]:
    """How many of each item the event's ledger lines add up to (hand-outs are negative)."""
    rows = db.session.execute(
        select(StockMovement.item_id, -func.sum(StockMovement.quantity))
        .where(StockMovement.event_id == event_id, StockMovement.kind.in_(HANDED_OUT))
        .group_by(StockMovement.item_id)
    )
    return {item_id: int(total) for item_id, total in rows if total}


def handed_out_by_name(event_id: int) -> list[tuple[str, int]]:
    """(item name, how many) handed out at the event, in one query; items netting 0 left out."""
    rows = db.session.execute(
        select(StockItem.name, -func.sum(StockMovement.quantity))
        .join(StockItem, StockItem.id == StockMovement.item_id)
        .where(StockMovement.event_id == event_id, StockMovement.kind.in_(HANDED_OUT))
        .group_by(StockItem.id, StockItem.name)
    )
    return [(name, int(total)) for name, total in rows if total]


def hand_out_for_event(
    event: Event, wanted: dict[int, int], *, by: User | None, imported: bool = False
) -> None:
    """Make the event's hand-outs add up to `wanted` (not committed: the outcome commits).

    Each change is a new ledger line (a correction adds a line, nothing is rewritten).
    Imported records are counted in reports without touching today's shelf."""
    already = handed_out_at(event.id)
    changes = handed_out_changes(already, wanted)
    if not changes:
        return
    kind = MovementKind.IMPORTED_ISSUE if imported else MovementKind.ISSUE
    locked = _locked(changes)
    for item_id, more in sorted(changes.items()):
        item = locked[item_id]
        try:
            _move(
                item,
                kind,
                -more,
                event_id=event.id,
                occurred_at=event.starts_at,
                recorded_by_id=by.id if by else None,
                reason="" if more > 0 else "Outcome corrected",
            )
        except NotEnoughStock:
            if not already.get(item_id):
                raise
            # A correction: say it in the numbers the person typed, not the difference.
            raise NotEnoughStock(
                f"This event already handed out {already[item_id]} {item.name.lower()} and the "
                f"stock has only {item.balance} more, so it cannot have handed out "
                f"{wanted[item_id]}. Record the delivery first, or correct the number.",
                field=item_field(item_id),
            ) from None


def commit_hand_outs() -> None:
    _commit()


def ledger(item: StockItem, limit: int = 100) -> list[tuple[StockMovement, int | None]]:
    """The latest movements, newest first, each with the balance just after it."""
    movements = list(
        db.session.execute(
            select(StockMovement)
            .where(StockMovement.item_id == item.id)
            .options(selectinload(StockMovement.event), selectinload(StockMovement.recorded_by))
            .order_by(StockMovement.recorded_at.desc(), StockMovement.id.desc())
            .limit(limit)
        ).scalars()
    )
    rows: list[tuple[StockMovement, int | None]] = []
    balance = item.balance
    for movement in movements:
        if movement.kind.changes_balance:
            rows.append((movement, balance))
            balance -= movement.quantity
        else:
            rows.append((movement, None))
    return rows


def delivered_total(item: StockItem) -> int:
    return int(
        db.session.scalar(
            select(func.coalesce(func.sum(StockMovement.quantity), 0)).where(
                StockMovement.item_id == item.id, StockMovement.kind == MovementKind.DELIVERY
            )
        )
        or 0  # never None (coalesce), but scalar() is typed as if a row could be missing
    )


def item_or_404(item_id: int) -> StockItem:
    return db.get_or_404(StockItem, item_id)


def item_or_new(item_id: int | None) -> StockItem:
    """The item to edit (404 if there is none by that id), or a new one."""
    return db.get_or_404(StockItem, item_id) if item_id else StockItem()
