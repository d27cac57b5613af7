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
