"""What a feed carries: single events as plain rows, each made into its VEVENT item only when it
is needed, and the items already made (series, bookings, a person's own places)."""

from collections.abc import Callable
from dataclasses import dataclass

from .event_rows import EventRow
from .ical import FeedEvent


def _no_rows(row: EventRow):  # pragma: no cover - a content without rows never asks
    raise AssertionError("this feed has no rows")


@dataclass(frozen=True)
class FeedContent:
    rows: list[EventRow]
    items: list[FeedEvent]
    item_of: Callable[[EventRow], FeedEvent] = _no_rows
    uid_of: Callable[[EventRow], str] = _no_rows

    @classmethod
    def of(cls, items: list[FeedEvent]) -> "FeedContent":
        return cls([], items)

    def all_items(self) -> list[FeedEvent]:
        return [self.item_of(row) for row in self.rows] + self.items
