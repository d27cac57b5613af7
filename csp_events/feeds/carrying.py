"""A feed's latest body carried forward to a newer version of the change log, when no commit
since the version it stands on changed a table its build read (a sign-up does not touch the
public feed). Each worker asks this of dozens of feeds after every version it sees: what can
be shared between those questions is, so each costs one look-up of the cache at most."""

import threading
from datetime import date

from ..changes.scopes import overlaps
from ..changes.services import tables_changed_since
from .caching import Basis, FeedStamp, FeedStore


class ChangesSince:
    """The tables changed since each older version, as read while the current version was
    `now`: every feed standing on the same version asks the same question, and an answer
    read after `now` was read covers everything up to `now`."""

    def __init__(self):
        self._now: str | None = None
        self._answers: dict[str, frozenset[str] | None] = {}
        self._lock = threading.Lock()

    def tables(self, since: str, now: str) -> frozenset[str] | None:
        with self._lock:
            if self._now == now and since in self._answers:
                return self._answers[since]
        answer = tables_changed_since(since)
        with self._lock:
            if self._now != now:
                self._now, self._answers = now, {}
            self._answers[since] = answer
        return answer


changes_since = ChangesSince()


def carried_forward(
    store: FeedStore, cache_id: str, key: str, version: str, day: date
) -> FeedStamp | None:
    """The stamp of the feed's latest body, now kept under `key` too, when no commit between
    its basis and `version` changed a table its build read. This process's copy of the basis
    first; the shared one (another worker's newer build) only when this one is not enough."""
    local = store.local_basis(cache_id, day)
    if local is not None and _still_right(local, version):
        return _carry(store, key, cache_id, day, local, version)
    shared = store.basis(cache_id, day)
    if shared is not None and shared != local and _still_right(shared, version):
        return _carry(store, key, cache_id, day, shared, version)
    return None


def _still_right(basis: Basis, version: str) -> bool:
    if basis.tables is None:
        return False
    changed = changes_since.tables(basis.version, version)
    return changed is not None and not overlaps(changed, basis.tables)


def _carry(
    store: FeedStore, key: str, cache_id: str, day: date, basis: Basis, version: str
) -> FeedStamp:
    # Checked up to now, so right at this version too (read at most the memo's TTL ago).
    store.carry(key, cache_id, day, Basis(version, basis.tables, basis.stamp))
    return basis.stamp
