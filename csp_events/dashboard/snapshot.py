"""The dashboard's facts for one day as of the latest committed change: read from every area in
a fixed number of queries, kept in the shared cache under the change log's version and the
day, and so read again only after a change (or on a new day).

Each list covers whatever the clock could ask for during the day (the fortnight ahead of any
moment of it, every return due before it ends...): the clock itself only filters (rules.py),
so a visit becomes overdue, or an event drops off the fortnight, at the minute it should,
however old the entry. The version is read afresh on every view (not the feeds' two-second
memo; in the same statement as the signed-in user, see changes.services.with_version), and
before the data, so an entry never holds data older than its key: a coordinator
who has just marked a volunteer safe is never shown the visit overdue by another worker.
"""

import sys
from datetime import date, timedelta

from ..changes.derived import DerivedValues, code_digest
from ..changes.services import read_version
from ..engagement.services import without_outcome
from ..equipment.custody import calibration_due, overdue_returns
from ..equipment.models import EquipmentCheckout
from ..equipment.speedwatch import sessions_needing_attention_between
from ..events.models import Event
from ..events.services import events_between_query
from ..people.services import expiring_qualifications
from ..places.services import approvals_ending
from ..referrals.services import referrals_waiting
from ..signups.services import with_roster_counts
from ..signups.vocabulary import SignupStatus
from ..stock.services import low_stock
from ..visits.lone_working import visits_with_checks
from ..visits.rules import SafetyFacts
from ..visits.services import visit_facts
from . import lines, rules
from .lines import EventLine, Snapshot, UpcomingLine, VisitLine
from .rules import (
    LOOKING_AHEAD,
    NO_OUTCOME_LISTED,
    SPEEDWATCH_AHEAD,
    VISITS_LOOKING_BACK,
    day_bounds,
)

# Whoever reads or shapes these facts differently (a new release) never reads another's entry:
# the key carries a digest of this module, of the value types and of every reader's module.
_READERS = (
    without_outcome,
    calibration_due,
    overdue_returns,
    sessions_needing_attention_between,
    events_between_query,
    expiring_qualifications,
    approvals_ending,
    referrals_waiting,
    with_roster_counts,
    low_stock,
    visits_with_checks,
    visit_facts,
)
# An entry serves until the next change; one left idle is read again after an hour. This
# process also keeps the last few it read, as they are (each names one version of the data).
DAYS = DerivedValues(
    "dashboard",
    code_digest(sys.modules[__name__], lines, rules, *_READERS),
    seconds=3600,
    in_process=4,
)


def snapshot(day: date, outcome_days: int) -> Snapshot:
    """The day's facts as of the latest committed change: kept when they were read for that
    version before."""
    return DAYS.get(
        f"{day.isoformat()}:{outcome_days}",
        read_version(),
        lambda: read_snapshot(day, outcome_days),
    )


def read_snapshot(day: date, outcome_days: int) -> Snapshot:
    """The day's facts, from the database."""
    start, end = day_bounds(day)
    upcoming = with_roster_counts(
        events_between_query(start, end + LOOKING_AHEAD, include_cancelled=False)
    )
    waited = timedelta(days=outcome_days)
    count, before = without_outcome(start - waited, limit=NO_OUTCOME_LISTED)
    _count, during = without_outcome(end - waited, ended_from=start - waited)
    return Snapshot(
        day=day,
        upcoming=tuple(_upcoming(event, counts) for event, counts in upcoming),
        visits=tuple(
            _visit(visit, checks)
            for visit, checks in visits_with_checks(start - VISITS_LOOKING_BACK, end)
        ),
        returns=tuple(_return(c) for c in overdue_returns(end)),
        speedwatch=tuple(
            lines.SpeedwatchLine(_event(event), tuple(reasons))
            for event, reasons in sessions_needing_attention_between(start, end + SPEEDWATCH_AHEAD)
        ),
        no_outcome_count=count,
        no_outcome_before=tuple(map(_event, before)),
        no_outcome_during=tuple(map(_event, during)),
        **_standing(day),
    )


def _standing(day: date) -> dict:
    """What moves only with the data or the date."""
    return {
        "expiring": tuple(
            lines.QualificationLine(q.user_id, q.user.name, q.kind, q.expires_on)
            for q in expiring_qualifications(day)
        ),
        "calibration_due": tuple(
            lines.GunLine(i.id, i.name, i.calibration_expires_on) for i in calibration_due(day)
        ),
        "approvals_ending": tuple(
            lines.ApprovalLine(s.id, s.name, s.approval_expires_on) for s in approvals_ending(day)
        ),
        "low_stock": tuple(
            lines.StockLine(i.id, i.name, i.balance, i.low_stock_level) for i in low_stock()
        ),
        "new_referrals": referrals_waiting(),
    }


def _event(event: Event) -> EventLine:
    return EventLine(
        event.id,
        event.title,
        event.starts_at,
        event.ends_at,
        event.status,
        event.place_name,
        event.min_volunteers,
        event.max_volunteers,
    )


def _upcoming(event: Event, counts: dict[SignupStatus, int]) -> UpcomingLine:
    return UpcomingLine(
        _event(event), counts[SignupStatus.CONFIRMED], counts[SignupStatus.WAITLISTED]
    )


def _visit(visit: Event, checks: dict) -> VisitLine:
    return VisitLine(
        _event(visit),
        visit_facts(visit),
        tuple(SafetyFacts(c.user_id, c.arrived_at, c.left_at) for c in checks.values()),
        tuple(lines.Volunteer(s.user.name, s.user.phone) for s in visit.signups if s.is_confirmed),
    )


def _return(checkout: EquipmentCheckout) -> lines.ReturnLine:
    return lines.ReturnLine(
        checkout.item_id, checkout.item.name, checkout.collected_by.name, checkout.due_back_at
    )
