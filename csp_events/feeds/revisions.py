"""SEQUENCE and LAST-MODIFIED of each VEVENT, derived from what the feed actually shows.

A VEVENT's content (everything but its stamps) is hashed; when the hash differs from what the
same feed showed before, SEQUENCE goes up by one and LAST-MODIFIED becomes now. So a renamed
venue, a cancelled gun booking or a moved session is picked up by calendar clients whichever
service changed it, and nothing has to list what a VEVENT depends on.
"""

import hashlib
import threading
from dataclasses import fields, replace
from datetime import datetime
from typing import NamedTuple

from cachetools import LRUCache
from sqlalchemy import Integer, String, bindparam
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from ..changes.models import ChangeLogEpoch
from ..database import rows_matched, write_transaction
from ..extensions import db
from .ical import FeedEvent
from .models import FeedItemRevision, RevisionGeneration

_STAMPS = ("stamp", "last_modified", "sequence")


class Revision(NamedTuple):
    """A tuple, not a dataclass: a 10,000-event feed reads 10,000 of them on every build."""

    content_hash: str
    sequence: int
    modified_at: datetime


# What a VEVENT shows besides its stamps, in name order: the hash reads these.
_SHOWN = sorted(f.name for f in fields(FeedEvent) if f.name not in _STAMPS)


def content_hash(item: FeedEvent) -> str:
    """The same text as hashing `sorted(asdict(item).items())` less the stamps (the stored
    hashes were made that way: a different text would move every SEQUENCE), without copying."""
    shown = [(name, getattr(item, name)) for name in _SHOWN]
    return hashlib.sha256(repr(shown).encode()).hexdigest()[:32]


def item_key(item: FeedEvent) -> tuple[str, str]:
    recurrence = item.recurrence_id.strftime("%Y%m%dT%H%M%SZ") if item.recurrence_id else ""
    return item.uid, recurrence


def revise(item: FeedEvent, stored: Revision | None, now: datetime) -> Revision:
    """The revision to show: the stored one if the content is the same, else one higher.

    SEQUENCE never goes down (a service's own count is a floor), and the first time a VEVENT
    is seen it keeps the stamps it had before this table existed, so no subscriber sees a jump.
    """
    digest = content_hash(item)
    if stored is None:
        return Revision(digest, item.sequence, item.last_modified)
    if stored.content_hash == digest:
        return Revision(digest, max(stored.sequence, item.sequence), stored.modified_at)
    return Revision(digest, max(stored.sequence + 1, item.sequence), now)


def stamped(item: FeedEvent, revision: Revision) -> FeedEvent:
    # DTSTAMP equals LAST-MODIFIED in a published feed (RFC 5545 3.8.7.2), so an unchanged
    # feed is byte for byte the same whenever and by whichever worker it is built.
    return replace(
        item,
        sequence=revision.sequence,
        last_modified=revision.modified_at,
        stamp=revision.modified_at,
    )


def fragment_key(audience: str, uid: str, recurrence: str, revision: Revision) -> str:
    """Everything a VEVENT's bytes depend on: its content (hashed) and its stamps. The same
    key always means the same bytes, so a fragment can never be stale."""
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


def load_revisions(audience: str) -> dict[tuple[str, str], Revision]:
    """The revisions this audience's feeds show. A large audience's are kept in this process
    with their generation; when it has moved, only the rows written since are read (each
    names the generation that wrote it): reading a 1,000-event feed's revisions cost ~8 ms,
    and a rebuild after one change mostly comes to a worker that did not write them last."""
    connection = db.session.connection()
    # Read first: a write committed before the rows are read leaves a newer generation
    # behind, so what is kept is read again next time, never the other way round. With the
    # database's epoch: generations count again in a database restored or emptied.
    generation, epoch = connection.execute(_GENERATION, {"audience": audience}).one()
    mark = (epoch, generation or 0)
    with _kept_lock:
        kept = _kept.get(audience)
    if kept is not None and kept[0] == mark:
        return dict(kept[1])
    if kept is not None and kept[0][0] == epoch and kept[0][1] < mark[1]:
        since = connection.execute(_REVISIONS_SINCE, {"audience": audience, "since": kept[0][1]})
        revisions = {**kept[1], **_by_key(since.all())}
    else:
        # Plain columns on the session's connection: the ORM's handling of 10,000 rows cost
        # more than reading them.
        revisions = _by_key(connection.execute(_REVISIONS, {"audience": audience}).all())
    if epoch is not None and len(revisions) >= KEEP_FROM:
        with _kept_lock:
            _kept[audience] = (mark, revisions)
        return dict(revisions)
    return revisions


def _by_key(rows) -> dict[tuple[str, str], Revision]:
    return {(uid, rec): Revision(digest, seq, at) for uid, rec, digest, seq, at in rows}


def kept_after_write(audience: str, generation: int, changed: dict) -> None:
    """This process's revisions brought up to the generation its own write made, when that
    write came straight after the generation it holds (no other writer in between)."""
    with _kept_lock:
        kept = _kept.get(audience)
        if kept is not None and kept[0][1] == generation - 1:
            _kept[audience] = ((kept[0][0], generation), {**kept[1], **changed})


def _next_generation(audience: str) -> int:
    """One more generation for the audience, in the writing transaction: its row stays locked
    until that ends, so each writer's generation is exactly one more than the last one
    committed (the writes themselves are checked against each other by _save)."""
    connection = db.session.connection()
    insert = (pg_insert if connection.dialect.name == "postgresql" else sqlite_insert)(
        RevisionGeneration
    )
    upsert = insert.values(audience=audience, generation=1).on_conflict_do_update(
        index_elements=[RevisionGeneration.audience],
        set_={"generation": RevisionGeneration.generation + 1},
    )
    return connection.execute(upsert.returning(RevisionGeneration.generation)).scalar_one()


_GENERATION = db.select(
    db.select(RevisionGeneration.generation)
    .where(RevisionGeneration.audience == bindparam("audience", type_=String))
    .scalar_subquery(),
    db.select(ChangeLogEpoch.value).where(ChangeLogEpoch.id == 1).scalar_subquery(),
)
_REVISIONS = db.select(
    FeedItemRevision.uid,
    FeedItemRevision.recurrence,
    FeedItemRevision.content_hash,
    FeedItemRevision.sequence,
    FeedItemRevision.modified_at,
).where(FeedItemRevision.audience == bindparam("audience", type_=String))
_REVISIONS_SINCE = _REVISIONS.where(FeedItemRevision.generation > bindparam("since", type_=Integer))
# Audiences with fewer revisions (a person's own feed) are read each time: few rows cost
# about what their generation does.
KEEP_FROM = 200
_kept: LRUCache = LRUCache(maxsize=64)
_kept_lock = threading.Lock()


def stamp_items(audience: str, items: list[FeedEvent], now: datetime) -> list[FeedEvent]:
    """Each item with the SEQUENCE and LAST-MODIFIED this feed shows; new revisions are saved
    in a short transaction of their own (the only write a feed request makes)."""
    return [stamped(item, revision) for item, revision in revised_items(audience, items, now)]


def revised_items(
    audience: str,
    items: list[FeedEvent],
    now: datetime,
    stored: dict[tuple[str, str], Revision] | None = None,
) -> list[tuple[FeedEvent, Revision]]:
    """Each item with the revision this feed shows of it (saved as stamp_items says), from
    `stored` when the caller has just read them."""
    for _attempt in range(3):
        stored = load_revisions(audience) if stored is None else stored
        revised, changed = revise_all(items, stored, now)
        if not changed or _save(audience, changed, stored):
            return revised
        forget_kept(audience)
        stored = None
    raise RuntimeError("feed revisions kept changing under us")  # pragma: no cover


def revise_all(
    items: list[FeedEvent], stored: dict[tuple[str, str], Revision], now: datetime
) -> tuple[list[tuple[FeedEvent, Revision]], dict[tuple[str, str], Revision]]:
    """Each item with the revision to show, and the revisions that differ from `stored` (to
    be written with write_revisions)."""
    revised = {}
    for item in items:
        key = item_key(item)
        revised[key] = revise(item, stored.get(key), now)
    changed = {k: r for k, r in revised.items() if stored.get(k) != r}
    return [(item, revised[item_key(item)]) for item in items], changed


def forget_kept(audience: str) -> None:
    """After a write that found other rows than the ones read (another process wrote first):
    the next read reads them all, whatever this process kept."""
    with _kept_lock:
        _kept.pop(audience, None)


def _save(audience: str, changed: dict, stored: dict) -> bool:
    """The new revisions in a short transaction of their own; False when another process
    wrote first (then start again)."""
    db.session.commit()  # end the reading transaction
    with write_transaction():
        try:
            generation = write_revisions(audience, changed, stored)
            if generation is None:
                db.session.rollback()
                return False
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            return False
    kept_after_write(audience, generation, changed)
    return True


def write_revisions(audience: str, changed: dict, stored: dict) -> int | None:
    """The new revisions written in the open write transaction, with their generation (None:
    another process wrote first; the caller rolls back and starts again). Updates go straight
    to the connection: the ORM's bulk-update handling (finding the rows to refresh in the
    session) cost more than the statement, and nothing holds these rows."""
    # First: the generation's row stays locked until the commit, so writers of one audience
    # take turns, and every row written names the generation it was.
    generation = _next_generation(audience)
    for (uid, recurrence), revision in changed.items():
        if not _write(audience, uid, recurrence, revision, generation, stored):
            return None
    return generation


def _write(audience, uid, recurrence, revision: Revision, generation: int, stored) -> bool:
    """One revision written, if the row is still the one read (False: another wrote first)."""
    before = stored.get((uid, recurrence))
    if before is None:
        db.session.add(
            FeedItemRevision(
                audience=audience,
                uid=uid,
                recurrence=recurrence,
                content_hash=revision.content_hash,
                sequence=revision.sequence,
                modified_at=revision.modified_at,
                generation=generation,
            )
        )
        return True
    result = db.session.connection().execute(
        db.update(FeedItemRevision)
        .where(
            FeedItemRevision.audience == audience,
            FeedItemRevision.uid == uid,
            FeedItemRevision.recurrence == recurrence,
            FeedItemRevision.content_hash == before.content_hash,
            FeedItemRevision.sequence == before.sequence,
        )
        .values(
            content_hash=revision.content_hash,
            sequence=revision.sequence,
            modified_at=revision.modified_at,
            generation=generation,
        )
    )
    return rows_matched(result) == 1
