"""The current version of everything shown: derived from the change log, cheap to read."""

import threading
import time

from sqlalchemy import func

from ..database import rows_matched
from ..extensions import db
from .models import ChangeRecord
from .recording import on_commit_that_wrote

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

    def get(self) -> str:
        now = time.monotonic()
        with self._lock:
            if self._value is not None and now - self._read_at < self.ttl:
                return self._value
            generation = self._generation
        value = read_version()
        with self._lock:
            # A commit while we read may not be in what we read: keep the value only if none.
            if generation == self._generation:
                self._value, self._read_at = value, now
        return value


# A transaction still open while this many later ones commit is not a thing this app does.
LATE_COMMIT_WINDOW = 500


def read_version() -> str:
    """The newest change, and how many of the latest ids are committed: a change committed
    late (PostgreSQL hands out ids before commit) still moves the count, so no commit can hide
    behind a newer id. Both read the primary key's index only: flat however large things grow."""
    newest = db.session.scalar(db.select(func.max(ChangeRecord.id))) or 0
    recent = db.session.scalar(
        db.select(func.count(ChangeRecord.id)).where(ChangeRecord.id > newest - LATE_COMMIT_WINDOW)
    )
    return f"{newest}.{recent}"


memo = VersionMemo()
on_commit_that_wrote(memo.forget)


def current_version() -> str:
    return memo.get()


def prune(keep: int = KEEP_ROWS) -> int:
    """Drop all but the newest `keep` rows (committed); returns how many went."""
    newest = db.session.scalar(db.select(func.max(ChangeRecord.id))) or 0
    result = db.session.execute(db.delete(ChangeRecord).where(ChangeRecord.id <= newest - keep))
    db.session.commit()
    return rows_matched(result)
