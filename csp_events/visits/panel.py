"""What the event page shows about a home visit to the person looking at it."""

from dataclasses import dataclass
from datetime import datetime

from ..auth.models import User
from ..auth.roles import Role
from ..events.models import Event
from ..extensions import db
from ..signups.kinds import SignupStatus
from .models import Referral, VisitOutcome, VisitSafetyCheck
from .rules import ResidentAccess, can_view_resident, is_overdue_to_leave, may_check_in
from .rules import SafetyFacts as Facts
from .services import access_to, details_window, visit_facts
from .visiting import CHECK_IN_EARLY, grace, may_record_outcome, safety_checks


@dataclass
class VisitPanel:
    referral: Referral | None
    sees_details: bool
    details_open_from: datetime
    assigned: bool
    my_check: VisitSafetyCheck | None
    checks: dict[int, VisitSafetyCheck]
    may_check_in: bool
    may_record_outcome: bool
    outcome: VisitOutcome | None
    overdue: bool
    is_coordinator: bool


def visit_panel(visit: Event, user: User, now: datetime) -> VisitPanel:
    referral = db.session.get(Referral, visit.referral_id) if visit.referral_id else None
    access = access_to(referral, user, now) if referral is not None else ResidentAccess.NONE
    assigned = any(
        s.user_id == user.id and s.status == SignupStatus.CONFIRMED for s in visit.signups
    )
    checks = safety_checks([visit.id]).get(visit.id, {})
    facts = visit_facts(visit)
    return VisitPanel(
        referral=referral if access != ResidentAccess.NONE else None,
        sees_details=can_view_resident(access)
        and referral is not None
        and referral.details is not None,
        details_open_from=visit.starts_at - details_window().before,
        assigned=assigned,
        my_check=checks.get(user.id),
        checks=checks,
        may_check_in=assigned and may_check_in(facts, now, CHECK_IN_EARLY),
        may_record_outcome=may_record_outcome(visit, user),
        outcome=db.session.get(VisitOutcome, visit.id),
        overdue=is_overdue_to_leave(
            facts,
            [Facts(c.user_id, c.arrived_at, c.left_at) for c in checks.values()],
            now,
            grace(),
        ),
        is_coordinator=user.role == Role.COORDINATOR,
    )
