"""Values derived from the data, kept in the shared cache (see config.cache_config) under the
change log's version they were read at, so they are read again only after a change.

Every key also carries a digest of the code that reads and shapes the value: a release that
derives it differently never reads an entry made by another. An unreachable cache costs a
read from the database, never a failed page.
"""

import hashlib
import inspect
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from redis.exceptions import RedisError

from ..extensions import cache

log = logging.getLogger(__name__)

T = TypeVar("T")


def code_digest(*code: object) -> str:
    """A digest of the source files of these modules, classes or functions."""
    sources = sorted({inspect.getfile(part) for part in code})  # type: ignore[arg-type]
    return hashlib.sha256(b"".join(Path(s).read_bytes() for s in sources)).hexdigest()[:16]


def derived(key: str, version: str, build: Callable[[], T], seconds: int) -> T:
    """`build()`'s value as of `version`: from the shared cache when it was built for that
    version before, else built now and kept for `seconds`. The caller reads `version` before
    anything `build` reads, so an entry never holds data older than its key. `build` never
    returns None (the cache's word for "not kept")."""
    full_key = f"{key}:{version}"
    try:
        kept = cache.get(full_key)
    except (RedisError, OSError):
        log.warning("shared cache unavailable; reading %s afresh", key, exc_info=True)
        return build()
    if kept is not None:
        return kept
    value = build()
    try:
        cache.set(full_key, value, timeout=seconds)
    except (RedisError, OSError):
        log.warning("shared cache unavailable; %s not kept", key, exc_info=True)
    return value
