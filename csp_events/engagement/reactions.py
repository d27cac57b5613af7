"""How engagement reacts to changes elsewhere: an event that happened is not cancelled."""

from ..changes.bus import subscribe
from ..errors import DomainError
from ..events.messages import StatusChanging
from ..events.vocabulary import EventStatus
from ..extensions import db
from .models import EventOutcome


def has_outcome(event_id: int) -> bool:
    return (
        db.session.scalar(db.select(EventOutcome.id).where(EventOutcome.event_id == event_id))
        is not None
    )


def refuse_cancelling_what_happened(message: StatusChanging) -> None:
    if message.new_status == EventStatus.CANCELLED and has_outcome(message.event.id):
        raise DomainError(
            "This event happened: its outcome (people, hours, items handed out) is recorded. "
            "Correct the outcome instead of cancelling the event."
        )


def subscribe_to_changes() -> None:
    subscribe(StatusChanging, refuse_cancelling_what_happened)
