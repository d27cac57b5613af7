"""Removing a resident's details: erasure on request, the retention purge, and erasing again
whoever a restored backup brings back.

The anonymous referral, its steps and the visits' outcomes stay, so the figures do.
"""

from datetime import datetime, timedelta

from flask import current_app

from ..auth.models import User
from ..engagement.models import EventOutcome
from ..extensions import db
from ..timezones import utcnow
from ..visits.services import outcomes_of
from . import erasure_register
from .audit import AuditRecord, audit
from .models import Referral, ResidentDetails
from .rules import is_due_for_purge
from .services import ReferralRefused, cancel_upcoming_visits, step
from .vocabulary import AuditAction, ReferralStatus


def _remove_details(referral: Referral, reason: str) -> None:
    """Every free text that may name the resident goes with the details; counts stay. The
    referrer's own reference goes too: in their system it leads straight back to her."""
    referral.details = None
    referral.partner_reference = ""
    referral.details_removed_at = utcnow()
    referral.details_removed_reason = reason
    visit_ids = [v.id for v in referral.visits]
    for outcome in outcomes_of(visit_ids).values():
        outcome.note = None
    if visit_ids:
        db.session.execute(
            db.update(EventOutcome).where(EventOutcome.event_id.in_(visit_ids)).values(notes="")
        )
    cancel_upcoming_visits(referral)


def erase_resident(referral: Referral, *, by: User) -> None:
    """Erasure on request: the details go now, the anonymous referral and outcomes stay."""
    if referral.details is None:
        raise ReferralRefused("This resident's details have already been removed.")
    _remove_details(referral, "erased on request")
    if not referral.status.is_final:
        step(referral, ReferralStatus.CLOSED, by)
    audit(AuditAction.ERASE, actor=by, referral_id=referral.id)
    db.session.commit()
    try:
        erasure_register.remember(current_app.instance_path, referral.id, referral.created_at)
    except OSError:
        # The erasure itself is done and audited; `flask restore` also reads the audit
        # trail of the database it replaces, so this is caught up there.
        current_app.logger.exception(
            "Could not note erasure of %s outside the database", referral.reference
        )


def note_erasures_on_record() -> int:
    """Copy every erasure in this database's audit trail into the register, so restoring an
    older backup over it honours them too (including erasures made before the register)."""
    rows = db.session.execute(
        db.select(Referral.id, Referral.created_at)
        .join(AuditRecord, AuditRecord.referral_id == Referral.id)
        .where(AuditRecord.action == AuditAction.ERASE)
        .distinct()
    ).all()
    known = erasure_register.remembered(current_app.instance_path)
    added = 0
    for referral_id, created_at in rows:
        if (referral_id, created_at.isoformat()) not in known:
            erasure_register.remember(current_app.instance_path, referral_id, created_at)
            added += 1
    db.session.rollback()
    return added


def erase_again_after_restore(instance_path: str) -> list[str]:
    """Erase anew every resident erased since the restored backup was taken; returns their
    references. The register outlives the database (see erasure_register.py)."""
    on_record = erasure_register.remembered(instance_path)
    if not on_record:
        return []
    referrals = db.session.execute(
        db.select(Referral)
        .join(ResidentDetails)
        .where(Referral.id.in_([referral_id for referral_id, _ in on_record]))
    ).scalars()
    erased = []
    for referral in referrals:
        if (referral.id, referral.created_at.isoformat()) not in on_record:
            continue  # the id now belongs to a different referral
        _remove_details(referral, "erased on request")
        if not referral.status.is_final:
            step(referral, ReferralStatus.CLOSED, None)
        audit(
            AuditAction.ERASE, actor=None, referral_id=referral.id, detail="again, after a restore"
        )
        erased.append(referral.reference)
    db.session.commit()
    return erased


def purge_expired(now: datetime, keep_for: timedelta) -> list[str]:
    """Remove resident details a set period after their referral closed; returns references."""
    candidates = db.session.execute(
        db.select(Referral)
        .join(ResidentDetails)
        .where(Referral.closed_at.is_not(None), Referral.closed_at <= now - keep_for)
        .with_for_update()
    ).scalars()
    purged = []
    for referral in candidates:
        if is_due_for_purge(referral.status, referral.closed_at, now, keep_for):
            _remove_details(referral, "removed after the retention period")
            audit(AuditAction.PURGE, actor=None, referral_id=referral.id)
            purged.append(referral.reference)
    db.session.commit()
    return purged


def purge_is_due(referral: Referral) -> bool:
    """Whether the next `flask purge-resident-data` will remove this resident's details."""
    keep_for = timedelta(days=current_app.config["RESIDENT_DATA_RETENTION_DAYS"])
    return referral.details is not None and is_due_for_purge(
        referral.status, referral.closed_at, utcnow(), keep_for
    )
