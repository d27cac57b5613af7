"""The dates or weekdays a volunteer has said they are away."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..dbtypes import EnumText, UTCDateTime
from ..extensions import Model
from ..timezones import utcnow
from .vocabulary import AbsenceKind


class Absence(Model):
    """Away from first_day to last_day (inclusive, London dates), or every given weekday."""

    __tablename__ = "absences"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'dates' AND first_day IS NOT NULL AND last_day IS NOT NULL"
            " AND last_day >= first_day AND weekday IS NULL)"
            " OR (kind = 'weekday' AND weekday BETWEEN 0 AND 6"
            " AND first_day IS NULL AND last_day IS NULL)",
            name="dates_or_weekday",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[AbsenceKind] = mapped_column(EnumText(AbsenceKind, 10))
    first_day: Mapped[date | None]
    last_day: Mapped[date | None]
    weekday: Mapped[int | None]
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
