"""What the dashboard shows of each thing, as plain values: read once, kept in the shared cache
(see snapshot.py) and filtered by the clock on every view (see rules.py)."""

from dataclasses import dataclass
from datetime import date, datetime

from ..events.vocabulary import EventStatus
from ..people.vocabulary import QualificationKind
from ..visits.rules import SafetyFacts, VisitFacts


@dataclass(frozen=True)
class EventLine:
    """An event as the dashboard's lists show it (the fields the event macros read)."""

    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    status: EventStatus
    place_name: str
    min_volunteers: int
    max_volunteers: int

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED


@dataclass(frozen=True)
class UpcomingLine:
    event: EventLine
    confirmed: int
    waiting: int


@dataclass(frozen=True)
class Volunteer:
    name: str
    phone: str


@dataclass(frozen=True)
class VisitLine:
    """A home visit that has ended: what decides whether it is overdue to check out (the
    clock does, with these facts), and whom to phone."""

    event: EventLine
    facts: VisitFacts
    checks: tuple[SafetyFacts, ...]
    volunteers: tuple[Volunteer, ...]  # the confirmed pair, in roster order


@dataclass(frozen=True)
class ReturnLine:
    item_id: int
    item_name: str
    collected_by: str
    due_back_at: datetime


@dataclass(frozen=True)
class SpeedwatchLine:
    event: EventLine
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class QualificationLine:
    person_id: int
    person_name: str
    kind: QualificationKind
    expires_on: date


@dataclass(frozen=True)
class GunLine:
    item_id: int
    name: str
    expires_on: date | None


@dataclass(frozen=True)
class ApprovalLine:
    site_id: int
    name: str
    expires_on: date | None  # never None here: only sites whose approval ends are listed


@dataclass(frozen=True)
class StockLine:
    item_id: int
    name: str
    balance: int
    low_stock_level: int

    @property
    def is_low(self) -> bool:
        return self.balance <= self.low_stock_level


@dataclass(frozen=True)
class Snapshot:
    day: date
    upcoming: tuple[UpcomingLine, ...]  # overlapping the day or the fortnight after it
    visits: tuple[VisitLine, ...]  # ended from 30 days before the day to its end
    returns: tuple[ReturnLine, ...]  # not back, due before the day ends
    speedwatch: tuple[SpeedwatchLine, ...]  # starting in the day or 60 days after it
    # Without an outcome `outcome_days` before the day began (counted; the latest listed),
    # and those that reach `outcome_days` during the day (all listed).
    no_outcome_count: int
    no_outcome_before: tuple[EventLine, ...]
    no_outcome_during: tuple[EventLine, ...]
    expiring: tuple[QualificationLine, ...]
    calibration_due: tuple[GunLine, ...]
    approvals_ending: tuple[ApprovalLine, ...]
    low_stock: tuple[StockLine, ...]
    new_referrals: int
