"""What each home visit did and the lone-working checks of its volunteers."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..dbtypes import EnumText, UTCDateTime
from ..extensions import Model
from ..timezones import utcnow
from .keyring import EncryptedText
from .vocabulary import Advice, Measure, OnwardReferral


def codes(text: str, enum_class) -> list:
    return [enum_class(code) for code in text.split(",") if code]


class VisitSafetyCheck(Model):
    """Lone-working check: a visiting volunteer's 'arrived' and 'left safely'."""

    __tablename__ = "visit_safety_checks"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the coordinator confirmed by phone that a volunteer who forgot to check out is safe.
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])


class VisitOutcome(Model):
    """What a visit did. Anonymous, so it outlives the resident's details for the statistics."""

    __tablename__ = "visit_outcomes"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    advice_codes: Mapped[str] = mapped_column(String(300), default="")
    onward_codes: Mapped[str] = mapped_column(String(300), default="")
    follow_up_needed: Mapped[bool] = mapped_column(default=False)
    # Free text may name people, so it is encrypted and removed with the resident's details.
    note: Mapped[str | None] = mapped_column(EncryptedText)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    recorded_by: Mapped[User] = relationship()
    fitted: Mapped[list["VisitMeasure"]] = relationship(
        cascade="all, delete-orphan", order_by="VisitMeasure.measure"
    )

    @property
    def measures(self) -> list[Measure]:
        return [row.measure for row in self.fitted]

    @measures.setter
    def measures(self, measures) -> None:
        wanted = list(dict.fromkeys(Measure(m) for m in measures))
        self.fitted = [VisitMeasure(measure=m) for m in wanted]

    @property
    def advice(self) -> list[Advice]:
        return codes(self.advice_codes, Advice)

    @property
    def onward(self) -> list[OnwardReferral]:
        return codes(self.onward_codes, OnwardReferral)


class VisitMeasure(Model):
    """One measure fitted at a visit: a row each, so the report counts them in the database."""

    __tablename__ = "visit_measures"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("visit_outcomes.event_id", ondelete="CASCADE"), primary_key=True
    )
    measure: Mapped[Measure] = mapped_column(EnumText(Measure, 40), primary_key=True)
