"""What a feed build records: the revisions it found new, and when the feed's body last
changed (for Last-Modified), written together in one short transaction, and only when either
moved."""

from datetime import datetime, timedelta

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from ..database import read_every_commit_so_far, write_transaction
from ..extensions import db
from .models import FeedState
from .revisions import Revision, kept_after_write, write_revisions

RevisionKey = tuple[str, str]
# How long a rehearsal waits for a row another transaction holds (SQLite: its busy timeout).
REHEARSAL_LOCK_WAIT = "1s"


def record_build(
    audience: str,
    changed: dict[RevisionKey, Revision],
    stored: dict[RevisionKey, Revision],
    feed_key: str,
    etag: str,
    first_seen: datetime,
    now: datetime,
) -> datetime | None:
    """When this feed's body last changed, once the build's new revisions are written; None,
    having written nothing, when another process wrote some of them first (the caller builds
    again from what it wrote). The body's change time is kept per feed and moves to now when
    the ETag differs from the one stored."""
    if not changed:
        stored_state = _feed_state(feed_key)
        if stored_state is not None and stored_state.etag == etag:
            return stored_state.changed_at
    read_every_commit_so_far()  # on SQLite a new transaction: the writing one locks at BEGIN
    with write_transaction():
        try:
            generation = write_revisions(audience, changed, stored) if changed else None
            if changed and generation is None:
                db.session.rollback()
                return None
            changed_at = _body_changed_at(feed_key, etag, first_seen, now)
            db.session.commit()
        except IntegrityError:  # another process stored the feed's first state first
            db.session.rollback()
            return None
    if generation is not None:
        kept_after_write(audience, generation, changed)
    return changed_at


def _feed_state(feed_key: str, *, lock: bool = False):
    query = db.select(FeedState.etag, FeedState.changed_at).where(FeedState.feed_key == feed_key)
    if lock:
        query = query.with_for_update()
    return db.session.connection().execute(query).one_or_none()


def _body_changed_at(feed_key: str, etag: str, first_seen: datetime, now: datetime) -> datetime:
    """In the write transaction: the feed's state row is locked while it is read and moved, so
    writers of one feed take turns (on SQLite, the transaction holds the write lock)."""
    stored = _feed_state(feed_key, lock=True)
    if stored is not None and stored.etag == etag:
        return stored.changed_at
    if stored is None:
        db.session.add(FeedState(feed_key=feed_key, etag=etag, changed_at=first_seen))
        db.session.flush()
        return first_seen
    # Whole seconds, as HTTP dates are: a change in the same second as the last must still
    # give a later Last-Modified, or If-Modified-Since would hide it.
    changed_at = max(
        now.replace(microsecond=0),
        stored.changed_at.replace(microsecond=0) + timedelta(seconds=1),
    )
    db.session.connection().execute(
        db.update(FeedState)
        .where(FeedState.feed_key == feed_key)
        .values(etag=etag, changed_at=changed_at)
    )
    return changed_at


def rehearse_record(audience: str, stored: dict[RevisionKey, Revision], feed_key: str) -> None:
    """The statements a build that found a change writes with, run once in a transaction that
    is rolled back: each worker compiled them on its first real change, ~9 ms of CPU on a
    calendar's time, as the rehearsed rebuild finds nothing new to write. Leaves nothing
    written (one stored revision is rewritten as itself, one feed state moved, then undone)."""
    if not stored:
        return
    key, revision = next(iter(stored.items()))
    moved = revision._replace(sequence=revision.sequence + 1)
    read_every_commit_so_far()
    with write_transaction():
        try:
            if db.session.connection().dialect.name == "postgresql":
                # A worker boots only once this returns (gunicorn does not time out post_fork):
                # never wait long behind a transaction left holding these rows.
                db.session.execute(text(f"SET LOCAL lock_timeout = '{REHEARSAL_LOCK_WAIT}'"))
            write_revisions(audience, {key: moved}, stored)
            _body_changed_at(feed_key, "", revision.modified_at, revision.modified_at)
        finally:
            db.session.rollback()
