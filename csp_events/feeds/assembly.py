"""A feed's bytes assembled from one VEVENT fragment per item, each built only when that item's
revision (its content and stamps) is new: one changed event costs one fragment."""

import gzip
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from .ical import CalendarInfo, FeedEvent, assemble_calendar, calendar_head, vevent_text
from .revisions import Revision, item_key, stamped

# Level 6 (gzip's own default); mtime 0, so every worker makes the same bytes from one body.
GZIP_LEVEL = 6
# A cold 10,000-event feed is ~10,000 fragments: saved in steps of this many as it goes.
PROGRESS_EVERY = 1000


@dataclass(frozen=True)
class Assembled:
    body: bytes
    gzipped: bytes
    etag: str
    fragments: dict[str, bytes]


def fragment_key(audience: str, item: FeedEvent, revision: Revision) -> str:
    """Everything a VEVENT's bytes depend on: its content (hashed) and its stamps. The same
    key always means the same bytes, so a fragment can never be stale."""
    uid, recurrence = item_key(item)
    return "|".join(
        (
            audience,
            uid,
            recurrence,
            revision.content_hash,
            str(revision.sequence),
            revision.modified_at.isoformat(),
        )
    )


def in_feed_order(revised: list[tuple[FeedEvent, Revision]]) -> list[tuple[FeedEvent, Revision]]:
    """A fixed order, so the same content always makes the same bytes (and the same ETag)."""
    return sorted(
        revised,
        key=lambda pair: (
            pair[0].starts_at,
            pair[0].uid,
            pair[0].recurrence_id or pair[0].starts_at,
        ),
    )


def assemble(
    audience: str,
    revised: list[tuple[FeedEvent, Revision]],
    info: CalendarInfo,
    known: Mapping[str, bytes],
    save_progress: Callable[[Mapping[str, bytes]], None] | None = None,
) -> Assembled:
    """The calendar's bytes (and gzipped), with an ETag taken from those bytes: it changes
    exactly when the body does, and every worker that builds the same content gives the same
    ETag. Fragments in `known` are reused; the rest are built, and handed to `save_progress`
    every PROGRESS_EVERY, so a build cut short (a worker timed out) is not lost."""
    fragments: dict[str, bytes] = {}
    texts = []
    built = 0
    for item, revision in in_feed_order(revised):
        key = fragment_key(audience, item, revision)
        text = known.get(key)
        if text is None:
            text = vevent_text(stamped(item, revision))
            built += 1
            if save_progress is not None and built % PROGRESS_EVERY == 0:
                save_progress({**known, **fragments, key: text})
        fragments[key] = text
        texts.append(text)
    body = assemble_calendar(calendar_head(info), texts)
    etag = hashlib.sha256(body).hexdigest()[:32]
    return Assembled(body, gzip.compress(body, GZIP_LEVEL, mtime=0), etag, fragments)


def newest_change(revised: list[tuple[FeedEvent, Revision]], default: datetime) -> datetime:
    return max((revision.modified_at for _item, revision in revised), default=default)
