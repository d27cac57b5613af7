"""Secret feed addresses (capability URLs): only a hash of each token is kept."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..dbtypes import EnumText, UTCDateTime
from ..extensions import Model
from ..timezones import utcnow


class FeedScope(StrEnum):
    PERSONAL = "personal"
    EQUIPMENT = "equipment"


class FeedToken(Model):
    __tablename__ = "feed_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[FeedScope] = mapped_column(EnumText(FeedScope, 20))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("equipment_items.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The coordinator's personal feed may carry every event, not only their own.
    include_everything: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.user.active


class FeedItemRevision(Model):
    """What one feed last showed of one VEVENT, so SEQUENCE and LAST-MODIFIED move whenever
    its content does (a venue renamed, a booking cancelled), whoever changed it and however.

    `audience` is the feed that shows it ("public", "user-7", "item-2"): the same event can
    read differently in a volunteer's own feed, and each subscriber's SEQUENCE must only rise.
    """

    __tablename__ = "feed_item_revisions"
    __table_args__ = (
        UniqueConstraint("audience", "uid", "recurrence"),
        Index("ix_feed_item_revisions_audience_generation", "audience", "generation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    audience: Mapped[str] = mapped_column(String(40))
    uid: Mapped[str] = mapped_column(String(200))
    # RECURRENCE-ID of an occurrence of a series, as UTC text; "" for anything else.
    recurrence: Mapped[str] = mapped_column(String(20), default="")
    content_hash: Mapped[str] = mapped_column(String(32))
    sequence: Mapped[int]
    modified_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The audience's generation (RevisionGeneration) that wrote this row last: a process that
    # holds the revisions as of one generation reads only the rows written after it.
    generation: Mapped[int]


class RevisionGeneration(Model):
    """How many times an audience's revisions have been written: each writing transaction
    adds one, so a process holding them as of one generation knows, from this row alone,
    whether they are still what it holds (revisions.load_revisions)."""

    __tablename__ = "feed_revision_generations"

    audience: Mapped[str] = mapped_column(String(40), primary_key=True)
    generation: Mapped[int]


class FeedState(Model):
    """When each feed's body last changed, for Last-Modified: the newest VEVENT's stamp would
    not move when an event leaves a feed, and a client sending only If-Modified-Since would
    keep a copy that still shows it."""

    __tablename__ = "feed_states"

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_key: Mapped[str] = mapped_column(String(200), unique=True)
    etag: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
