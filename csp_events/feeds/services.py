"""Feed tokens, the version of every feed (for ETag/304), and a cache of built feeds."""

import hashlib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..auth import throttle
from ..auth.models import User
from ..changes.services import current_version
from ..equipment.models import EquipmentItem
from ..events.kinds import EventKind
from ..extensions import db
from ..mail.links import calendar_uid_domain, configured_url
from ..timezones import utcnow
from .content import in_feed_order, own_view, single_event_item
from .ical import CalendarInfo, FeedEvent, build_calendar
from .models import FeedScope, FeedToken
from .revisions import body_changed_at, stamp_items

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


def token_for_request(raw: str, scope: FeedScope, address: str) -> FeedToken | None:
    """The live token, or None. A valid token is always served: only unknown tokens count
    against an address, so revoked subscriptions polled through a shared address (Google's
    and Microsoft's pollers fetch many people's feeds) can never lock out anyone else's."""
    token = find_token(raw, scope)
    if token is not None:
        return token
    if too_many_bad_tokens(address):
        raise TooManyBadTokens()
    record_bad_token(address)
    return None


class TooManyBadTokens(Exception):
    """This address has tried too many unknown feed addresses lately."""


@dataclass(frozen=True)
class BuiltFeed:
    body: bytes
    etag: str
    last_modified: datetime | None


def build_feed(
    feed_key: str, audience: str, items: list[FeedEvent], info: CalendarInfo
) -> BuiltFeed:
    """The calendar's bytes, with an ETag taken from those bytes: it changes exactly when the
    body does, and every worker that builds the same content gives the same ETag."""
    now = utcnow()
    stamped = in_feed_order(stamp_items(audience, items, now))
    body = build_calendar(info, stamped)
    etag = hashlib.sha256(body).hexdigest()[:32]
    newest = max((i.last_modified for i in stamped), default=now)
    return BuiltFeed(body, etag, body_changed_at(feed_key, etag, newest, now))


def feed_version() -> str:
    """Moves with every committed change to anything shown (see changes/)."""
    return current_version()


class FeedCache:
    """Built feeds by (feed, day, version of everything): an unchanged feed is not rebuilt."""

    def __init__(self, size: int = 64):
        self._items: OrderedDict[str, BuiltFeed] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def get_or_build(self, key: str, build: Callable[[], BuiltFeed]) -> BuiltFeed:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        built = build()
        with self._lock:
            self._items[key] = built
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return built


feed_cache = FeedCache()


def personal_audience(person: User, include_everything: bool) -> str:
    return f"user-{person.id}{'-all' if include_everything else ''}"


def event_file(event, person: User) -> bytes:
    """One event as a .ics file for this person, exactly as the feed they would have it from
    shows it (same UID, status, SEQUENCE): their own feed when it carries the event (their
    place on it, withdrawn or waiting), else the public feed (a series session with the
    series' UID and RECURRENCE-ID). A private event in neither keeps its own stamps."""
    now, domain = utcnow(), calendar_uid_domain()
    token = live_token(person, FeedScope.PERSONAL)
    everything = bool(token and token.include_everything)
    item = own_view(person, everything, event, domain, _event_url, now)
    audience = personal_audience(person, everything) if item is not None else None
    if item is None:
        item = single_event_item(event, domain, _event_url, now)
        if event.is_public and event.kind != EventKind.HOME_VISIT:
            audience = "public"
    if audience is not None:
        (item,) = stamp_items(audience, [item], now)
    return build_calendar(CalendarInfo(item.summary, "One event"), [item])


def _event_url(event) -> str:
    """Always from PUBLIC_BASE_URL, as the feeds: the bytes must not depend on the request."""
    return configured_url("events.event_detail", event_id=event.id)


def public_event_file(event) -> bytes:
    """One public event as a .ics file, exactly as the public feed carries it (same UID and
    SEQUENCE), so adding it and subscribing to the feed never show it twice."""
    now = utcnow()
    item = single_event_item(event, calendar_uid_domain(), _event_url, now)
    (stamped,) = stamp_items("public", [item], now)
    return build_calendar(CalendarInfo(item.summary, "One event"), [stamped])
