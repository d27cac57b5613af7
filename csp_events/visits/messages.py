"""What happens at home visits, published on the change bus for the areas that react to it."""

from dataclasses import dataclass

from ..auth.models import User
from ..events.models import Event


@dataclass(frozen=True)
class VisitOutcomeRecorded:
    """A visit's outcome was saved (inside the transaction that saves it)."""

    visit: Event
    by: User
