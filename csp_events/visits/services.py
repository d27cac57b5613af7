"""Referrals: recording, who may see them, the workflow, correction, export, erasure and purge.

Every look at, change to or export of resident details writes an audit record in the same
transaction as the action itself.
"""

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..auth.roles import Role
from ..changes.bus import publish
from ..errors import DomainError, NotFound
from ..events.kinds import EventStatus
from ..events.messages import EventChanged, EventSnapshot
from ..events.models import Event
from ..extensions import db
from ..signups.kinds import SignupStatus
from ..timezones import utcnow
from . import erasures
from .audit import AuditRecord, audit, trail
from .kinds import (
    PARTNER_SOURCES,
    AuditAction,
    ConsentMethod,
    ContactMethod,
    ReferralSource,
    ReferralStatus,
    Vulnerability,
)
from .models import Referral, ReferralStep, ResidentDetails, VisitOutcome
from .rules import (
    DetailsWindow,
    ResidentAccess,
    Viewer,
    VisitFacts,
    may_move,
    reference_identifies_the_resident,
    resident_access,
)


class ReferralRefused(DomainError):
    pass


@dataclass
class ResidentData:
    name: str
    address: str
    postcode: str
    phone: str
    vulnerabilities: list[Vulnerability]
    vulnerability_note: str
    contact_method: ContactMethod
    contact_note: str
    consent_given_by: str
    consent_method: ConsentMethod
    consent_given_on: date


def postcode_district(postcode: str) -> str:
    """The outward code ("CM15 8AB" → "CM15"): the only part of an address shown outside."""
    return normal_postcode(postcode).split(" ")[0]


def normal_postcode(postcode: str) -> str:
    """However it was typed ("cm158ab"), a UK postcode as it is written: "CM15 8AB"."""
    compact = "".join(postcode.split()).upper()
    return f"{compact[:-3]} {compact[-3:]}"


def details_window() -> DetailsWindow:
    config = current_app.config
    return DetailsWindow(
        before=timedelta(hours=config["RESIDENT_DETAILS_FROM_HOURS"]),
        after=timedelta(hours=config["RESIDENT_DETAILS_UNTIL_HOURS"]),
    )


def visit_facts(event: Event) -> VisitFacts:
    return VisitFacts(
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        cancelled=event.status == EventStatus.CANCELLED,
        volunteer_ids=frozenset(
            s.user_id for s in event.signups if s.status == SignupStatus.CONFIRMED
        ),
    )


def access_to(referral: Referral, user: User | None, now: datetime | None = None) -> ResidentAccess:
    viewer = Viewer(user.id, user.role) if user is not None and user.is_authenticated else None
    return resident_access(
        viewer,
        referral.referred_by_id,
        [visit_facts(v) for v in referral.visits],
        now or utcnow(),
        details_window(),
    )


def referral_for(referral_id: int, user: User) -> tuple[Referral, ResidentAccess]:
    """The referral and what this user may see of it; NotFound when they may see nothing."""
    referral = db.session.execute(
        db.select(Referral)
        .where(Referral.id == referral_id)
        .options(
            selectinload(Referral.visits).selectinload(Event.signups),
            selectinload(Referral.steps),
        )
    ).scalar_one_or_none()
    if referral is None:
        raise NotFound("No such referral.")
    access = access_to(referral, user)
    if access == ResidentAccess.NONE:
        raise NotFound("No such referral.")
    return referral, access


def record_view(referral: Referral, by: User) -> None:
    """Showing resident details is itself recorded."""
    audit(AuditAction.VIEW, actor=by, referral_id=referral.id)
    db.session.commit()


def _step(referral: Referral, status: ReferralStatus, by: User | None) -> None:
    referral.status = status
    referral.steps.append(ReferralStep(status=status, at=utcnow(), by_id=by.id if by else None))
    if status.is_final:
        referral.closed_at = utcnow()
    else:
        referral.closed_at = None


def _fill(details: ResidentDetails, data: ResidentData) -> None:
    values = asdict(data)
    values["vulnerability_codes"] = ",".join(
        Vulnerability(v).value for v in values.pop("vulnerabilities")
    )
    values["postcode"] = normal_postcode(data.postcode)
    for name, value in values.items():
        setattr(details, name, value.strip() if isinstance(value, str) else value)


def create_referral(
    data: ResidentData, *, source: ReferralSource, partner_reference: str, by: User
) -> Referral:
    """A partner refers on behalf of their agency; the coordinator records any source."""
    if by.role == Role.PARTNER and source not in PARTNER_SOURCES:
        raise ReferralRefused("Choose the agency you are referring for.", "source")
    if reference_identifies_the_resident(
        partner_reference, name=data.name, postcode=data.postcode, phone=data.phone
    ):
        raise ReferralRefused(
            "Enter your own reference only, without the resident’s name, postcode or phone "
            "number: it is shown wherever the referral is listed",
            "partner_reference",
        )
    referral = Referral(
        source=source,
        referred_by_id=by.id,
        partner_reference=partner_reference.strip(),
        postcode_district=postcode_district(data.postcode),
    )
    details = ResidentDetails(consent_recorded_by_id=by.id)
    _fill(details, data)
    referral.details = details
    db.session.add(referral)
    _step(referral, ReferralStatus.REFERRED, by)
    db.session.flush()
    audit(AuditAction.CREATE, actor=by, referral_id=referral.id)
    db.session.commit()
    return referral


def current_data(referral: Referral) -> ResidentData:
    d = referral.details
    if d is None:  # every caller checks first; this names the problem if one ever does not
        raise ReferralRefused("This resident's details have been removed.")
    return ResidentData(
        name=d.name,
        address=d.address,
        postcode=d.postcode,
        phone=d.phone,
        vulnerabilities=[Vulnerability(c) for c in d.vulnerability_codes.split(",") if c],
        vulnerability_note=d.vulnerability_note,
        contact_method=d.contact_method,
        contact_note=d.contact_note,
        consent_given_by=d.consent_given_by,
        consent_method=d.consent_method,
        consent_given_on=d.consent_given_on,
    )


def correct_details(referral: Referral, data: ResidentData, *, by: User) -> list[str]:
    """Rectification: the audit names the fields that changed, never their values."""
    if referral.details is None:
        raise ReferralRefused("This resident's details have been removed.")
    before = asdict(current_data(referral))
    _fill(referral.details, data)
    after = asdict(current_data(referral))
    changed = [name.replace("_", " ") for name in before if before[name] != after[name]]
    if changed:
        referral.postcode_district = postcode_district(data.postcode)
        audit(AuditAction.EDIT, actor=by, referral_id=referral.id, detail=", ".join(changed))
    db.session.commit()
    return changed


def _cancel_upcoming_visits(referral: Referral, by: User | None = None) -> None:
    """The pair on each visit still to come is told (as "Home visit – CM15", nothing more)."""
    now = utcnow()
    for visit in referral.visits:
        if visit.starts_at > now and visit.status != EventStatus.CANCELLED:
            before = EventSnapshot.of(visit)
            visit.status = EventStatus.CANCELLED
            visit.sequence += 1
            db.session.flush()
            publish(EventChanged(visit, by, before))


def move_referral(referral: Referral, to: ReferralStatus, *, by: User) -> None:
    if not may_move(referral.status, to):
        raise ReferralRefused(
            f"A referral that is {referral.status.label.lower()} cannot be marked "
            f"{to.label.lower()}.",
            "status",
        )
    _step(referral, to, by)
    if to.is_final:
        _cancel_upcoming_visits(referral, by)
    audit(AuditAction.STATUS, actor=by, referral_id=referral.id, detail=to.label)
    db.session.commit()


def export_resident(referral: Referral, *, by: User) -> dict:
    """Everything held about one resident, for a subject access request."""
    outcomes = _outcomes(referral)
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


def _outcomes(referral: Referral) -> dict[int, VisitOutcome]:
    ids = [v.id for v in referral.visits]
    if not ids:
        return {}
    rows = db.session.execute(
        db.select(VisitOutcome).where(VisitOutcome.event_id.in_(ids))
    ).scalars()
    return {o.event_id: o for o in rows}


def _outcome_export(outcome: VisitOutcome | None) -> dict | None:
    if outcome is None:
        return None
    from .kinds import Advice, OnwardReferral
    from .models import codes

    return {
        "measures_fitted": [m.label for m in outcome.measures],
        "advice_given": [a.label for a in codes(outcome.advice_codes, Advice)],
        "onward_referrals": [o.label for o in codes(outcome.onward_codes, OnwardReferral)],
        "follow_up_needed": outcome.follow_up_needed,
        "note": outcome.note,
    }


def _remove_details(referral: Referral, reason: str) -> None:
    """Every free text that may name the resident goes with the details; counts stay. The
    referrer's own reference goes too: in their system it leads straight back to her."""
    from ..engagement.models import EventOutcome

    referral.details = None
    referral.partner_reference = ""
    referral.details_removed_at = utcnow()
    referral.details_removed_reason = reason
    for outcome in _outcomes(referral).values():
        outcome.note = None
    visit_ids = [v.id for v in referral.visits]
    if visit_ids:
        db.session.execute(
            db.update(EventOutcome).where(EventOutcome.event_id.in_(visit_ids)).values(notes="")
        )
    _cancel_upcoming_visits(referral)


def erase_resident(referral: Referral, *, by: User) -> None:
    """Erasure on request: the details go now, the anonymous referral and outcomes stay."""
    if referral.details is None:
        raise ReferralRefused("This resident's details have already been removed.")
    _remove_details(referral, "erased on request")
    if not referral.status.is_final:
        _step(referral, ReferralStatus.CLOSED, by)
    audit(AuditAction.ERASE, actor=by, referral_id=referral.id)
    db.session.commit()
    try:
        erasures.remember(current_app.instance_path, referral.id, referral.created_at)
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
    known = erasures.remembered(current_app.instance_path)
    added = 0
    for referral_id, created_at in rows:
        if (referral_id, created_at.isoformat()) not in known:
            erasures.remember(current_app.instance_path, referral_id, created_at)
            added += 1
    db.session.rollback()
    return added


def erase_again_after_restore(instance_path: str) -> list[str]:
    """Erase anew every resident erased since the restored backup was taken; returns their
    references. The register outlives the database (see erasures.py)."""
    on_record = erasures.remembered(instance_path)
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
            _step(referral, ReferralStatus.CLOSED, None)
        audit(
            AuditAction.ERASE, actor=None, referral_id=referral.id, detail="again, after a restore"
        )
        erased.append(referral.reference)
    db.session.commit()
    return erased


def purge_expired(now: datetime, keep_for: timedelta) -> list[str]:
    """Remove resident details a set period after their referral closed; returns references."""
    from .rules import is_due_for_purge

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


def referrals_for(user: User) -> list[Referral]:
    """The coordinator's list holds every referral; a partner's only those they made."""
    query = db.select(Referral).order_by(Referral.created_at.desc())
    if user.role != Role.COORDINATOR:
        query = query.where(Referral.referred_by_id == user.id)
    return list(db.session.execute(query.options(selectinload(Referral.referred_by))).scalars())


def referrals_waiting() -> int:
    """New referrals nobody has contacted yet."""
    return db.session.execute(
        db.select(db.func.count())
        .select_from(Referral)
        .where(Referral.status == ReferralStatus.REFERRED)
    ).scalar_one()


def purge_is_due(referral: Referral) -> bool:
    """Whether the next `flask purge-resident-data` will remove this resident's details."""
    from .rules import is_due_for_purge

    keep_for = timedelta(days=current_app.config["RESIDENT_DATA_RETENTION_DAYS"])
    return referral.details is not None and is_due_for_purge(
        referral.status, referral.closed_at, utcnow(), keep_for
    )


def may_reinstate_visit(visit: Event) -> str | None:
    """A cancelled visit comes back only while its referral is open and its resident known."""
    referral = db.session.get(Referral, visit.referral_id)
    if referral is None or referral.status.is_final or referral.details is None:
        return "This visit's referral is closed, so the visit cannot be reinstated."
    return None
