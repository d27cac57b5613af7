"""What a feed carries: single events as marks (event_rows.py), each read in full and made into
its VEVENT item only when it is needed, and the items already made (series, bookings, a
person's own places)."""

from collections.abc import Callable, Collection
from dataclasses import dataclass

from .event_rows import EventRow, RowMark
from .ical import FeedEvent


def _no_rows(_ids: Collection[int]) -> list[EventRow]:
    return []


def _no_items(row: EventRow):  # pragma: no cover - a content without rows never asks
    raise AssertionError("this feed has no rows")


def _no_uids(event_id: int) -> str:  # pragma: no cover - as above
    raise AssertionError("this feed has no rows")


@dataclass(frozen=True)
class FeedContent:
    marks: list[RowMark]
    items: list[FeedEvent]
    rows_of: Callable[[Collection[int]], list[EventRow]] = _no_rows
    item_of: Callable[[EventRow], FeedEvent] = _no_items
    uid_of: Callable[[int], str] = _no_uids

    @classmethod
    def of(cls, items: list[FeedEvent]) -> "FeedContent":
        return cls([], items)

    def all_items(self) -> list[FeedEvent]:
        rows = self.rows_of([mark.id for mark in self.marks])
        return [self.item_of(row) for row in rows] + self.items
