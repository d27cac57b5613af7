"""Referrals: recording, who may see them, the workflow, correction, and arranging their visits.

Every look at or change to resident details writes an audit record in the same transaction as
the action itself. Export, erasure and the retention purge are in `subject_access.py` and
`erasure.py`.
"""

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..auth.roles import Role
from ..changes.bus import publish
from ..errors import DomainError, NotFound
from ..events.messages import EventChanged, EventSnapshot
from ..events.models import Event
from ..events.vocabulary import EventStatus
from ..extensions import db
from ..timezones import utcnow
from ..visits.services import add_visit, visit_facts
from .audit import audit
from .models import Referral, ReferralStep, ResidentDetails
from .rules import (
    DetailsWindow,
    ResidentAccess,
    Viewer,
    may_move,
    may_schedule_visit,
    normal_postcode,
    postcode_district,
    reference_identifies_the_resident,
    resident_access,
)
from .vocabulary import (
    PARTNER_SOURCES,
    AuditAction,
    ConsentMethod,
    ContactMethod,
    ReferralSource,
    ReferralStatus,
    Vulnerability,
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


def details_window() -> DetailsWindow:
    config = current_app.config
    return DetailsWindow(
        before=timedelta(hours=config["RESIDENT_DETAILS_FROM_HOURS"]),
        after=timedelta(hours=config["RESIDENT_DETAILS_UNTIL_HOURS"]),
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


def referral_of(visit: Event) -> Referral | None:
    """The referral a home visit was arranged from, if any."""
    return db.session.get(Referral, visit.referral_id) if visit.referral_id else None


def record_view(referral: Referral, by: User) -> None:
    """Showing resident details is itself recorded."""
    audit(AuditAction.VIEW, actor=by, referral_id=referral.id)
    db.session.commit()


def step(referral: Referral, status: ReferralStatus, by: User | None) -> None:
    """Move the referral on, dated and signed; a final status closes it."""
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
    step(referral, ReferralStatus.REFERRED, by)
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


def cancel_upcoming_visits(referral: Referral, by: User | None = None) -> None:
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
    step(referral, to, by)
    if to.is_final:
        cancel_upcoming_visits(referral, by)
    audit(AuditAction.STATUS, actor=by, referral_id=referral.id, detail=to.label)
    db.session.commit()


def arrange_visit(
    referral: Referral,
    starts_at: datetime,
    ends_at: datetime,
    volunteer_ids: list[int],
    *,
    by: User,
) -> Event:
    """A visit is arranged once the resident has been contacted, while their details are held;
    the pair and the time are checked by the visits area. The referral is then 'visit
    scheduled'."""
    if not may_schedule_visit(referral.status):
        raise ReferralRefused(
            "Record that the resident has been contacted before arranging a visit.", "start_date"
        )
    if referral.details is None:
        raise ReferralRefused("This resident's details have been removed.", "start_date")
    visit = add_visit(
        starts_at,
        ends_at,
        volunteer_ids,
        area=referral.postcode_district,
        referral_id=referral.id,
        by=by,
    )
    if referral.status != ReferralStatus.VISIT_SCHEDULED:
        referral.status = ReferralStatus.VISIT_SCHEDULED
        referral.steps.append(ReferralStep(status=referral.status, at=utcnow(), by_id=by.id))
    audit(AuditAction.SCHEDULE, actor=by, referral_id=referral.id, detail=f"visit {visit.id}")
    db.session.commit()
    return visit


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


def may_reinstate_visit(visit: Event) -> str | None:
    """A cancelled visit comes back only while its referral is open and its resident known."""
    referral = db.session.get(Referral, visit.referral_id)
    if referral is None or referral.status.is_final or referral.details is None:
        return "This visit's referral is closed, so the visit cannot be reinstated."
    return None
