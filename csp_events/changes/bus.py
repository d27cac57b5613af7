"""A small in-process message bus: an area publishes what happened, other areas react.

Handlers run at once, inside the publisher's transaction, so a reaction (the speed gun freed,
a notice queued in the outbox) is committed with the change or not at all. A handler may also
refuse the change by raising a DomainError; the publisher's service then rolls back. The area
that publishes never imports the areas that react: they subscribe at start-up.
"""

from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

M = TypeVar("M")

# Each list holds handlers of its key's type (subscribe() checks the pairing), so the values
# can only be typed as taking Any.
_handlers: dict[type, list[Callable[[Any], None]]] = defaultdict(list)


def subscribe(message_type: type[M], handler: Callable[[M], None]) -> None:
    if handler not in _handlers[message_type]:
        _handlers[message_type].append(handler)


def publish(message: object) -> None:
    """Run every handler of this message's type (and of its base classes), in subscription
    order."""
    for kind in type(message).__mro__:
        for handler in list(_handlers.get(kind, ())):
            handler(message)
