"""What happened at an event: the outcome, and who actually came and for how long."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..dbtypes import EnumText, UTCDateTime
from ..events.models import Event
from ..events.vocabulary import PartnerAgency
from ..extensions import Model
from ..timezones import utcnow
from .vocabulary import Audience, OutcomeSource, Weather


class EventOutcome(Model):
    """One per event. Registration numbers are never stored here (they go to the police)."""

    __tablename__ = "event_outcomes"
    __table_args__ = (
        CheckConstraint("people_engaged >= 0", name="people_engaged_not_negative"),
        CheckConstraint("vehicles_checked >= 0", name="vehicles_checked_not_negative"),
        CheckConstraint(
            "vehicles_over_threshold >= 0 AND vehicles_over_threshold <= vehicles_checked",
            name="over_threshold_within_checked",
        ),
        CheckConstraint("highest_speed_mph > 0", name="highest_speed_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    people_engaged: Mapped[int] = mapped_column(default=0)
    partner_agency_codes: Mapped[str] = mapped_column(String(250), default="")
    audience: Mapped[Audience | None] = mapped_column(EnumText(Audience, 30))
    # Speedwatch: the enforcement threshold used on the day (e.g. 35 on a 30 mph road).
    threshold_mph: Mapped[int | None]
    vehicles_checked: Mapped[int | None]
    vehicles_over_threshold: Mapped[int | None]
    highest_speed_mph: Mapped[int | None]
    weather: Mapped[Weather | None] = mapped_column(EnumText(Weather, 20))
    notes: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[OutcomeSource] = mapped_column(
        EnumText(OutcomeSource, 20), default=OutcomeSource.RECORDED
    )
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL"), index=True
    )
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    recorded_by: Mapped[User | None] = relationship()

    @property
    def partner_agencies(self) -> list[PartnerAgency]:
        return [PartnerAgency(code) for code in self.partner_agency_codes.split(",") if code]

    @partner_agencies.setter
    def partner_agencies(self, agencies) -> None:
        self.partner_agency_codes = ",".join(PartnerAgency(a).value for a in agencies)


class Attendance(Model):
    """Whether a signed-up volunteer came, and the time they gave (no-shows give none)."""

    __tablename__ = "attendances"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        CheckConstraint("minutes >= 0 AND minutes <= 1440", name="minutes_in_a_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    attended: Mapped[bool] = mapped_column(default=True)
    minutes: Mapped[int] = mapped_column(default=0)

    user: Mapped[User] = relationship()
