"""How referrals react to changes elsewhere: a closed referral's visit stays cancelled, and a
visit's recorded outcome moves its referral to 'visited'."""

from ..changes.bus import subscribe
from ..errors import DomainError
from ..events.messages import StatusChanging
from ..events.vocabulary import EventStatus
from ..timezones import utcnow
from ..visits.messages import VisitOutcomeRecorded
from .audit import audit
from .models import ReferralStep
from .services import may_reinstate_visit, referral_of
from .vocabulary import AuditAction, ReferralStatus


def refuse_reinstating_closed_visits(message: StatusChanging) -> None:
    event = message.event
    if event.status != EventStatus.CANCELLED or event.referral_id is None:
        return
    problem = may_reinstate_visit(event)
    if problem:
        raise DomainError(problem)


def mark_referral_visited(message: VisitOutcomeRecorded) -> None:
    """A scheduled referral becomes 'visited' once a visit's outcome is recorded; every
    recording is audited against the referral."""
    referral = referral_of(message.visit)
    if referral is None:
        return
    if referral.status == ReferralStatus.VISIT_SCHEDULED:
        referral.status = ReferralStatus.VISITED
        referral.steps.append(
            ReferralStep(status=referral.status, at=utcnow(), by_id=message.by.id)
        )
    audit(
        AuditAction.OUTCOME,
        actor=message.by,
        referral_id=referral.id,
        detail=f"visit {message.visit.id}",
    )


def subscribe_to_changes() -> None:
    subscribe(StatusChanging, refuse_reinstating_closed_visits)
    subscribe(VisitOutcomeRecorded, mark_referral_visited)
