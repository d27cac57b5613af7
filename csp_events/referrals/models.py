"""Referrals, the resident details kept apart (and encrypted), and each step of the workflow."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..dbtypes import EnumText, UTCDateTime
from ..events.models import Event
from ..extensions import Model
from ..timezones import utcnow
from ..visits.keyring import EncryptedText
from ..visits.models import codes
from .vocabulary import (
    ConsentMethod,
    ContactMethod,
    ReferralSource,
    ReferralStatus,
    Vulnerability,
)


class Referral(Model):
    """A request to visit a resident. Holds nothing that identifies them: that is
    ResidentDetails."""

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
    """Each move along referred → contacted → visit scheduled → visited → closed, dated and
    signed."""

    __tablename__ = "referral_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referrals.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[ReferralStatus] = mapped_column(EnumText(ReferralStatus, 30))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    by: Mapped[User | None] = relationship()
