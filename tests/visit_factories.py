"""Builders for home-visit tests: residents with recognisable sentinel details, referrals,
visits."""

from datetime import date, datetime, timedelta

from factories import at, days_ahead, far_future, make_coordinator, make_user

from csp_events.auth.models import User
from csp_events.auth.roles import Role
from csp_events.events.models import Event
from csp_events.events.vocabulary import EventKind, EventStatus
from csp_events.extensions import db
from csp_events.people.vocabulary import QualificationKind
from csp_events.referrals.models import Referral, ReferralStep
from csp_events.referrals.services import ResidentData, create_referral
from csp_events.referrals.vocabulary import (
    ConsentMethod,
    ContactMethod,
    ReferralSource,
    ReferralStatus,
    Vulnerability,
)
from csp_events.signups.models import Signup
from csp_events.signups.vocabulary import SignupStatus

# Strings that must never appear outside the pages allowed to show them.
SENTINELS = {
    "name": "Zebedee Sentinel-Quill",
    "address": "17 Sentinelwood Close, Shenfield",
    "postcode": "CM15 8QZ",
    "phone": "01277 990417",
    "vulnerability_note": "Sentinel-note: keeps a spare key under the geranium",
}


def resident_data(**overrides) -> ResidentData:
    values = {
        "name": SENTINELS["name"],
        "address": SENTINELS["address"],
        "postcode": SENTINELS["postcode"],
        "phone": SENTINELS["phone"],
        "vulnerabilities": [Vulnerability.LIVES_ALONE, Vulnerability.DOORSTEP_CRIME],
        "vulnerability_note": SENTINELS["vulnerability_note"],
        "contact_method": ContactMethod.PHONE,
        "contact_note": "",
        "consent_given_by": "The resident",
        "consent_method": ConsentMethod.VERBAL,
        "consent_given_on": days_ahead(-1),
    }
    values.update(overrides)
    return ResidentData(**values)


def home_visit_volunteer(**kwargs) -> User:
    return make_user(
        qualifications={
            QualificationKind.HOME_VISIT: far_future(),
            QualificationKind.DBS: far_future(),
        },
        **kwargs,
    )


def make_referral(
    by: User | None = None,
    *,
    contacted: bool = True,
    source=ReferralSource.ESSEX_POLICE,
    **resident,
) -> Referral:
    by = by or make_user(Role.PARTNER, name="PC Referrer")
    referral = create_referral(
        resident_data(**resident), source=source, partner_reference="CAD 123", by=by
    )
    if contacted:
        referral.status = ReferralStatus.CONTACTED
        referral.steps.append(ReferralStep(status=ReferralStatus.CONTACTED))
        db.session.commit()
    return referral


def make_visit(
    referral: Referral,
    volunteers: list[User] | None = None,
    *,
    starts_at: datetime | None = None,
    hours: float = 1,
    status: EventStatus = EventStatus.CONFIRMED,
) -> Event:
    """A visit stored directly, so tests can place it in the past or happening now."""
    starts_at = starts_at or at(days_ahead(3), 10)
    volunteers = (
        volunteers if volunteers is not None else [home_visit_volunteer(), home_visit_volunteer()]
    )
    visit = Event(
        title="Home visit",
        kind=EventKind.HOME_VISIT,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        area=referral.postcode_district,
        min_volunteers=2,
        max_volunteers=2,
        is_public=False,
        status=status,
        referral_id=referral.id,
    )
    db.session.add(visit)
    for person in volunteers:
        db.session.add(Signup(event=visit, user=person, status=SignupStatus.CONFIRMED))
    referral.status = ReferralStatus.VISIT_SCHEDULED
    db.session.commit()
    return visit


def closed_on(referral: Referral, day: date) -> None:
    referral.status = ReferralStatus.CLOSED
    referral.closed_at = at(day, 12)
    db.session.commit()


__all__ = ["make_coordinator"]
