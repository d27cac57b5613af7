"""Claiming rows of an outbox (notices, message deliveries) so each is sent at most once.

A row is claimed by an UPDATE from "pending" to "sending" that only one sender can win, and
the claim is committed before anything is sent: a second sender, or a crash, never sends it
twice. The tables share the columns this needs: status, claimed_at, attempts.
"""

from collections.abc import Iterator
from datetime import datetime
from enum import StrEnum

from ..database import rows_matched
from ..extensions import db


def claimed(model, pending: StrEnum, sending: StrEnum, now: datetime, limit: int) -> Iterator[int]:
    """Each waiting row's id, once this sender has won it (committed)."""
    db.session.commit()
    ids = db.session.scalars(
        db.select(model.id).where(model.status == pending).order_by(model.id).limit(limit)
    ).all()
    for row_id in ids:
        result = db.session.execute(
            db.update(model)
            .where(model.id == row_id, model.status == pending)
            .values(status=sending, claimed_at=now, attempts=model.attempts + 1)
        )
        db.session.commit()
        if rows_matched(result) == 1:
            yield row_id
