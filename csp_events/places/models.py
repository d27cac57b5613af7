"""Where things happen: venues, and the police-approved Speedwatch sites."""

from datetime import date

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..dbtypes import EnumText
from ..extensions import Model
from .vocabulary import ApprovalStatus, VenueKind


class Venue(Model):
    __tablename__ = "venues"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[VenueKind] = mapped_column(EnumText(VenueKind, 30))
    address: Mapped[str] = mapped_column(String(250))
    postcode: Mapped[str] = mapped_column(String(10))
    # One of places.wards.WARDS, or "" when not recorded; reports group hand-outs by it.
    ward: Mapped[str] = mapped_column(String(80), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # Shown to the public on "What's on": step-free access, hearing loop, toilets, parking.
    accessibility: Mapped[str] = mapped_column(Text, default="")
    # Where known, for the map link on an event's public page (no map is drawn here).
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]

    @property
    def location_line(self) -> str:
        return f"{self.name}, {self.address}, {self.postcode}"


class SpeedwatchSite(Model):
    __tablename__ = "speedwatch_sites"
    __table_args__ = (CheckConstraint("speed_limit BETWEEN 20 AND 40", name="speed_limit_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    road: Mapped[str] = mapped_column(String(120))
    location: Mapped[str] = mapped_column(String(250))
    speed_limit: Mapped[int]
    approval_status: Mapped[ApprovalStatus] = mapped_column(EnumText(ApprovalStatus, 20))
    approval_expires_on: Mapped[date | None]
    risk_notes: Mapped[str] = mapped_column(Text, default="")
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]

    @property
    def name(self) -> str:
        return f"{self.road} ({self.location})"

    @property
    def location_line(self) -> str:
        return f"{self.road}, {self.location} ({self.speed_limit} mph)"
