"""A feed rebuilt after a change makes again only what changed.

Each single event's row is remembered per feed (by its mark, event_rows.py, or a long mark's
digest), with the key of the VEVENT fragment it made. A row whose mark is the same, and whose
revision in this feed's audience is still the one that fragment carries, keeps its fragment:
it is not read in full, made into an item or revised again. The row is everything its VEVENT
shows besides what names the feed (its host and addresses, in the feed's cache id), so the
same row makes the same VEVENT.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from .feed_content import FeedContent
from .ical import FeedEvent
from .revisions import Revision, fragment_key

# uid -> (the row's mark as kept (mark_kept), the revision its fragment carries
# (revision_values), the fragment's key, its start as a timestamp: where a kept fragment goes
# without reading the row)
MarkKept = str | bytes
MemoEntry = tuple[MarkKept, tuple, str, float]
RowMemo = dict[str, MemoEntry]
# PostgreSQL's marks (the server's start and three row versions) are at most ~65 characters:
# kept as they are, a row costs no hash.
MARK_KEPT_WHOLE_UP_TO = 96


def revision_values(revision: Revision) -> tuple[str, int, float]:
    """A revision as plain values (the memo is kept with marshal, which takes no dates)."""
    return (revision.content_hash, revision.sequence, revision.modified_at.timestamp())


def mark_digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def mark_kept(text: str) -> MarkKept:
    """A row's mark as the memo keeps it: the text itself when short (PostgreSQL's), else its
    digest (SQLite's texts of every column). Text and bytes never compare equal, so neither
    is taken for the other. Hashing every mark was a third of a 1,000-event feed's split."""
    return text if len(text) <= MARK_KEPT_WHOLE_UP_TO else mark_digest(text)


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
    fresh_marks: dict[str, MarkKept] = field(default_factory=dict)
    memo: RowMemo = field(default_factory=dict)


def split(
    audience: str,
    content: FeedContent,
    remembered: Mapping[str, MemoEntry],
    stored: Mapping[tuple[str, str], Revision],
    known: Mapping[str, bytes],
) -> Split:
    """Which rows keep their fragment, and the items to revise and build (the rest, whose full
    rows are read only now)."""
    result = Split(fresh=list(content.items))
    fresh_ids = []
    for event_id, text in content.marks:
        uid, mark = content.uid_of(event_id), mark_kept(text)
        before, revision = remembered.get(uid), stored.get((uid, ""))
        if (
            before is not None
            and revision is not None
            and before[0] == mark
            and revision_values(revision) == before[1]
            and before[2] in known
        ):
            result.kept.append(Kept((before[3], uid, before[3]), before[2], revision.modified_at))
            result.memo[uid] = before
            continue
        fresh_ids.append(event_id)
        result.fresh_marks[uid] = mark
    result.fresh += [content.item_of(row) for row in content.rows_of(fresh_ids)]
    return result


def remember(
    audience: str, split_rows: Split, revised: list[tuple[FeedEvent, Revision]]
) -> RowMemo:
    """The memo for next time: the kept rows as they were, and the rows made into items this
    time with the revision and key of the fragment they made."""
    memo = dict(split_rows.memo)
    for item, revision in revised:
        mark = split_rows.fresh_marks.get(item.uid)
        if mark is not None:
            key = fragment_key(audience, item.uid, "", revision)
            memo[item.uid] = (mark, revision_values(revision), key, item.starts_at.timestamp())
    return memo
