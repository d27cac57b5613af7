"""An uploaded spreadsheet of past activity, kept so the import can be checked and repeated."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..dbtypes import UTCDateTime
from ..extensions import Model
from ..timezones import utcnow


class ImportBatch(Model):
    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    events_imported: Mapped[int] = mapped_column(default=0)

    uploaded_by: Mapped[User | None] = relationship()
