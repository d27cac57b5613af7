"""What the event page shows about a home visit to the person looking at it: the way to the
resident (if they may see them), lone working, and the outcome."""

from dataclasses import dataclass
from datetime import datetime

from ..auth.models import User
from ..auth.roles import Role
from ..events.models import Event
from ..visits.lone_working import CHECK_IN_EARLY, is_overdue, safety_checks
from ..visits.models import VisitOutcome, VisitSafetyCheck
from ..visits.rules import may_check_in
from ..visits.services import (
    is_on_visit,
    may_record_outcome,
    outcome_of,
    visit_facts,
    visiting_pair,
)
from .models import Referral
from .rules import ResidentAccess, can_view_resident
from .services import access_to, details_window, referral_of


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
    pair: list[User]  # the visiting volunteers
    partners: list[User]  # the others on the visit with this person


def visit_panel(visit: Event, user: User, now: datetime) -> VisitPanel:
    referral = referral_of(visit)
    access = access_to(referral, user, now) if referral is not None else ResidentAccess.NONE
    assigned = is_on_visit(visit, user)
    pair = visiting_pair(visit)
    checks = safety_checks([visit.id]).get(visit.id, {})
    return VisitPanel(
        referral=referral if access != ResidentAccess.NONE else None,
        sees_details=can_view_resident(access)
        and referral is not None
        and referral.details is not None,
        details_open_from=visit.starts_at - details_window().before,
        assigned=assigned,
        my_check=checks.get(user.id),
        checks=checks,
        may_check_in=assigned and may_check_in(visit_facts(visit), now, CHECK_IN_EARLY),
        may_record_outcome=may_record_outcome(visit, user),
        outcome=outcome_of(visit.id),
        overdue=is_overdue(visit, checks, now),
        is_coordinator=user.role == Role.COORDINATOR,
        pair=pair,
        partners=[person for person in pair if person.id != user.id],
    )
