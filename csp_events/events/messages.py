"""What happens to events, published on the change bus for the areas that react to it."""

from dataclasses import dataclass
from datetime import datetime

from ..auth.models import User
from .models import Event
from .vocabulary import EventStatus


@dataclass(frozen=True)
class EventSnapshot:
    """What people were told about an event before a change: enough to say what changed."""

    starts_at: datetime
    ends_at: datetime
    place: str
    status: EventStatus
    max_volunteers: int
    partner_ids: frozenset[int]

    @classmethod
    def of(cls, event: Event) -> "EventSnapshot":
        return cls(
            event.starts_at,
            event.ends_at,
            event.place_name,
            event.status,
            event.max_volunteers,
            frozenset(p.id for p in event.partner_officers) if event.id else frozenset(),
        )


@dataclass(frozen=True)
class EventScheduled:
    event: Event
    by: User | None


@dataclass(frozen=True)
class StatusChanging:
    """Published before the status changes: a handler may refuse by raising a DomainError
    (an event whose outcome is recorded is not cancelled; a closed referral's visit stays
    cancelled)."""

    event: Event
    new_status: EventStatus


@dataclass(frozen=True)
class EventChanged:
    event: Event
    by: User | None
    before: EventSnapshot

    @property
    def moved(self) -> bool:
        return (self.event.starts_at, self.event.ends_at) != (
            self.before.starts_at,
            self.before.ends_at,
        )

    @property
    def place_changed(self) -> bool:
        return self.event.place_name != self.before.place

    @property
    def cancelled(self) -> bool:
        return self.event.is_cancelled and self.before.status != EventStatus.CANCELLED

    @property
    def reinstated(self) -> bool:
        return self.before.status == EventStatus.CANCELLED and not self.event.is_cancelled

    @property
    def unnamed_partner_ids(self) -> set[int]:
        return set(self.before.partner_ids) - {p.id for p in self.event.partner_officers}

    @property
    def newly_named_partner_ids(self) -> set[int]:
        return {p.id for p in self.event.partner_officers} - self.before.partner_ids
