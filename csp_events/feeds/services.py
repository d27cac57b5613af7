"""Feed tokens, cheap versions of each feed (for ETag/304), and a cache of built feeds."""

import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import event, func
from sqlalchemy.orm import Session

from ..auth import throttle
from ..auth.models import User
from ..equipment.models import EquipmentBooking, EquipmentItem
from ..events.kinds import EventKind
from ..events.models import Event, EventSeries
from ..extensions import db
from ..signups.models import Signup
from ..timezones import utcnow
from .content import window
from .models import FeedScope, FeedToken

TOKEN_PREFIX = "cspf_"
BAD_TOKEN_LIMIT = 30
BAD_TOKEN_WINDOW = timedelta(minutes=15)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(
    user: User,
    scope: FeedScope,
    *,
    item: EquipmentItem | None = None,
    include_everything: bool = False,
) -> str:
    """A new secret address; any earlier one for the same feed stops working at once."""
    now = utcnow()
    same_feed = db.update(FeedToken).where(
        FeedToken.user_id == user.id, FeedToken.scope == scope, FeedToken.revoked_at.is_(None)
    )
    if item is not None:
        same_feed = db.update(FeedToken).where(
            FeedToken.item_id == item.id, FeedToken.revoked_at.is_(None)
        )
    db.session.execute(same_feed.values(revoked_at=now))
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(
        FeedToken(
            scope=scope,
            user_id=user.id,
            item_id=item.id if item else None,
            token_hash=_hash(raw),
            include_everything=include_everything,
        )
    )
    db.session.commit()
    return raw


def find_token(raw: str, scope: FeedScope) -> FeedToken | None:
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = db.session.execute(
        db.select(FeedToken).where(FeedToken.token_hash == _hash(raw), FeedToken.scope == scope)
    ).scalar_one_or_none()
    return token if token is not None and token.is_live else None


def live_token(user: User, scope: FeedScope, item: EquipmentItem | None = None) -> FeedToken | None:
    query = db.select(FeedToken).where(FeedToken.revoked_at.is_(None), FeedToken.scope == scope)
    query = (
        query.where(FeedToken.item_id == item.id)
        if item
        else query.where(FeedToken.user_id == user.id)
    )
    return db.session.execute(query.order_by(FeedToken.id.desc())).scalars().first()


def live_item_tokens() -> dict[int, FeedToken]:
    """Each item's current feed address (to say when it was made), in one query."""
    tokens = db.session.execute(
        db.select(FeedToken).where(
            FeedToken.scope == FeedScope.EQUIPMENT, FeedToken.revoked_at.is_(None)
        )
    ).scalars()
    return {t.item_id: t for t in tokens}


def revoke_all_feeds(user: User) -> None:
    """Deactivating someone stops their feed addresses (not committed)."""
    db.session.execute(
        db.update(FeedToken)
        .where(FeedToken.user_id == user.id, FeedToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


BAD_TOKENS = throttle.Window(BAD_TOKEN_LIMIT, BAD_TOKEN_WINDOW)


def too_many_bad_tokens(address: str) -> bool:
    return throttle.failures(f"feed:{address[:80]}", BAD_TOKENS) >= BAD_TOKEN_LIMIT


def record_bad_token(address: str) -> None:
    throttle.record_failures((f"feed:{address[:80]}", BAD_TOKENS))


# --- Versions: a few aggregate numbers that change whenever the feed's content would. ---


def _stamp(*parts) -> tuple[str, datetime | None]:
    moments = [p for p in parts if isinstance(p, datetime)]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return digest, max(moments) if moments else None


def public_version(kinds: list[EventKind], venue_id: int | None, now: datetime):
    start, end = window(now)
    singles = db.select(func.count(Event.id), func.max(Event.updated_at)).where(
        Event.is_public.is_(True),
        Event.series_id.is_(None),
        Event.starts_at < end,
        Event.ends_at > start,
    )
    series_events = db.select(func.count(Event.id), func.max(Event.updated_at)).where(
        Event.series_id.is_not(None)
    )
    series = db.select(func.count(EventSeries.id), func.max(EventSeries.updated_at)).where(
        EventSeries.is_public.is_(True)
    )
    if kinds:
        singles = singles.where(Event.kind.in_(kinds))
        series = series.where(EventSeries.kind.in_(kinds))
    if venue_id:
        singles = singles.where(Event.venue_id == venue_id)
        series = series.where(EventSeries.venue_id == venue_id)
    rows = [db.session.execute(q).one() for q in (singles, series_events, series)]
    return _stamp(start.date(), *[value for row in rows for value in row])


def personal_version(token: FeedToken, now: datetime):
    start, _end = window(now)
    user_id = token.user_id
    signups = db.session.execute(
        db.select(func.count(Signup.id), func.max(Signup.changed_at), func.max(Event.updated_at))
        .join(Signup.event)
        .where(Signup.user_id == user_id)
    ).one()
    bookings = db.select(
        func.count(EquipmentBooking.id),
        func.max(EquipmentBooking.created_at),
        func.max(EquipmentBooking.cancelled_at),
    )
    if not token.include_everything:
        bookings = bookings.where(EquipmentBooking.booked_by_id == user_id)
    parts = [start.date(), token.id, *signups, *db.session.execute(bookings).one()]
    if token.include_everything:
        parts += list(
            db.session.execute(db.select(func.count(Event.id), func.max(Event.updated_at))).one()
        )
    return _stamp(*parts)


def equipment_version(token: FeedToken, now: datetime):
    start, _end = window(now)
    row = db.session.execute(
        db.select(
            func.count(EquipmentBooking.id),
            func.max(EquipmentBooking.created_at),
            func.max(EquipmentBooking.cancelled_at),
        ).where(EquipmentBooking.item_id == token.item_id)
    ).one()
    return _stamp(start.date(), token.id, *row)


class VersionMemo:
    """Feed versions remembered briefly, so most polls cost no query at all.

    Any commit in this process forgets them at once; a change made by another worker process
    shows within `ttl` seconds (clients poll every few hours, so that is invisible to them).
    """

    def __init__(self, ttl: float = 5.0):
        self.ttl = ttl
        self.generation = 0
        self._items: dict[str, tuple[int, float, tuple]] = {}
        self._lock = threading.Lock()

    def changed(self) -> None:
        with self._lock:
            self.generation += 1
            self._items.clear()

    def get(self, key: str, compute: Callable[[], tuple]) -> tuple:
        clock = time.monotonic()
        with self._lock:
            found = self._items.get(key)
            if found and found[0] == self.generation and clock - found[1] < self.ttl:
                return found[2]
            generation = self.generation
        version = compute()
        with self._lock:
            if len(self._items) > 1000:
                self._items.clear()
            self._items[key] = (generation, clock, version)
        return version


version_memo = VersionMemo()


@event.listens_for(Session, "after_flush")
def _note_writes(session, _flush_context) -> None:
    session.info["wrote"] = True


@event.listens_for(Session, "after_commit")
def _forget_versions(session) -> None:
    if session.info.pop("wrote", False):
        version_memo.changed()


class FeedCache:
    """Built feeds by (feed, version): an unchanged feed is served without being rebuilt."""

    def __init__(self, size: int = 64):
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get_or_build(self, key: str, build: Callable[[], bytes]) -> bytes:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        body = build()
        with self._lock:
            self._items[key] = body
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return body


feed_cache = FeedCache()
