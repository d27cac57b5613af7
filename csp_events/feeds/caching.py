"""Built feeds and their VEVENT fragments, kept where every worker and every restart finds them.

The shared cache (Redis, or files in instance/cache/: see config.cache_config) holds each built
feed under a key derived from everything its bytes depend on, including the version of
everything shown, which carries the database's epoch: a stale or foreign entry is never read,
it is simply never asked for again. The hottest bodies are also kept in this process.
"""

import hashlib
import logging
import marshal
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import icalendar
from cachetools import LRUCache
from redis.exceptions import RedisError

from ..extensions import cache
from . import ical
from .row_reuse import MemoEntry

log = logging.getLogger(__name__)

# The bytes also depend on the code that writes them, in feeds/ and in what it uses (series
# patterns, addresses): any release gives every key a new value, so nothing built by the old
# one is served, carried forward or reused. (One cold build per feed after a release.)
_PACKAGE = Path(ical.__file__).resolve().parents[1]
FORMAT = hashlib.sha256(
    b"".join(path.read_bytes() for path in sorted(_PACKAGE.rglob("*.py")))
    + icalendar.__version__.encode()
).hexdigest()[:12]

# The keys of the row memo and the fragments name their layout (row_reuse.RowMemo; marshal),
# so what an earlier release kept is never read as this one's.
ROW_MEMO = "rows4"
FRAGMENTS = "fragments2"
BUILDS = "builds1"
# A worker builds from its own copy of a feed's fragments and row memo while the shared copy
# has been replaced at most this many times since (by other workers' builds): each such build
# changed a row or two, which this one reads again (well under a millisecond each), where
# fetching and unpacking the shared copy of a 1,000-event feed cost ~5 ms. Once the shared
# count has started again (its cache emptied, then filled by a build from nothing), the same
# bound holds for the commits between the version its own copy was built at and the shared
# one's.
BEHIND_AT_MOST = 16

# A stamp is written for each version a feed is asked at, and a body for each content: kept
# two days (a feed's key names its day), so the shared cache does not grow for ever and a file
# cache past its limit drops these first, not what has no end (CACHE_DEFAULT_TIMEOUT 0).
KEPT_SECONDS = 2 * 24 * 3600

# Whatever the shared cache is (Redis, files), failing to reach it costs a rebuild, not a 500.
CACHE_FAILURES = (RedisError, OSError)


@dataclass(frozen=True)
class FeedStamp:
    """All a conditional request needs: no body."""

    etag: str
    last_modified: datetime | None


@dataclass(frozen=True)
class BuiltFeed:
    body: bytes
    gzipped: bytes
    stamp: FeedStamp

    def size(self) -> int:
        return len(self.body) + len(self.gzipped)


def feed_id(*parts: object) -> str:
    """One feed as its bytes see it: its query, title, address and the code's format."""
    return hashlib.sha256(repr((FORMAT, *parts)).encode()).hexdigest()[:24]


def entry_key(feed: str, day: date, version: str) -> str:
    return f"{feed}:{day.isoformat()}:{version}"


def key_parts(key: str) -> tuple[date, str]:
    """The day and the version an entry key was made of."""
    _feed, day, version = key.split(":", 2)
    return date.fromisoformat(day), version


def _body_key(key: str, etag: str) -> str:
    """Bodies are kept by content (the feed and its ETag), so one body serves every version
    it is still right for (services.current_stamp carries a stamp forward)."""
    return f"{key.split(':', 1)[0]}:{etag}"


@dataclass(frozen=True)
class Basis:
    """What a feed's latest body stands on: the change log's version it was built (or last
    found still right) at, the tables its build read (None: unknown), and its stamp."""

    version: str
    tables: frozenset[str] | None
    stamp: FeedStamp


@dataclass(frozen=True)
class BuildState:
    """What a feed's next build starts from: the VEVENT fragments its last one was assembled
    from, its row memo, how many builds the shared copy had counted when this was it, and the
    change log's version it was built at ("": not known)."""

    fragments: Mapping[str, bytes]
    memo: Mapping[str, MemoEntry]
    builds: int
    version: str = ""

    def size(self) -> int:
        return sum(map(len, self.fragments.values())) + 200 * len(self.memo)


class FeedStore:
    """Stamps by entry key, and bodies by feed and ETag: in this process (LRU, bodies by size)
    in front of the shared cache. Each feed's build state too (see BEHIND_AT_MOST)."""

    def __init__(self, max_bytes: int = 64 * 2**20):
        self._hot: LRUCache = LRUCache(maxsize=max_bytes, getsizeof=BuiltFeed.size)
        self._stamps: LRUCache = LRUCache(maxsize=4096)
        self._states: LRUCache = LRUCache(maxsize=max_bytes, getsizeof=BuildState.size)
        self._bases: LRUCache = LRUCache(maxsize=4096)
        self._lock = threading.Lock()

    def clear(self) -> None:
        self.forget_local()
        _shared(cache.clear)

    def forget_local(self) -> None:
        """Only this process's copies: what a new worker starts with."""
        with self._lock:
            self._hot.clear()
            self._stamps.clear()
            self._states.clear()
            self._bases.clear()

    def stamp(self, key: str) -> FeedStamp | None:
        with self._lock:
            stamp = self._stamps.get(key)
        if stamp is None:
            stamp = _shared(cache.get, f"stamp:{key}")
            if stamp is not None:
                with self._lock:
                    self._stamps[key] = stamp
        return stamp

    def built(self, key: str) -> BuiltFeed | None:
        stamp = self.stamp(key)
        if stamp is None:
            return None
        body_key = _body_key(key, stamp.etag)
        with self._lock:
            built = self._hot.get(body_key)
        if built is not None:
            return built
        body, gzipped = _shared(cache.get_many, f"body:{body_key}", f"gzip:{body_key}") or (
            None,
            None,
        )
        if body is None or gzipped is None:
            # Gone from the shared cache: the stamp this process remembers may be too (another
            # worker may have built the key again since), so it is read afresh next time.
            with self._lock:
                self._stamps.pop(key, None)
            return None
        return self._remember(body_key, BuiltFeed(body, gzipped, stamp))

    def keep(self, key: str, built: BuiltFeed) -> BuiltFeed:
        self.share(key, built)
        return self.keep_here(key, built)

    def keep_here(self, key: str, built: BuiltFeed) -> BuiltFeed:
        """In this process only (`share` writes the shared copy)."""
        with self._lock:
            self._stamps[key] = built.stamp
        return self._remember(_body_key(key, built.stamp.etag), built)

    def share(self, key: str, built: BuiltFeed) -> None:
        body_key = _body_key(key, built.stamp.etag)
        # The stamp last: a worker that finds it finds the bodies too.
        bodies = {f"body:{body_key}": built.body, f"gzip:{body_key}": built.gzipped}
        _shared(cache.set_many, bodies, KEPT_SECONDS)
        _shared(cache.set, f"stamp:{key}", built.stamp, KEPT_SECONDS)

    def _remember(self, body_key: str, built: BuiltFeed) -> BuiltFeed:
        with self._lock:
            if built.size() <= self._hot.maxsize:
                self._hot[body_key] = built
        return built

    def local_basis(self, feed: str, day: date) -> Basis | None:
        """This process's copy: true, if perhaps older than the shared one."""
        with self._lock:
            return self._bases.get((feed, day))

    def tables_read(self, feed: str, day: date, stamp: FeedStamp) -> frozenset[str] | None:
        """The tables the build of the body with `stamp` read, as this process knows them (from
        its own build or carrying), else None."""
        basis = self.local_basis(feed, day)
        return basis.tables if basis is not None and basis.stamp == stamp else None

    def basis(self, feed: str, day: date) -> Basis | None:
        basis = _shared(cache.get, f"basis:{feed}:{day.isoformat()}")
        if basis is not None:
            with self._lock:
                self._bases[(feed, day)] = basis
        return basis

    def remember_basis(self, feed: str, day: date, basis: Basis) -> None:
        """This process's copy only (keep_basis writes the shared one too)."""
        with self._lock:
            self._bases[(feed, day)] = basis

    def keep_basis(self, feed: str, day: date, basis: Basis) -> None:
        self.remember_basis(feed, day, basis)
        _shared(cache.set, f"basis:{feed}:{day.isoformat()}", basis, KEPT_SECONDS)

    def carry(self, key: str, feed: str, day: date, basis: Basis) -> None:
        """`key` (a newer version) has the body kept with the basis' stamp, which now stands
        on that version: both in one round trip."""
        with self._lock:
            self._stamps[key] = basis.stamp
            self._bases[(feed, day)] = basis
        shared = {f"stamp:{key}": basis.stamp, f"basis:{feed}:{day.isoformat()}": basis}
        _shared(cache.set_many, shared, KEPT_SECONDS)

    def claim(self, key: str, seconds: int) -> bool:
        """True for the one worker that is to build this entry (for `seconds` at most: a
        worker killed while building lets the claim lapse). Unreachable cache: every worker
        builds, as before."""
        claimed = _shared(cache.add, f"building:{key}", os.getpid(), seconds)
        return claimed is not False

    def release(self, key: str) -> None:
        _shared(cache.delete, f"building:{key}")

    def build_state(self, feed: str) -> BuildState:
        """This process's copy while the shared one has moved on by at most BEHIND_AT_MOST
        builds, else the shared one. Either is true: a fragment's key names its bytes, and a
        memo entry names the row (by its marks) and the revision it made that fragment from;
        an older copy only makes more rows be read again. An emptied (or unreachable) shared
        cache sets it aside (the next build is made from nothing); once a build has filled the
        shared cache again and its count starts over, the commits between the version this
        copy was built at and the shared one's tell how far behind it is."""
        counted, version = _shared(cache.get_many, f"{BUILDS}:{feed}", _built_at(feed)) or (
            None,
            None,
        )
        builds = counted if isinstance(counted, int) else 0
        with self._lock:
            local = self._states.get(feed)
        if local is None:
            return BuildState(self.fragments(feed), self.row_memo(feed), builds)
        behind = builds - local.builds
        if behind < 0:  # counted again from nothing since: how far by the change log instead
            behind = commits_behind(local.version, version)
        if behind <= BEHIND_AT_MOST:
            return local
        return BuildState(self.fragments(feed), self.row_memo(feed), builds)

    def remember_state(self, feed: str, state: BuildState) -> None:
        """This process's copy only (share_state writes the shared one)."""
        with self._lock:
            if state.size() <= self._states.maxsize:
                self._states[feed] = state

    def share_state(self, feed: str, state: BuildState) -> None:
        """The shared copy, for other workers and restarts, and one more build counted."""
        self.keep_fragments(feed, state.fragments)
        if state.memo:
            self.keep_row_memo(feed, state.memo)
        builds = _shared(cache.cache.inc, f"{BUILDS}:{feed}")
        if state.version:
            _shared(cache.set, _built_at(feed), state.version)
        if isinstance(builds, int):
            self.remember_state(feed, replace(state, builds=builds))

    def fragments(self, feed: str) -> Mapping[str, bytes]:
        """The VEVENT fragments this feed was last assembled from, by fragment key."""
        return _unpacked(_shared(cache.get, f"{FRAGMENTS}:{feed}"))

    def keep_fragments(self, feed: str, fragments: Mapping[str, bytes]) -> None:
        _shared(cache.set, f"{FRAGMENTS}:{feed}", marshal.dumps(dict(fragments)))

    def row_memo(self, feed: str) -> Mapping[str, MemoEntry]:
        """Each single event's row mark (or its digest) and fragment key, as this feed was last
        built."""
        return _unpacked(_shared(cache.get, f"{ROW_MEMO}:{feed}"))

    def keep_row_memo(self, feed: str, memo: Mapping[str, MemoEntry]) -> None:
        _shared(cache.set, f"{ROW_MEMO}:{feed}", marshal.dumps(dict(memo)))


def _built_at(feed: str) -> str:
    return f"{BUILDS}:{feed}:version"


def commits_behind(own: str, shared: object) -> float:
    """How many commits the change log counted from version `own` to the `shared` one
    (versions are `epoch.newest id.count`): negative when `own` is the newer; infinite when
    that cannot be told (unknown, or another epoch)."""
    if not own or not isinstance(shared, str):
        return float("inf")
    own_epoch, own_id, _count = own.rsplit(".", 2)
    shared_epoch, shared_id, _count = shared.rsplit(".", 2)
    if own_epoch != shared_epoch:
        return float("inf")
    return int(shared_id) - int(own_id)


def _unpacked(packed: bytes | None) -> dict:
    """A mapping kept with marshal: plain values only (bytes, text, numbers, tuples), which it
    packs several times faster than pickle packs them (the memo of a 1,000-event feed was
    5 ms a build). Read only from our own shared cache, which the cache's own pickling
    already trusts as much."""
    return marshal.loads(packed) if isinstance(packed, bytes) else {}  # nosec B302


def _shared(call, *args):
    try:
        return call(*args)
    except CACHE_FAILURES as error:
        log.warning("shared cache unavailable (%s): building instead", error.__class__.__name__)
        return None
