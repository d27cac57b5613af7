"""Counting failures in a sliding window, shared by every worker process.

Without REDIS_URL the counts are rows in the database (FailedLogin). With REDIS_URL they live in
Redis, through the `limits` storage that Flask-Limiter already uses, so failed guesses add no
writes to the database.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app
from limits import RateLimitItemPerSecond
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import func

from ..extensions import db, limiter
from ..timezones import utcnow
from .models import FailedLogin

log = logging.getLogger(__name__)

# Rows older than the longest window are of no more use.
KEPT_FOR = timedelta(days=1)


@dataclass(frozen=True)
class Window:
    """At most `limit` failures within `period` before the key is paused."""

    limit: int
    period: timedelta

    @property
    def item(self) -> RateLimitItemPerSecond:
        return RateLimitItemPerSecond(self.limit, int(self.period.total_seconds()), "failures")


# What _in_shared_store returns when the database is to count instead.
NOT_SHARED = object()


def _in_shared_store(action: Callable[[MovingWindowRateLimiter], Any]) -> Any:
    """`action` on the counts in Redis, or NOT_SHARED without Redis, or when it refuses or does
    not answer: then the database counts (a sign-in is never a 500, and never uncounted)."""
    if not current_app.config.get("REDIS_URL"):
        return NOT_SHARED
    try:
        return action(MovingWindowRateLimiter(limiter.storage))
    except limiter.storage.base_exceptions as error:
        log.warning("shared counts unavailable (%s): counting in the database", error)
        return NOT_SHARED


def failures(key: str, window: Window) -> int:
    """Failures recorded for `key` within the window (counted up to the limit)."""
    shared = _in_shared_store(
        lambda store: window.limit - store.get_window_stats(window.item, key).remaining
    )
    if shared is not NOT_SHARED:
        return shared
    since = utcnow() - window.period
    return db.session.scalar(
        db.select(func.count()).where(FailedLogin.key == key, FailedLogin.at > since)
    )


def record_failures(*counted: tuple[str, Window]) -> None:
    """One more failure against each (key, window)."""
    if _in_shared_store(lambda store: [store.hit(w.item, k) for k, w in counted]) is not NOT_SHARED:
        return
    now = utcnow()
    db.session.execute(db.delete(FailedLogin).where(FailedLogin.at < now - KEPT_FOR))
    db.session.add_all(FailedLogin(key=key, at=now) for key, _window in counted)
    db.session.commit()


def forget(key: str, window: Window) -> None:
    if _in_shared_store(lambda store: store.clear(window.item, key)) is not NOT_SHARED:
        return
    db.session.execute(db.delete(FailedLogin).where(FailedLogin.key == key))
    db.session.commit()
