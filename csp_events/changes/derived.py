"""Values derived from the data, kept under the change log's version they were read at, so they
are read again only after a change: the latest few in this process, all of them in the shared
cache (see config.cache_config) for every worker and restart.

Every key also carries a digest of the code that reads and shapes the value: a release that
derives it differently never reads an entry made by another. An unreachable cache costs a
read from the database, never a failed page.
"""

import hashlib
import inspect
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cachetools import LRUCache
from redis.exceptions import RedisError

from ..extensions import cache

log = logging.getLogger(__name__)


def code_digest(*code: object) -> str:
    """A digest of the source files of these modules, classes or functions."""
    sources = sorted({inspect.getfile(part) for part in code})  # type: ignore[arg-type]
    return hashlib.sha256(b"".join(Path(s).read_bytes() for s in sources)).hexdigest()[:16]


class DerivedValues:
    """One kind of derived value (the dashboard's day, a public event...), by key and version.

    A key and version name one value for ever, so the copies kept in this process are never
    stale, only superseded: the few most recently used are kept, which spares the shared
    cache's round trip and unpickling on most reads. Values must be immutable (frozen
    dataclasses, tuples): every request of this process shares the same object."""

    def __init__(self, name: str, code: str, seconds: int, in_process: int):
        self.prefix = f"{name}:{code}"
        self.seconds = seconds
        self._local: LRUCache = LRUCache(maxsize=in_process)
        self._lock = threading.Lock()

    def get(self, key: str, version: str, build: Callable[[], Any]) -> Any:
        """`build()`'s value for `key` as of `version`: kept, or built now and kept. The
        caller reads `version` before anything `build` reads, so an entry never holds data
        older than its key. `build` never returns None (the cache's word for "not kept")."""
        full_key = f"{self.prefix}:{key}:{version}"
        with self._lock:
            value = self._local.get(full_key)
        if value is None:
            value = self._shared(full_key, build)
            with self._lock:
                self._local[full_key] = value
        return value

    def forget_local(self) -> None:
        """Only this process's copies: what a new worker starts with."""
        with self._lock:
            self._local.clear()

    def _shared(self, full_key: str, build: Callable[[], Any]) -> Any:
        try:
            kept = cache.get(full_key)
        except (RedisError, OSError):
            log.warning("shared cache unavailable; reading %s afresh", full_key, exc_info=True)
            return build()
        if kept is not None:
            return kept
        value = build()
        try:
            cache.set(full_key, value, timeout=self.seconds)
        except (RedisError, OSError):
            log.warning("shared cache unavailable; %s not kept", full_key, exc_info=True)
        return value
