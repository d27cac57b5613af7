"""The dashboard at a moment: the day's facts (snapshot.py) filtered by the clock. Pure: the
snapshot, the moment and the grace period are passed in."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ..signups.rules import understaffed
from ..timezones import local_to_utc
from ..visits.rules import is_overdue_to_leave
from .lines import (
    ApprovalLine,
    EventLine,
    GunLine,
    QualificationLine,
    ReturnLine,
    Snapshot,
    SpeedwatchLine,
    StockLine,
    UpcomingLine,
    VisitLine,
)

LOOKING_AHEAD = timedelta(days=14)  # the fortnight of events listed
SPEEDWATCH_AHEAD = timedelta(days=60)  # Speedwatch sessions checked for readiness
VISITS_LOOKING_BACK = timedelta(days=30)  # visits still watched for a safe check-out
NO_OUTCOME_LISTED = 20  # events without an outcome listed (all are counted)


@dataclass(frozen=True)
class Dashboard:
    today: date
    upcoming: list[UpcomingLine]  # the next fortnight's events, not cancelled
    short: list[UpcomingLine]  # of those, the ones with fewer confirmed than they need
    overdue_visits: list[VisitLine]
    overdue: list[ReturnLine]
    speedwatch_problems: list[SpeedwatchLine]
    no_outcome_count: int
    no_outcome: list[EventLine]  # the latest-starting of them
    overdue_days: int
    expiring: tuple[QualificationLine, ...]
    calibration_due: tuple[GunLine, ...]
    approvals_ending: tuple[ApprovalLine, ...]
    low_stock: tuple[StockLine, ...]
    new_referrals: int


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The day's start and the next day's, in UTC (23 or 25 hours apart when the clocks go)."""
    return local_to_utc(day, time(0)), local_to_utc(day + timedelta(days=1), time(0))


def dashboard_at(facts: Snapshot, now: datetime, grace: timedelta, outcome_days: int) -> Dashboard:
    """What needs the coordinator's attention at `now`, one of the moments of `facts.day`."""
    upcoming = [
        line
        for line in facts.upcoming
        if line.event.starts_at < now + LOOKING_AHEAD and line.event.ends_at > now
    ]
    return Dashboard(
        today=facts.day,
        upcoming=upcoming,
        short=[
            line for line in upcoming if understaffed(line.confirmed, line.event.min_volunteers)
        ],
        overdue_visits=overdue_visits(facts.visits, now, grace),
        overdue=[line for line in facts.returns if line.due_back_at < now],
        speedwatch_problems=[
            line for line in facts.speedwatch if now < line.event.starts_at < now + SPEEDWATCH_AHEAD
        ],
        **_without_outcome(facts, now - timedelta(days=outcome_days)),
        overdue_days=outcome_days,
        expiring=facts.expiring,
        calibration_due=facts.calibration_due,
        approvals_ending=facts.approvals_ending,
        low_stock=facts.low_stock,
        new_referrals=facts.new_referrals,
    )


def overdue_visits(
    visits: tuple[VisitLine, ...], now: datetime, grace: timedelta
) -> list[VisitLine]:
    """Visits whose volunteers have not all left safely by the end plus the grace period."""
    return [
        line
        for line in visits
        if now - VISITS_LOOKING_BACK < line.event.ends_at < now - grace
        and is_overdue_to_leave(line.facts, line.checks, now, grace)
    ]


def _without_outcome(facts: Snapshot, ended_before: datetime) -> dict:
    """Events without an outcome that ended before `ended_before`: those that had by the start
    of the day, and those of the day's that have by now; the latest-starting listed."""
    since_day_began = [e for e in facts.no_outcome_during if e.ends_at < ended_before]
    latest = sorted(
        [*facts.no_outcome_before, *since_day_began],
        key=lambda event: (event.starts_at, event.id),
        reverse=True,
    )
    return {
        "no_outcome_count": facts.no_outcome_count + len(since_day_began),
        "no_outcome": latest[:NO_OUTCOME_LISTED],
    }
