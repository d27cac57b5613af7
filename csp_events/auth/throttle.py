"""Counting failures in a sliding window, shared by every worker process.

Without REDIS_URL the counts are rows in the database (FailedLogin). With REDIS_URL they live in
Redis, through the `limits` storage that Flask-Limiter already uses, so failed guesses add no
writes to the database.
"""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from limits import RateLimitItemPerSecond
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import func

from ..extensions import db, limiter
from ..timezones import utcnow
from .models import FailedLogin

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


def _shared_store() -> MovingWindowRateLimiter | None:
    if not current_app.config.get("REDIS_URL"):
        return None
    return MovingWindowRateLimiter(limiter.storage)


def failures(key: str, window: Window) -> int:
    """Failures recorded for `key` within the window (counted up to the limit)."""
    store = _shared_store()
    if store is not None:
        return window.limit - store.get_window_stats(window.item, key).remaining
    since = utcnow() - window.period
    return db.session.scalar(
        db.select(func.count()).where(FailedLogin.key == key, FailedLogin.at > since)
    )


def record_failures(*counted: tuple[str, Window]) -> None:
    """One more failure against each (key, window)."""
    store = _shared_store()
    if store is not None:
        for key, window in counted:
            store.hit(window.item, key)
        return
    now = utcnow()
    db.session.execute(db.delete(FailedLogin).where(FailedLogin.at < now - KEPT_FOR))
    db.session.add_all(FailedLogin(key=key, at=now) for key, _window in counted)
    db.session.commit()


def forget(key: str, window: Window) -> None:
    store = _shared_store()
    if store is not None:
        store.clear(window.item, key)
        return
    db.session.execute(db.delete(FailedLogin).where(FailedLogin.key == key))
    db.session.commit()
