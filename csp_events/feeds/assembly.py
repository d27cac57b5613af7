"""A feed's bytes assembled from one VEVENT fragment per item, each built only when that item's
revision (its content and stamps) is new: one changed event costs one fragment."""

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from isal import igzip

from .ical import CalendarInfo, FeedEvent, assemble_calendar, calendar_head, vevent_text
from .revisions import Revision, fragment_key, item_key, stamped
from .row_reuse import Kept

# ISA-L's fast level (see compression.py); mtime 0, so every worker makes the same bytes from
# one body.
GZIP_LEVEL = 1
# A cold 10,000-event feed is ~10,000 fragments: saved in steps of this many as it goes.
PROGRESS_EVERY = 1000


@dataclass(frozen=True)
class Assembled:
    body: bytes
    gzipped: bytes
    etag: str
    fragments: dict[str, bytes]


def item_fragment_key(audience: str, item: FeedEvent, revision: Revision) -> str:
    uid, recurrence = item_key(item)
    return fragment_key(audience, uid, recurrence, revision)


def feed_order(item: FeedEvent) -> tuple:
    """A fixed order, so the same content always makes the same bytes (and the same ETag). In
    timestamps, as kept fragments (row_reuse.Kept) remember their place without their row."""
    return (
        item.starts_at.timestamp(),
        item.uid,
        (item.recurrence_id or item.starts_at).timestamp(),
    )


def assemble(
    audience: str,
    revised: list[tuple[FeedEvent, Revision]],
    info: CalendarInfo,
    known: Mapping[str, bytes],
    save_progress: Callable[[Mapping[str, bytes]], None] | None = None,
    kept: Sequence[Kept] = (),
) -> Assembled:
    """The calendar's bytes (and gzipped), with an ETag taken from those bytes: it changes
    exactly when the body does, and every worker that builds the same content gives the same
    ETag. `kept` fragments (row_reuse.py) and those in `known` are used as they are; the rest
    are built, and handed to `save_progress` every PROGRESS_EVERY, so a build cut short (a
    worker timed out) is not lost."""
    entries: list[tuple[tuple, str, FeedEvent | None, Revision | None]]
    entries = [(k.order, k.key, None, None) for k in kept]
    entries += [
        (feed_order(item), item_fragment_key(audience, item, revision), item, revision)
        for item, revision in revised
    ]
    entries.sort(key=lambda entry: entry[0])
    fragments: dict[str, bytes] = {}
    texts = []
    built = 0
    for _order, key, item, revision in entries:
        text = known.get(key)
        if text is None:
            assert item is not None and revision is not None  # kept ones are all known
            text = vevent_text(stamped(item, revision))
            built += 1
            if save_progress is not None and built % PROGRESS_EVERY == 0:
                save_progress({**known, **fragments, key: text})
        fragments[key] = text
        texts.append(text)
    body = assemble_calendar(calendar_head(info), texts)
    etag = hashlib.sha256(body).hexdigest()[:32]
    return Assembled(body, igzip.compress(body, GZIP_LEVEL, mtime=0), etag, fragments)


def newest_change(
    revised: list[tuple[FeedEvent, Revision]], default: datetime, kept: Sequence[Kept] = ()
) -> datetime:
    return max(
        [revision.modified_at for _item, revision in revised] + [k.modified_at for k in kept],
        default=default,
    )
