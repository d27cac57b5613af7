"""How rosters react to changes of events: more places move the waiting list up at once."""

from ..changes.bus import subscribe
from ..events.messages import EventChanged
from .services import promote_waiting


def fill_new_places(message: EventChanged) -> None:
    if not message.event.is_cancelled:
        promote_waiting(message.event)


def subscribe_to_changes() -> None:
    subscribe(EventChanged, fill_new_places)
