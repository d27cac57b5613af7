"""Demo home visits: fictional residents at every step, and a visit happening today.

Residents, streets and phone numbers are invented (Ofcom's drama numbers, 01632 960xxx).
"""

from datetime import date, datetime, time, timedelta

from ..auth.models import User
from ..events.vocabulary import EventStatus
from ..extensions import db
from ..referrals.audit import AuditRecord
from ..referrals.models import Referral, ReferralStep, ResidentDetails
from ..referrals.rules import normal_postcode, postcode_district
from ..referrals.vocabulary import AuditAction, ConsentMethod, ContactMethod, ReferralSource
from ..referrals.vocabulary import ReferralStatus as S
from ..reports.rules import financial_year, financial_year_of
from ..signups.models import Signup
from ..signups.vocabulary import SignupStatus
from ..timezones import local_to_utc, to_local, utcnow
from ..visits.models import VisitOutcome, VisitSafetyCheck
from ..visits.services import new_home_visit

# name, address, postcode, vulnerabilities, note, source, referrer email (None: coordinator),
# days ago referred, steps after "referred" as (status, days ago), visit as
# (days from now, volunteer indexes, measures or None, all left safely)
RESIDENTS = [
    (
        "Dorothy Fairweather",
        "4 Larkspur Mews, Shenfield",
        "CM15 8ZZ",
        "lives_alone,aged_over_75,doorstep_crime",
        "Was pressured into paying for roof work she did not need.",
        ReferralSource.ESSEX_POLICE,
        "pc.khan@police.example",
        2,
        [],
        None,
    ),
    (
        "Harold Pemberton",
        "Flat 2, Cedarwood Court, Brentwood",
        "CM14 9ZZ",
        "lives_alone,fire_risk,mobility",
        "Uses a walking frame: slow to the door. Smokes indoors.",
        ReferralSource.ECFRS,
        "tom.reid@ecfrs.example",
        9,
        [(S.CONTACTED, 6), (S.VISIT_SCHEDULED, 5)],
        (0, (0, 4), None, False),
    ),
    (
        "Irene Walsh",
        "27 Foxglove Road, Hutton",
        "CM13 9ZZ",
        "aged_over_75,scam_target,hearing",
        "Hard of hearing: knock loudly and wait.",
        ReferralSource.SELF,
        None,
        30,
        [(S.CONTACTED, 28), (S.VISIT_SCHEDULED, 27), (S.VISITED, 21)],
        (-21, (6, 18), "door_chain,door_viewer,co_detector,call_blocker", True),
    ),
    (
        "Albert Nunes",
        "9 Mill Pond Lane, Ingatestone",
        "CM4 9ZZ",
        "recent_victim,lives_alone",
        "Shed broken into twice.",
        ReferralSource.ESSEX_POLICE,
        "pcso.bright@police.example",
        430,
        [(S.UNABLE_TO_CONTACT, 400)],
        None,
    ),
    (
        "Margery Cole",
        "15 Heron Way, Pilgrims Hatch",
        "CM15 9ZZ",
        "memory,lives_alone",
        "Daughter holds lasting power of attorney.",
        ReferralSource.VICTIM_SUPPORT,
        "pc.khan@police.example",
        60,
        [(S.CONTACTED, 55), (S.DECLINED, 55)],
        None,
    ),
    (
        "Stanley Rourke",
        "3 Bramble Court, Warley",
        "CM14 9ZZ",
        "aged_over_75,sight",
        "Registered blind; has a guide dog.",
        ReferralSource.COUNCIL,
        None,
        4,
        [(S.CONTACTED, 3), (S.VISIT_SCHEDULED, 3)],
        (-(1 / 24) * 2.5, (11, 13), None, False),
    ),
]


def load_home_visits(today: date, coordinator: User, volunteers: list[User]) -> None:
    now = utcnow()
    by_email = {u.email: u for u in db.session.execute(db.select(User)).scalars()}
    for index, row in enumerate(RESIDENTS):
        referrer, visit = row[6], row[9]
        referrer_user = by_email.get(referrer, coordinator) if referrer else coordinator
        referral = _referral(index, row, referrer_user, coordinator, now)
        if visit is not None:
            _visit(referral, visit, volunteers, coordinator, now)
    db.session.commit()


def _referral(index, row, referrer: User, coordinator: User, now: datetime) -> Referral:
    name, address, postcode, flags, note, source, _, ago, steps, _ = row
    referred_at = now - timedelta(days=ago)
    referral = Referral(
        source=source,
        referred_by_id=referrer.id,
        partner_reference=f"CAD {4400 + index}/24" if source == ReferralSource.ESSEX_POLICE else "",
        postcode_district=postcode_district(postcode),
        status=S.REFERRED,
        created_at=referred_at,
    )
    referral.details = ResidentDetails(
        name=name,
        address=address,
        postcode=normal_postcode(postcode),
        phone=f"01632 960{100 + index:03d}",
        vulnerability_codes=flags,
        vulnerability_note=note,
        contact_method=ContactMethod.PHONE_RELATIVE if "memory" in flags else ContactMethod.PHONE,
        contact_note="",
        consent_given_by="The resident"
        if "memory" not in flags
        else "Her daughter, who holds power of attorney",
        consent_method=ConsentMethod.VERBAL,
        consent_given_on=referred_at.date(),
        consent_recorded_by_id=referrer.id,
    )
    referral.steps.append(ReferralStep(status=S.REFERRED, at=referred_at, by_id=referrer.id))
    for status, days_ago in steps:
        referral.status = status
        referral.steps.append(
            ReferralStep(status=status, at=now - timedelta(days=days_ago), by_id=coordinator.id)
        )
        if status.is_final:
            referral.closed_at = now - timedelta(days=days_ago)
    db.session.add(referral)
    db.session.flush()
    db.session.add(
        AuditRecord(
            at=referred_at, actor_id=referrer.id, referral_id=referral.id, action=AuditAction.CREATE
        )
    )
    return referral


def _visit(
    referral: Referral, visit, volunteers: list[User], coordinator: User, now: datetime
) -> None:
    days, pair, measures, left_safely = visit
    if days == 0:  # today, a little later, so the visiting volunteers can see the address now
        starts_at = (now + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    elif isinstance(days, int):
        # Past demo visits stay in this financial year: last year's figures are demo.history's.
        this_year = financial_year(financial_year_of(to_local(now).date())).first
        day = max(to_local(now).date() + timedelta(days=days), this_year)
        starts_at = local_to_utc(day, time(10, 30))
    else:  # a visit that has just ended, whose second volunteer forgot to check out
        started = now + timedelta(days=days)
        starts_at = started.replace(minute=started.minute // 5 * 5, second=0, microsecond=0)
    ends_at = starts_at + timedelta(hours=1)
    finished = ends_at < now
    event = new_home_visit(
        starts_at,
        ends_at,
        area=referral.postcode_district,
        referral_id=referral.id,
        status=EventStatus.COMPLETED if measures else EventStatus.CONFIRMED,
    )
    db.session.add(event)
    db.session.flush()
    for index in pair:
        person = volunteers[index]
        db.session.add(
            Signup(
                event=event, user=person, status=SignupStatus.CONFIRMED, added_by_id=coordinator.id
            )
        )
        if finished:
            db.session.add(
                VisitSafetyCheck(
                    event_id=event.id,
                    user_id=person.id,
                    arrived_at=starts_at,
                    left_at=ends_at if left_safely or index == pair[0] else None,
                )
            )
    if measures:
        db.session.add(
            VisitOutcome(
                event_id=event.id,
                measures=measures.split(","),
                advice_codes="doorstep,scams,home_security",
                onward_codes="ecfrs_home_fire_safety" if "co_detector" in measures else "",
                follow_up_needed=False,
                recorded_by_id=volunteers[pair[0]].id,
                recorded_at=ends_at,
            )
        )
