"""The change log: one row per database flush that wrote something a page, feed or notice shows."""

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..dbtypes import UTCDateTime
from ..extensions import Model
from ..timezones import utcnow


class ChangeRecord(Model):
    """Written by the session itself (see recording.py), so no service can forget it.

    Feeds take their version from this log; the rows also say what changed, for the curious.
    """

    __tablename__ = "change_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    happened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    tables: Mapped[str] = mapped_column(String(500))
    detail: Mapped[str] = mapped_column(Text, default="")


class ChangeLogEpoch(Model):
    """A random value made when this database's change log is first read, and gone with it.

    Versions (newest id and count) start again when a database is emptied or recreated, so a
    version alone could name a body built from another database's content; every version
    carries the epoch too, and a cache entry from before can never match.
    """

    __tablename__ = "change_log_epoch"

    # One row only: the primary key is always 1, so two workers cannot both make one.
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    value: Mapped[str] = mapped_column(String(32))
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
