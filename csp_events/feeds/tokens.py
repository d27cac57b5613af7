"""Secret feed addresses: issued, looked up, revoked, and unknown ones counted per address."""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy.orm import joinedload

from ..auth import throttle
from ..auth.models import User
from ..equipment.models import EquipmentItem
from ..extensions import db
from ..timezones import utcnow
from .models import FeedScope, FeedToken

TOKEN_PREFIX = "cspf_"
BAD_TOKEN_LIMIT = 30
BAD_TOKEN_WINDOW = timedelta(minutes=15)
BAD_TOKENS = throttle.Window(BAD_TOKEN_LIMIT, BAD_TOKEN_WINDOW)


class TooManyBadTokens(Exception):
    """This address has tried too many unknown feed addresses lately."""


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
    # The holder comes in the same query: a poll costs one round trip for its token.
    token = db.session.execute(
        db.select(FeedToken)
        .where(FeedToken.token_hash == _hash(raw), FeedToken.scope == scope)
        .options(joinedload(FeedToken.user))
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
