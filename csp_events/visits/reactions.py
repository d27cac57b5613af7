"""How home visits react to changes elsewhere: a closed referral's visit stays cancelled."""

from ..changes.bus import subscribe
from ..errors import DomainError
from ..events.kinds import EventStatus
from ..events.messages import StatusChanging
from .services import may_reinstate_visit


def refuse_reinstating_closed_visits(message: StatusChanging) -> None:
    event = message.event
    if event.status != EventStatus.CANCELLED or event.referral_id is None:
        return
    problem = may_reinstate_visit(event)
    if problem:
        raise DomainError(problem)


def subscribe_to_changes() -> None:
    subscribe(StatusChanging, refuse_reinstating_closed_visits)
