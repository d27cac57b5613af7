"""Referrals, the resident details kept apart (and encrypted), and what each visit did."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..dbtypes import EnumText, UTCDateTime
from ..events.models import Event
from ..extensions import Model
from ..timezones import utcnow
from .keyring import EncryptedText
from .kinds import (
    Advice,
    ConsentMethod,
    ContactMethod,
    Measure,
    OnwardReferral,
    ReferralSource,
    ReferralStatus,
    Vulnerability,
)


def codes(text: str, enum_class) -> list:
    return [enum_class(code) for code in text.split(",") if code]


class Referral(Model):
    """A request to visit a resident. Holds nothing that identifies them: that is ResidentDetails."""

    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[ReferralSource] = mapped_column(EnumText(ReferralSource, 30))
    referred_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # The referring agency's own reference, so a partner can recognise their referral. A police
    # log number leads back to the resident, so it is encrypted like their details.
    partner_reference: Mapped[str] = mapped_column(EncryptedText, default="")
    postcode_district: Mapped[str] = mapped_column(String(8))
    status: Mapped[ReferralStatus] = mapped_column(
        EnumText(ReferralStatus, 30), default=ReferralStatus.REFERRED
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    details_removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    details_removed_reason: Mapped[str] = mapped_column(String(40), default="")

    referred_by: Mapped[User] = relationship()
    details: Mapped["ResidentDetails | None"] = relationship(
        back_populates="referral", cascade="all, delete-orphan", uselist=False
    )
    steps: Mapped[list["ReferralStep"]] = relationship(
        cascade="all, delete-orphan", order_by="ReferralStep.at"
    )
    visits: Mapped[list[Event]] = relationship(
        primaryjoin="and_(Event.referral_id == Referral.id, Event.kind == 'home_visit')",
        foreign_keys="Event.referral_id",
        order_by="Event.starts_at",
        viewonly=True,
    )

    @property
    def reference(self) -> str:
        return f"HV-{self.id:04d}"


class ResidentDetails(Model):
    """Special category personal data: every identifying field is encrypted at rest."""

    __tablename__ = "resident_details"

    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referrals.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(EncryptedText)
    address: Mapped[str] = mapped_column(EncryptedText)
    postcode: Mapped[str] = mapped_column(EncryptedText)
    phone: Mapped[str] = mapped_column(EncryptedText)
    vulnerability_codes: Mapped[str] = mapped_column(EncryptedText)
    vulnerability_note: Mapped[str] = mapped_column(EncryptedText)
    contact_method: Mapped[ContactMethod] = mapped_column(EnumText(ContactMethod, 30))
    contact_note: Mapped[str] = mapped_column(EncryptedText)
    consent_given_by: Mapped[str] = mapped_column(EncryptedText)
    consent_method: Mapped[ConsentMethod] = mapped_column(EnumText(ConsentMethod, 30))
    consent_given_on: Mapped[date]
    consent_recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    referral: Mapped[Referral] = relationship(back_populates="details")
    consent_recorded_by: Mapped[User] = relationship()

    @property
    def vulnerabilities(self) -> list[Vulnerability]:
        return codes(self.vulnerability_codes, Vulnerability)


class ReferralStep(Model):
    """Each move along referred → contacted → visit scheduled → visited → closed, dated and signed."""

    __tablename__ = "referral_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referrals.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[ReferralStatus] = mapped_column(EnumText(ReferralStatus, 30))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    by: Mapped[User | None] = relationship()


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
