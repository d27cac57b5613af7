"""A feed rebuilt after a change makes again only what changed.

Each single event's row is remembered per feed (as a digest), with the key of the VEVENT
fragment it made. A row that is byte for byte the same, whose revision in this feed's audience
is still the one that fragment carries, keeps its fragment: it is not made into an item,
hashed or revised again. The row is everything its VEVENT shows besides what names the feed
(its host and addresses, in the feed's cache id), so the same row makes the same VEVENT.
"""

import hashlib
import marshal
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from .event_rows import EventRow
from .feed_content import FeedContent
from .ical import FeedEvent
from .revisions import Revision, fragment_key

# uid -> (digest of the row, the revision its fragment carries, the fragment's key)
RowMemo = dict[str, tuple[bytes, tuple, str]]


def row_digest(row: EventRow) -> bytes:
    """A digest of every value in the row. marshal (C, one call) of its plain values: pickling
    the row itself took 19 µs of the ~25 a kept row costs."""
    venue, site = row.venue, row.site
    values = (
        row.id,
        row.kind.value,
        row.theme.value if row.theme else None,
        row.title,
        row.area,
        row.starts_at.timestamp(),
        row.ends_at.timestamp(),
        row.updated_at.timestamp(),
        row.sequence,
        row.status.value,
        tuple(venue) if venue else None,
        tuple(site) if site else None,
    )
    return hashlib.blake2b(marshal.dumps(values), digest_size=16).digest()


class Kept(NamedTuple):
    """A fragment used again: where it goes in the feed, its key, and its revision's time."""

    order: tuple
    key: str
    modified_at: datetime


@dataclass
class Split:
    kept: list[Kept] = field(default_factory=list)
    fresh: list[FeedEvent] = field(default_factory=list)
    # Rows made into items this time, by uid: remembered once their fragment is known.
    fresh_digests: dict[str, bytes] = field(default_factory=dict)
    memo: RowMemo = field(default_factory=dict)


def split(
    audience: str,
    content: FeedContent,
    remembered: Mapping[str, tuple[bytes, tuple, str]],
    stored: Mapping[tuple[str, str], Revision],
    known: Mapping[str, bytes],
) -> Split:
    """Which rows keep their fragment, and the items to revise and build (the rest)."""
    result = Split(fresh=list(content.items))
    for row in content.rows:
        uid, digest = content.uid_of(row), row_digest(row)
        before, revision = remembered.get(uid), stored.get((uid, ""))
        if (
            before is not None
            and revision is not None
            and before[0] == digest
            and revision == before[1]  # a Revision is a tuple: compared value by value
            and before[2] in known
        ):
            order = (row.starts_at, uid, row.starts_at)
            result.kept.append(Kept(order, before[2], revision.modified_at))
            result.memo[uid] = before
            continue
        result.fresh.append(content.item_of(row))
        result.fresh_digests[uid] = digest
    return result


def remember(
    audience: str, split_rows: Split, revised: list[tuple[FeedEvent, Revision]]
) -> RowMemo:
    """The memo for next time: the kept rows as they were, and the rows made into items this
    time with the revision and key of the fragment they made."""
    memo = dict(split_rows.memo)
    for item, revision in revised:
        digest = split_rows.fresh_digests.get(item.uid)
        if digest is not None:
            key = fragment_key(audience, item.uid, "", revision)
            memo[item.uid] = (digest, tuple(revision), key)
    return memo
