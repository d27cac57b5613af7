"""Home visits through the pages: referring, arranging a pair, lone working, outcome, purge."""

from datetime import timedelta

import pytest
from conftest import login_as, post
from factories import at, days_ahead, make_coordinator, make_user
from visit_factories import SENTINELS, home_visit_volunteer, make_referral, make_visit

from csp_events.auth.roles import Role
from csp_events.events.models import Event
from csp_events.events.vocabulary import EventKind, EventStatus
from csp_events.extensions import db
from csp_events.people.vocabulary import QualificationKind
from csp_events.referrals.audit import AuditRecord
from csp_events.referrals.models import Referral, ResidentDetails
from csp_events.referrals.vocabulary import AuditAction, ReferralStatus
from csp_events.timezones import to_local, utcnow
from csp_events.visits.models import VisitOutcome, VisitSafetyCheck
from csp_events.visits.services import measures_fitted
from csp_events.visits.vocabulary import Measure


def referral_form(**overrides) -> dict:
    today = to_local(utcnow()).date()
    form = {
        "source": "essex_police",
        "partner_reference": "CAD 4471",
        "name": SENTINELS["name"],
        "address": SENTINELS["address"],
        "postcode": "cm158qz",
        "phone": SENTINELS["phone"],
        "vulnerabilities": ["lives_alone", "doorstep_crime"],
        "vulnerability_note": SENTINELS["vulnerability_note"],
        "contact_method": "phone",
        "consent_method": "verbal",
        "consent_given_by": "The resident",
        "consent_given_on": [str(today.day), str(today.month), str(today.year)],
        "consent_confirmed": "y",
    }
    form.update(overrides)
    return form


def visit_form(day, first, second, start="10:00", end="11:00") -> dict:
    return {
        "start_date": [str(day.day), str(day.month), str(day.year)],
        "start_time": start,
        "end_time": end,
        "first_volunteer": str(first.id),
        "second_volunteer": str(second.id),
    }


def only_referral() -> Referral:
    return db.session.execute(db.select(Referral)).scalar_one()


def test_the_whole_journey_from_police_referral_to_purge(client, app, app_context):
    police = make_user(Role.PARTNER, name="PC Imran Khan")
    coordinator = make_coordinator()
    margaret, anne = home_visit_volunteer(name="Margaret"), home_visit_volunteer(name="Anne")
    third = home_visit_volunteer(name="Third Volunteer")

    login_as(client, police)
    response = post(client, "/referrals/new", referral_form())
    assert response.status_code == 302
    referral = only_referral()
    assert referral.postcode_district == "CM15" and referral.details.postcode == "CM15 8QZ"

    login_as(client, coordinator)
    post(client, f"/referrals/{referral.id}/status", {"status": "contacted"})
    day = days_ahead(2)
    response = post(client, f"/referrals/{referral.id}/visits/new", visit_form(day, margaret, anne))
    assert response.status_code == 302
    visit = db.session.execute(
        db.select(Event).where(Event.referral_id == referral.id)
    ).scalar_one()
    assert (visit.title, visit.area, visit.is_public) == ("Home visit", "CM15", False)
    assert only_referral().status == ReferralStatus.VISIT_SCHEDULED

    # The day comes: the visit is starting.
    visit.starts_at, visit.ends_at = (
        utcnow() - timedelta(minutes=5),
        utcnow() + timedelta(minutes=55),
    )
    db.session.commit()
    login_as(client, margaret)
    event_page = client.get(f"/events/{visit.id}").get_data(as_text=True)
    assert f"/referrals/{referral.id}" in event_page and "I have arrived" in event_page
    details = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert SENTINELS["address"] in details and "01277 990417" in details
    post(client, f"/visits/{visit.id}/arrived")
    assert "I have left safely" in client.get(f"/events/{visit.id}").get_data(as_text=True)
    post(client, f"/visits/{visit.id}/left")
    check = db.session.execute(db.select(VisitSafetyCheck)).scalar_one()
    assert check.arrived_at and check.left_at and check.user_id == margaret.id
    post(client, f"/visits/{visit.id}/outcome", {"measures": ["door_chain", "co_detector"]})
    assert only_referral().status == ReferralStatus.VISITED

    login_as(client, third)
    assert client.get(f"/referrals/{referral.id}").status_code == 404

    login_as(client, coordinator)
    report = client.get("/reports").get_data(as_text=True)
    assert "Door chain" in report and "Carbon-monoxide detector" in report
    audit_page = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert audit_page.count("Viewed resident details") >= 2  # Margaret's look and this one
    post(client, f"/referrals/{referral.id}/status", {"status": "closed"})
    closed = only_referral()
    closed.closed_at = utcnow() - timedelta(days=366)
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["purge-resident-data"])
    assert "1 closed referral" in result.output, result.output
    assert db.session.execute(db.select(ResidentDetails)).first() is None
    assert only_referral().details_removed_at is not None
    assert only_referral().partner_reference == "", "a police log number leads back to her"
    month = (utcnow() - timedelta(days=30), utcnow() + timedelta(days=30))
    assert measures_fitted(*month) == {Measure.DOOR_CHAIN: 1, Measure.CO_DETECTOR: 1}
    assert (
        db.session.execute(db.select(AuditRecord).where(AuditRecord.action == AuditAction.PURGE))
        .scalar_one()
        .actor_id
        is None
    )


def test_a_referral_without_consent_or_with_a_bad_postcode_is_refused_and_nothing_is_saved(
    client, app_context
):
    login_as(client, make_user(Role.PARTNER))
    bad = referral_form(postcode="CM15", consent_confirmed="")
    page = post(client, "/referrals/new", bad).get_data(as_text=True)
    assert "Enter a full UK postcode" in page and "Confirm that consent was given" in page
    assert db.session.execute(db.select(Referral)).first() is None


def test_a_partner_refers_only_for_a_partner_agency(client, app_context):
    login_as(client, make_user(Role.PARTNER))
    page = post(client, "/referrals/new", referral_form(source="coordinator")).get_data(
        as_text=True
    )
    assert "Not a valid choice" in page or "Choose" in page
    assert db.session.execute(db.select(Referral)).first() is None


@pytest.mark.parametrize(
    ("second_kind", "message"),
    [
        ("same", "Choose two different volunteers."),
        ("no_dbs", "Choose one of the options in the list"),  # untrained: not offered at all
        ("dbs_expires_before", "DBS check in date on"),
    ],
)
def test_a_visit_needs_two_different_qualified_volunteers(
    client, app_context, second_kind, message
):
    referral = make_referral()
    first = home_visit_volunteer(name="First")
    day = days_ahead(10)
    second = {
        "same": first,
        "no_dbs": make_user(name="Untrained"),
        "dbs_expires_before": make_user(
            name="Lapsing",
            qualifications={
                QualificationKind.HOME_VISIT: days_ahead(400),
                QualificationKind.DBS: days_ahead(9),
            },
        ),
    }[second_kind]
    login_as(client, make_coordinator())
    page = post(client, f"/referrals/{referral.id}/visits/new", visit_form(day, first, second))
    assert page.status_code == 200
    assert message in page.get_data(as_text=True).replace("&amp;", "&")
    assert (
        db.session.execute(db.select(Event).where(Event.kind == EventKind.HOME_VISIT)).first()
        is None
    )


def test_a_visit_cannot_be_arranged_before_the_resident_is_contacted(client, app_context):
    referral = make_referral(contacted=False)
    a, b = home_visit_volunteer(), home_visit_volunteer()
    login_as(client, make_coordinator())
    page = post(client, f"/referrals/{referral.id}/visits/new", visit_form(days_ahead(3), a, b))
    assert "contacted before arranging a visit" in page.get_data(as_text=True)


def test_volunteers_cannot_sign_themselves_up_for_a_home_visit(client, app_context):
    visit = make_visit(make_referral(), [home_visit_volunteer()])
    volunteer = home_visit_volunteer()
    login_as(client, volunteer)
    post(client, f"/events/{visit.id}/sign-up")
    assert {s.user_id for s in db.session.get(Event, visit.id).signups} == {
        s.user_id for s in visit.signups
    } - {volunteer.id}


def test_a_visit_not_checked_out_after_the_grace_period_shows_loudly_and_can_be_resolved(
    client, app_context
):
    pair = [home_visit_volunteer(name="Vi One"), home_visit_volunteer(name="Vi Two")]
    visit = make_visit(make_referral(), pair, starts_at=utcnow() - timedelta(hours=2), hours=1)
    coordinator = make_coordinator()
    login_as(client, coordinator)
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "1 home visit is overdue to check out" in dashboard and 'role="alert"' in dashboard
    assert "Vi One and Vi Two" in dashboard and SENTINELS["name"] not in dashboard
    for person in pair:
        post(client, f"/visits/{visit.id}/safe/{person.id}")
    assert "overdue to check out" not in client.get("/dashboard").get_data(as_text=True)


def test_a_visit_within_its_grace_period_is_not_yet_overdue(client, app_context):
    make_visit(make_referral(), starts_at=utcnow() - timedelta(hours=1, minutes=10), hours=1)
    login_as(client, make_coordinator())
    assert "overdue to check out" not in client.get("/dashboard").get_data(as_text=True)


def test_only_the_visiting_pair_can_check_in(client, app_context):
    visit = make_visit(make_referral(), starts_at=utcnow() - timedelta(minutes=5))
    outsider = home_visit_volunteer()
    login_as(client, outsider)
    post(client, f"/visits/{visit.id}/arrived")
    assert db.session.execute(db.select(VisitSafetyCheck)).first() is None
    assert client.get(f"/visits/{visit.id}/outcome").status_code == 404


def test_erasure_on_request_removes_details_keeps_statistics_and_is_audited(client, app_context):
    referral = make_referral()
    visit = make_visit(referral, starts_at=at(days_ahead(-3), 10))
    db.session.add(
        VisitOutcome(
            event_id=visit.id,
            measures=[Measure.DOOR_VIEWER],
            note="Sentinel-note about the son",
            recorded_by_id=visit.signups[0].user_id,
        )
    )
    upcoming = make_visit(referral, starts_at=at(days_ahead(4), 10))
    db.session.commit()
    login_as(client, make_coordinator())
    refused = post(client, f"/referrals/{referral.id}/erase", {})
    assert "Confirm you have checked" in refused.get_data(as_text=True)
    assert db.session.get(ResidentDetails, referral.id) is not None
    post(client, f"/referrals/{referral.id}/erase", {"confirmed": "y"})
    db.session.expire_all()
    assert db.session.get(ResidentDetails, referral.id) is None
    assert db.session.get(VisitOutcome, visit.id).note is None
    assert db.session.get(Event, upcoming.id).status == EventStatus.CANCELLED
    assert db.session.get(Referral, referral.id).status == ReferralStatus.CLOSED
    assert db.session.get(Referral, referral.id).partner_reference == ""
    span = (utcnow() - timedelta(days=10), utcnow())
    assert measures_fitted(*span) == {Measure.DOOR_VIEWER: 1}
    export = client.get(f"/referrals/{referral.id}/export.json").get_json()
    assert export["resident"] is None and export["details_removed"] == "erased on request"
    actions = (
        db.session.execute(
            db.select(AuditRecord.action).where(AuditRecord.referral_id == referral.id)
        )
        .scalars()
        .all()
    )
    assert AuditAction.ERASE in actions and AuditAction.EXPORT in actions


def test_the_subject_access_export_holds_everything_about_the_resident(client, app_context):
    referral = make_referral()
    make_visit(referral)
    login_as(client, make_coordinator())
    export = client.get(f"/referrals/{referral.id}/export.json")
    assert export.headers["Content-Disposition"].startswith("attachment")
    assert "no-store" in export.headers["Cache-Control"]
    data = export.get_json()
    assert data["resident"]["name"] == SENTINELS["name"]
    assert data["resident"]["vulnerabilities"] == [
        "Lives alone",
        "Targeted by rogue traders or doorstep crime",
    ]
    assert len(data["visits"]) == 1 and data["referral"]["partner_reference"] == "CAD 123"
    assert [r["what"] for r in data["who_has_seen_or_changed_the_details"]] == [
        "Recorded the referral"
    ]
    page = client.get(f"/referrals/{referral.id}/export").get_data(as_text=True)
    assert SENTINELS["address"] in page and "PC Referrer" in page
    assert "+00:00" not in page, "times are shown in local words, not ISO strings"


def test_correcting_details_records_which_fields_changed_but_not_their_values(client, app_context):
    referral = make_referral()
    login_as(client, make_coordinator())
    form = client.get(f"/referrals/{referral.id}/correct").get_data(as_text=True)
    assert SENTINELS["phone"] in form
    yesterday = days_ahead(-1)
    data = referral_form(
        phone="07700 900123",
        consent_given_on=[str(yesterday.day), str(yesterday.month), str(yesterday.year)],
    )
    data.pop("source")
    post(client, f"/referrals/{referral.id}/correct", data)
    db.session.expire_all()
    assert db.session.get(ResidentDetails, referral.id).phone == "07700 900123"
    edit = db.session.execute(
        db.select(AuditRecord).where(AuditRecord.action == AuditAction.EDIT)
    ).scalar_one()
    assert edit.detail == "phone" and "07700" not in edit.detail


def test_a_visit_arranged_from_a_referral_stays_a_home_visit_without_notes(client, app_context):
    from web.test_scheduling import event_form

    visit = make_visit(make_referral(), starts_at=at(days_ahead(6), 10))
    login_as(client, make_coordinator())
    as_pop_up = event_form(days_ahead(6), kind="pop_up", max_volunteers="3", title="Pop-up")
    page = post(client, f"/events/{visit.id}/edit", as_pop_up).get_data(as_text=True)
    assert "stays a home visit" in page
    noted = event_form(days_ahead(6), kind="home_visit", area="CM15", notes=SENTINELS["name"])
    post(client, f"/events/{visit.id}/edit", noted)
    db.session.expire_all()
    changed = db.session.get(Event, visit.id)
    assert changed.kind == EventKind.HOME_VISIT and changed.notes == ""
    assert (changed.min_volunteers, changed.max_volunteers) == (2, 2)


def test_closing_a_referral_cancels_its_visits_still_to_come_and_they_stay_cancelled(
    client, app_context
):
    referral = make_referral()
    past = make_visit(referral, starts_at=at(days_ahead(-2), 10))
    follow_up = make_visit(referral, starts_at=at(days_ahead(5), 10))
    referral.status = ReferralStatus.VISITED
    db.session.commit()
    login_as(client, make_coordinator())
    post(client, f"/referrals/{referral.id}/status", {"status": "closed"})
    db.session.expire_all()
    assert db.session.get(Event, follow_up.id).status == EventStatus.CANCELLED
    assert db.session.get(Event, past.id).status == EventStatus.CONFIRMED
    post(client, f"/events/{follow_up.id}/status", {"status": "planned"})
    db.session.expire_all()
    assert db.session.get(Event, follow_up.id).status == EventStatus.CANCELLED


def test_a_volunteer_cannot_leave_a_pair_by_withdrawing(client, app_context):
    pair = [home_visit_volunteer(), home_visit_volunteer()]
    visit = make_visit(make_referral(), pair, starts_at=at(days_ahead(6), 10))
    login_as(client, pair[0])
    post(client, f"/events/{visit.id}/withdraw")
    db.session.expire_all()
    assert all(s.status.value == "confirmed" for s in db.session.get(Event, visit.id).signups)


def test_home_visit_notes_are_never_kept_where_everyone_can_read_them(client, app_context):
    from csp_events.engagement.services import OutcomeFields, record_outcome

    pair = [home_visit_volunteer(), home_visit_volunteer()]
    visit = make_visit(make_referral(), pair, starts_at=utcnow() - timedelta(hours=2))
    outcome = record_outcome(
        visit, OutcomeFields(notes=SENTINELS["name"]), by=pair[0], now=utcnow()
    )
    assert outcome.notes == ""
    login_as(client, pair[0])
    post(client, f"/visits/{visit.id}/outcome", {"note": "Son is " + SENTINELS["name"]})
    form = client.get(f"/visits/{visit.id}/outcome").get_data(as_text=True)
    assert SENTINELS["name"] not in form, "a volunteer cannot read the note back"
    post(client, f"/visits/{visit.id}/outcome", {"measures": ["door_chain"]})
    db.session.expire_all()
    assert SENTINELS["name"] in db.session.get(VisitOutcome, visit.id).note


def test_nobody_can_be_added_to_a_home_visit_afterwards_as_having_come(client, app_context):
    from csp_events.engagement.services import (
        AttendanceEntry,
        OutcomeFields,
        OutcomeRefused,
        record_outcome,
    )

    coordinator, outsider = make_coordinator(), make_user(name="Not On The Visit")
    visit = make_visit(make_referral(), starts_at=utcnow() - timedelta(hours=2))
    login_as(client, coordinator)
    page = client.get(f"/events/{visit.id}/outcome").get_data(as_text=True)
    assert "Someone else who came" not in page
    with pytest.raises(OutcomeRefused):
        record_outcome(
            visit,
            OutcomeFields(walk_in=AttendanceEntry(outsider.id, True, 60)),
            by=coordinator,
            now=utcnow(),
        )


def test_nobody_records_a_visits_outcome_before_it_has_begun(client, app_context):
    referral = make_referral()
    visit = make_visit(referral, starts_at=utcnow() + timedelta(minutes=20))
    login_as(client, make_coordinator())

    early = client.get(f"/visits/{visit.id}/outcome", follow_redirects=True)
    assert "You can record the visit’s outcome once it has begun." in early.get_data(as_text=True)
    post(client, f"/visits/{visit.id}/outcome", {"measures": ["door_chain"]})
    db.session.expire_all()
    assert db.session.get(VisitOutcome, visit.id) is None
    assert db.session.get(Referral, referral.id).status == ReferralStatus.VISIT_SCHEDULED


def test_recording_a_visits_outcome_is_audited_as_that(client, app_context):
    referral = make_referral()
    visit = make_visit(referral, starts_at=utcnow() - timedelta(hours=1))
    login_as(client, make_coordinator())
    post(client, f"/visits/{visit.id}/outcome", {"measures": ["door_chain"]})
    actions = db.session.execute(
        db.select(AuditRecord.action).where(AuditRecord.referral_id == referral.id)
    ).scalars()
    assert AuditAction.OUTCOME in set(actions)
    assert "Recorded a visit’s outcome" in client.get(f"/referrals/{referral.id}").get_data(
        as_text=True
    )


def test_home_visits_are_not_offered_among_the_sessions_needing_people(client, app_context):
    visit = make_visit(make_referral(), starts_at=at(days_ahead(2), 10))
    login_as(client, make_user(name="Any Volunteer"))
    sessions = client.get("/sessions").get_data(as_text=True)
    assert f"/events/{visit.id}" not in sessions


def test_a_partners_reference_holding_the_residents_name_is_refused(client, app_context):
    login_as(client, make_user(Role.PARTNER, name="PC Imran Khan"))
    surname = SENTINELS["name"].split()[-1]
    page = post(client, "/referrals/new", referral_form(partner_reference=f"CAD 12 {surname}"))
    assert page.status_code == 200
    assert "Enter your own reference only" in page.get_data(as_text=True)
    assert db.session.execute(db.select(Referral)).first() is None


def test_leaving_safely_is_refused_before_the_visit_begins(client, app_context):
    volunteer = home_visit_volunteer()
    visit = make_visit(
        make_referral(),
        [volunteer, home_visit_volunteer()],
        starts_at=utcnow() + timedelta(minutes=30),
    )
    login_as(client, volunteer)
    post(client, f"/visits/{visit.id}/arrived")  # allowed from an hour before
    answer = post(client, f"/visits/{visit.id}/left", follow_redirects=True)
    assert "once the visit has begun" in answer.get_data(as_text=True)
    check = db.session.execute(db.select(VisitSafetyCheck)).scalar_one()
    assert check.arrived_at is not None and check.left_at is None


def test_the_coordinator_cannot_relabel_a_volunteers_own_check_out(client, app_context):
    volunteer = home_visit_volunteer()
    visit = make_visit(
        make_referral(),
        [volunteer, home_visit_volunteer()],
        starts_at=utcnow() - timedelta(minutes=30),
    )
    login_as(client, volunteer)
    post(client, f"/visits/{visit.id}/arrived")
    post(client, f"/visits/{visit.id}/left")
    own = db.session.execute(db.select(VisitSafetyCheck)).scalar_one()
    left_at = own.left_at
    login_as(client, make_coordinator())
    answer = post(client, f"/visits/{visit.id}/safe/{volunteer.id}", follow_redirects=True)
    assert "already recorded" in answer.get_data(as_text=True)
    db.session.expire_all()
    check = db.session.execute(db.select(VisitSafetyCheck)).scalar_one()
    assert check.confirmed_by_id is None and check.left_at == left_at
