"""A subject access request: everything held about one resident, in one export."""

from dataclasses import asdict

from ..auth.models import User
from ..extensions import db
from ..signups.vocabulary import SignupStatus
from ..timezones import utcnow
from ..visits.models import VisitOutcome
from ..visits.services import outcomes_of
from .audit import audit, trail
from .models import Referral
from .services import current_data
from .vocabulary import AuditAction


def export_resident(referral: Referral, *, by: User) -> dict:
    """Everything held about one resident, for a subject access request; the export is audited."""
    outcomes = outcomes_of([v.id for v in referral.visits])
    details = referral.details
    data = current_data(referral) if details is not None else None
    recorded_by = details.consent_recorded_by.name if details is not None else None
    export = {
        "reference": referral.reference,
        "exported_at": utcnow(),
        "referral": {
            "source": referral.source.label,
            "referred_by": referral.referred_by.name,
            "partner_reference": referral.partner_reference,
            "status": referral.status.label,
            "referred_at": referral.created_at,
            "closed_at": referral.closed_at,
            "steps": [
                {
                    "status": s.status.label,
                    "at": s.at,
                    "by": s.by.name if s.by else None,
                }
                for s in referral.steps
            ],
        },
        "resident": None
        if data is None
        else {
            **asdict(data),
            "vulnerabilities": [v.label for v in data.vulnerabilities],
            "contact_method": data.contact_method.label,
            "consent_method": data.consent_method.label,
            "consent_given_on": data.consent_given_on,
            "consent_recorded_by": recorded_by,
        },
        "details_removed": referral.details_removed_reason or None,
        "visits": [
            {
                "starts_at": v.starts_at,
                "ends_at": v.ends_at,
                "status": v.status.label,
                "volunteers": [
                    s.user.name for s in v.signups if s.status == SignupStatus.CONFIRMED
                ],
                "outcome": _outcome_export(outcomes.get(v.id)),
            }
            for v in referral.visits
        ],
        "who_has_seen_or_changed_the_details": [
            {"at": r.at, "who": r.actor.name if r.actor else "The system", "what": r.action.label}
            for r in reversed(trail(referral_id=referral.id))
        ],
    }
    audit(AuditAction.EXPORT, actor=by, referral_id=referral.id)
    db.session.commit()
    return export


def _outcome_export(outcome: VisitOutcome | None) -> dict | None:
    if outcome is None:
        return None
    return {
        "measures_fitted": [m.label for m in outcome.measures],
        "advice_given": [a.label for a in outcome.advice],
        "onward_referrals": [o.label for o in outcome.onward],
        "follow_up_needed": outcome.follow_up_needed,
        "note": outcome.note,
    }
