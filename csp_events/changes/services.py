"""The current version of everything shown: derived from the change log, cheap to read."""

import secrets
import threading
import time
from collections.abc import Mapping
from functools import lru_cache

from sqlalchemy import (
    CompoundSelect,
    Integer,
    ScalarSelect,
    Select,
    String,
    bindparam,
    event,
    func,
    literal,
    union_all,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..database import rows_matched, write_transaction
from ..extensions import db
from ..reading_pages import reads_outside_transactions
from .models import ChangeLogEpoch, ChangeRecord
from .recording import TABLES_LENGTH, on_commit_that_wrote

# Rows older than these are dropped by `prune`; the version then moves once (a rebuild).
KEEP_ROWS = 5000


class VersionMemo:
    """The version remembered for `ttl` seconds, so most polls cost no query at all.

    A commit in this process forgets it at once; a change made by another worker shows within
    `ttl` seconds (calendar clients poll every few hours, so that is invisible to them).
    """

    def __init__(self, ttl: float = 2.0):
        self.ttl = ttl
        self._value: str | None = None
        self._read_at = 0.0
        self._generation = 0
        self._lock = threading.Lock()

    def forget(self) -> None:
        with self._lock:
            self._value = None
            self._generation += 1

    def fresh(self) -> str | None:
        """The remembered version while it is still to be trusted, else None: never a query."""
        with self._lock:
            if self._value is not None and time.monotonic() - self._read_at < self.ttl:
                return self._value
        return None

    def offer(self, value: str, generation: int, read_at: float) -> None:
        """A version read elsewhere (with_version) at `read_at`, while the memo was at
        `generation`: kept unless a commit since, or a later read, makes it the older one."""
        with self._lock:
            if generation == self._generation and read_at >= self._read_at:
                self._value, self._read_at = value, read_at

    def generation(self) -> int:
        with self._lock:
            return self._generation

    def get(self) -> str:
        now = time.monotonic()
        with self._lock:
            if self._value is not None and now - self._read_at < self.ttl:
                return self._value
            generation = self._generation
        value = read_from_database()
        with self._lock:
            # A commit while we read may not be in what we read: keep the value only if none.
            if generation == self._generation:
                self._value, self._read_at = value, now
        return value


# A transaction still open while this many later ones commit is not a thing this app does.
LATE_COMMIT_WINDOW = 500


def _version_columns() -> tuple[ScalarSelect, ScalarSelect, ScalarSelect]:
    newest = db.select(func.coalesce(func.max(ChangeRecord.id), 0)).scalar_subquery()
    recent = (
        db.select(func.count(ChangeRecord.id))
        .where(ChangeRecord.id > newest - LATE_COMMIT_WINDOW)
        .scalar_subquery()
    )
    epoch = db.select(ChangeLogEpoch.value).where(ChangeLogEpoch.id == 1).scalar_subquery()
    return newest, recent, epoch


# Built once: a statement never changes, and SQLAlchemy keeps its cache key on it, so a read
# costs the round trip and not building the statement and its key again (most of the time).
VERSION_COLUMNS = _version_columns()
VERSION_QUERY = db.select(*VERSION_COLUMNS)
# Where with_version leaves the version it read, for read_version later in the transaction.
NOTED = "changes.version"


def read_version() -> str:
    """This database's epoch, the newest change, and how many of the latest ids are committed:
    a change committed late (PostgreSQL hands out ids before commit) still moves the count, so
    no commit can hide behind a newer id. One round trip that reads the primary keys' indexes
    only: flat however large things grow. Read already in this transaction by with_version
    (with the signed-in user), no round trip at all."""
    noted = db.session.info.get(NOTED)
    # Not once this transaction has written: the version must then count the write.
    if noted is not None and not db.session.info.get("changed"):
        return noted
    return read_from_database()


def read_from_database() -> str:
    """read_version's round trip itself (the memo's own reads, which must never take another
    request's note)."""
    latest, count, value = db.session.execute(VERSION_QUERY).one()
    return f"{value or _new_epoch()}.{latest}.{count}"


def with_version(statement: Select, params: Mapping[str, object] | None = None) -> tuple | None:
    """The one row `statement` finds (or None), with the current version read in the same
    round trip: read_version returns that version until the transaction ends, and this
    process's memo is brought up to it. For what every request reads first (the signed-in
    user), so a page that must show the latest version costs no query of its own for it.
    A statement built once with bound parameters (`params`) is joined to the version once."""
    session = db.session()
    # Offered to the memo only when read in a transaction of its own (or in none, on a reading
    # page), with nothing written: a snapshot taken earlier (SQLite) or a write not yet
    # committed is not the current one.
    alone = not session.in_transaction() or reads_outside_transactions(session)
    offered = alone and not session.info.get("changed")
    generation, read_at = memo.generation(), time.monotonic()
    row = session.execute(_joined_to_version(statement), params).one_or_none()
    if row is None:
        return None
    *found, latest, count, epoch = row
    if epoch is not None and not session.info.get("changed"):
        # (a database without an epoch yet makes it in read_version)
        version = f"{epoch}.{latest}.{count}"
        session.info[NOTED] = version
        if offered:
            memo.offer(version, generation, read_at)
    return tuple(found)


@lru_cache(maxsize=16)
def _joined_to_version(statement: Select) -> Select:
    # Kept per statement (by identity), as VERSION_QUERY is: building the joined statement and
    # its cache key on each call was ~40% of the signed-in person's read.
    return statement.add_columns(*VERSION_COLUMNS)


@event.listens_for(Session, "after_transaction_end")
def _forget_noted(session: Session, transaction) -> None:
    """A version noted by with_version holds for the transaction it was read in only."""
    if transaction.parent is None:
        session.info.pop(NOTED, None)


def _new_epoch() -> str:
    """The epoch, made now: the first read of a new (or emptied) database. Written in a short
    transaction of its own, as a feed's revisions are; if another process made it first, theirs
    is the one."""
    db.session.commit()  # end the reading transaction
    with write_transaction():
        try:
            db.session.add(ChangeLogEpoch(id=1, value=secrets.token_hex(8)))
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
    return db.session.execute(
        db.select(ChangeLogEpoch.value).where(ChangeLogEpoch.id == 1)
    ).scalar_one()


memo = VersionMemo()
on_commit_that_wrote(memo.forget)


def current_version() -> str:
    return memo.get()


def remembered_version() -> str | None:
    """The current version if this process can vouch for it without reading, else None."""
    return memo.fresh()


def prune(keep: int = KEEP_ROWS) -> int:
    """Drop all but the newest `keep` rows (committed); returns how many went. A row saying
    that anything may have changed goes in with them: what changed in the rows dropped can no
    longer be told (see tables_changed_since)."""
    newest = db.session.scalar(db.select(func.max(ChangeRecord.id))) or 0
    result = db.session.execute(db.delete(ChangeRecord).where(ChangeRecord.id <= newest - keep))
    if rows_matched(result):
        db.session.add(ChangeRecord(tables=ANY_TABLE, detail="older rows pruned"))
    db.session.commit()
    return rows_matched(result)


# Written in place of table names when what changed cannot be told.
ANY_TABLE = "*"


def start_new_epoch(why: str) -> None:
    """Give this database a new epoch, and say that anything may have changed: after a backup
    is restored, the change log's ids count again from where the backup left them, so the
    versions made since would be made again for other content. With a new epoch no cache
    entry, stamp or feed basis from before can match."""
    with write_transaction():
        db.session.execute(
            db.update(ChangeLogEpoch)
            .where(ChangeLogEpoch.id == 1)
            .values(value=secrets.token_hex(8))
        )
        db.session.add(ChangeRecord(tables=ANY_TABLE, detail=why[:2000]))
        db.session.commit()
    memo.forget()


_WINDOW, _NEWER, _EPOCH = 0, 1, 2


def _changes_since_query() -> CompoundSelect:
    latest = bindparam("latest", type_=Integer)
    part = literal(_WINDOW, Integer).label("part")
    in_window = db.select(part, literal("", String).label("tables"), func.count(ChangeRecord.id))
    newer = (
        db.select(literal(_NEWER, Integer), ChangeRecord.tables, func.count(ChangeRecord.id))
        .where(ChangeRecord.id > latest)
        .group_by(ChangeRecord.tables)
    )
    epoch = db.select(literal(_EPOCH, Integer), ChangeLogEpoch.value, literal(0, Integer)).where(
        ChangeLogEpoch.id == 1
    )
    window = (ChangeRecord.id > latest - LATE_COMMIT_WINDOW) & (ChangeRecord.id <= latest)
    return union_all(in_window.where(window), newer, epoch)


CHANGES_SINCE = _changes_since_query()


def tables_changed_since(version: str) -> frozenset[str] | None:
    """Every table that a commit since `version` was read changed, up to this moment (one round
    trip), or None when that cannot be told: the version is another database's (epoch), a
    commit landed late inside its own window (it would hide behind an older id), a row's list
    of tables was cut short, or rows were pruned."""
    epoch, latest, count = version.rsplit(".", 2)
    rows = db.session.execute(CHANGES_SINCE, {"latest": int(latest)}).all()
    tables: set[str] = set()
    window = seen_epoch = None
    for part, names, number in rows:
        if part == _WINDOW:
            window = number
        elif part == _EPOCH:
            seen_epoch = names
        elif names == ANY_TABLE or len(names) >= TABLES_LENGTH:
            return None
        else:
            tables.update(names.split(","))
    if seen_epoch != epoch or window != int(count):
        return None
    return frozenset(tables)
