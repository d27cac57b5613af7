"""Deny by default: one table says who may reach every endpoint, and each role is tried."""

import pytest
from conftest import login_as, post
from factories import (
    at,
    far_future,
    make_coordinator,
    make_event,
    make_item,
    make_site,
    make_user,
    make_venue,
    next_weekday,
)
from plans import surgery_plan
from visit_factories import make_referral

from csp_events.access import PUBLIC, SIGNED_IN
from csp_events.auth.roles import Role
from csp_events.equipment.services import book
from csp_events.events.models import Event
from csp_events.extensions import db
from csp_events.people.vocabulary import QualificationKind
from csp_events.series.services import create_series
from csp_events.signups.services import sign_up
from csp_events.signups.vocabulary import SignupStatus

C, V, P = Role.COORDINATOR, Role.VOLUNTEER, Role.PARTNER
COORDINATOR = frozenset({C})
VOLUNTEER = frozenset({V})
BOOKERS = frozenset({C, V})
REFERRERS = frozenset({C, P})
READERS = frozenset({C, P})

# Refused with 404, not 403: that a resident's referral exists is itself not to be told.
ABSENT_TO_OTHERS = {"referrals.export_referral", "referrals.export_referral_json"}

# Every endpoint of the app, and who it is for. A new endpoint must be added here.
ACCESS = {
    "dashboard.home": PUBLIC,
    "auth.login": PUBLIC,
    "auth.accept_invite": PUBLIC,
    "auth.logout": SIGNED_IN,
    "auth.account": SIGNED_IN,
    "auth.change_password": SIGNED_IN,
    "events.calendar": SIGNED_IN,
    "events.event_detail": SIGNED_IN,
    "series.series_detail": SIGNED_IN,
    "dashboard.index": COORDINATOR,
    "events.new_event": COORDINATOR,
    "events.edit_event": COORDINATOR,
    "events.copy_event": COORDINATOR,
    "events.set_status": COORDINATOR,
    "series.new_series": COORDINATOR,
    "series.edit_series": COORDINATOR,
    "series.confirm_cancel_series": COORDINATOR,
    "series.cancel_series": COORDINATOR,
    "signups.add_to_roster": COORDINATOR,
    "signups.remove_from_roster": COORDINATOR,
    "cover.ask": COORDINATOR,
    "cover.offer": PUBLIC,  # the signed offer in the address is the key
    "messaging.new_message": COORDINATOR,
    "messaging.list_messages": COORDINATOR,
    "messaging.message_detail": COORDINATOR,
    "messaging.notify_callback": PUBLIC,  # Notify's bearer token is the key
    "people.list_people": COORDINATOR,
    "people.invite": COORDINATOR,
    "people.person_detail": COORDINATOR,
    "people.record_qualification": COORDINATOR,
    "people.confirm_remove_qualification": COORDINATOR,
    "people.remove_qualification": COORDINATOR,
    "people.set_active": COORDINATOR,
    "people.reissue_invite": COORDINATOR,
    "places.list_venues": COORDINATOR,
    "places.edit_venue": COORDINATOR,
    "places.list_sites": COORDINATOR,
    "places.edit_site": COORDINATOR,
    "signups.needing_people": VOLUNTEER,
    "signups.my_sessions": VOLUNTEER,
    "signups.sign_up": VOLUNTEER,
    "signups.withdraw": VOLUNTEER,
    "signups.series_sign_up": VOLUNTEER,
    "signups.confirm_withdraw": VOLUNTEER,
    "events.confirm_cancel": COORDINATOR,
    "feeds.confirm_new_personal": SIGNED_IN,
    "feeds.confirm_new_equipment": COORDINATOR,
    "signups.series_withdraw": VOLUNTEER,
    "equipment.list_items": SIGNED_IN,
    "equipment.item_detail": SIGNED_IN,
    "equipment.edit_item": COORDINATOR,
    "equipment.book": BOOKERS,
    "equipment.cancel_booking": BOOKERS,
    "equipment.check_out": COORDINATOR,
    "equipment.check_in": COORDINATOR,
    "feeds.public_feed": PUBLIC,
    "feeds.personal_feed": PUBLIC,  # the secret token in the address is the key
    "feeds.equipment_feed": PUBLIC,  # likewise, ?token=
    "feeds.event_ics": SIGNED_IN,
    "feeds.subscribe": SIGNED_IN,
    "feeds.reset_personal": SIGNED_IN,
    "feeds.reset_equipment": COORDINATOR,
    # Home visits: object-level rules on top (tests/web/test_resident_access.py).
    "referrals.list_referrals": REFERRERS,
    "referrals.new_referral": REFERRERS,
    "referrals.referral_detail": SIGNED_IN,  # then 404 unless the resident-access rules allow
    "referrals.correct_referral": COORDINATOR,
    "referrals.referral_status": COORDINATOR,
    "referrals.export_referral": COORDINATOR,
    "referrals.export_referral_json": COORDINATOR,
    "referrals.erase_referral": COORDINATOR,
    "referrals.audit_trail": COORDINATOR,
    "referrals.arrange_visit": COORDINATOR,
    "visits.mark_arrived": VOLUNTEER,
    "visits.mark_left": VOLUNTEER,
    "visits.confirm_safe": COORDINATOR,
    "visits.visit_outcome": BOOKERS,  # then 404 unless on the visit (or the coordinator)
    "engagement.record_outcome": BOOKERS,  # and only a volunteer on the roster: see below
    "stock.list_items": COORDINATOR,
    "stock.item_detail": COORDINATOR,
    "stock.edit_item": COORDINATOR,
    "stock.record_delivery": COORDINATOR,
    "stock.record_count": COORDINATOR,
    "reports.report": READERS,
    "reports.export_csv": READERS,
    "reports.partner_returns": READERS,
    "reports.speedwatch_log_csv": READERS,
    "reports.quarterly_return_csv": READERS,
    "rotas.rota": SIGNED_IN,  # phone numbers only for the coordinator: tests/web/test_rotas.py
    "rotas.rota_csv": SIGNED_IN,
    "rotas.session_roster_csv": COORDINATOR,
    "imports.upload": COORDINATOR,
    "imports.dry_run": COORDINATOR,
    "imports.run_import": COORDINATOR,
    "auth.forgot_password": PUBLIC,
    "auth.reset_password": PUBLIC,  # the secret token in the address is the key
    "people.issue_password_reset": COORDINATOR,
    "mail.outbox_list": COORDINATOR,
    "mail.outbox_message": COORDINATOR,
    "reminders.preferences": SIGNED_IN,
    "reminders.stop": PUBLIC,  # signed link in every reminder; works signed out
    "reminders.stop_confirmed": PUBLIC,
    "ops.healthz": PUBLIC,
    "availability.absences": VOLUNTEER,
    "availability.delete_absence": VOLUNTEER,
    # What's on, the embed and the open API: public events only (tests/web/test_whats_on*.py).
    "whatson.listing": PUBLIC,
    "whatson.event_page": PUBLIC,
    "whatson.event_ics": PUBLIC,
    "whatson.embed": PUBLIC,
    "whatson.snippet": COORDINATOR,
    "api.list_events": PUBLIC,
    "api.get_event": PUBLIC,
    "api.list_venues": PUBLIC,
    "api.openapi_document": PUBLIC,
}


def endpoints(app):
    return sorted({rule.endpoint for rule in app.url_map.iter_rules()} - {"static"})


def test_every_endpoint_is_in_the_access_table(app):
    missing = set(endpoints(app)) - set(ACCESS)
    stale = set(ACCESS) - set(endpoints(app))
    assert not missing, f"add these endpoints to ACCESS: {sorted(missing)}"
    assert not stale, f"these endpoints no longer exist: {sorted(stale)}"


def test_every_view_declares_the_access_the_table_expects(app):
    for endpoint in endpoints(app):
        declared = getattr(app.view_functions[endpoint], "access", None)
        assert declared == ACCESS[endpoint], endpoint


@pytest.fixture
def world(app_context):
    venue = make_venue()
    volunteer = make_user(
        name="Vera Volunteer", qualifications={QualificationKind.DBS: far_future()}
    )
    event = make_event(venue=venue)
    sign_up(event, volunteer, by=volunteer)
    series = create_series(surgery_plan(venue))
    people = {C: make_coordinator(), V: volunteer, P: make_user(Role.PARTNER)}
    gun = make_item(kind="body_worn_camera")
    booking = book(gun, volunteer, at(next_weekday(2), 10), at(next_weekday(2), 12))
    referral = make_referral()
    args = {
        "event_id": event.id,
        "series_id": series.id,
        "person_id": volunteer.id,
        "qualification_id": volunteer.qualifications[0].id,
        "venue_id": venue.id,
        "site_id": make_site().id,
        "token": "not-a-real-token",
        "item_id": gun.id,
        "booking_id": booking.id,
        "referral_id": referral.id,
        "user_id": volunteer.id,
        "batch_id": 1,
        "message_id": 1,
        "name": "20260101T000000-000000-notamessage.eml",
        "absence_id": 1,
    }
    return people, args


def url_and_method(app, endpoint, args):
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    url = rule.build({k: args[k] for k in rule.arguments}, append_unknown=False)[1]
    return url, "GET" if "GET" in rule.methods else "POST"


@pytest.mark.parametrize("role", [None, C, V, P])
def test_each_role_gets_exactly_what_the_table_allows(app, client, world, role):
    people, args = world
    for endpoint, access in ACCESS.items():
        url, method = url_and_method(app, endpoint, args)
        if role is not None:
            login_as(client, people[role])
        response = client.get(url) if method == "GET" else post(client, url)
        went_to_login = response.status_code == 302 and "/login" in response.location
        if access == PUBLIC:
            front_door = endpoint == "dashboard.home"  # sends visitors on to sign in
            assert response.status_code != 403 and (front_door or not went_to_login), endpoint
        elif role is None:
            assert went_to_login, f"{endpoint} let an anonymous visitor in"
        elif access == SIGNED_IN or role in access:
            signed_out_on_purpose = endpoint == "auth.logout"
            assert response.status_code != 403, (endpoint, role)
            assert signed_out_on_purpose or not went_to_login, (endpoint, role)
        else:
            refused_with = 404 if endpoint in ABSENT_TO_OTHERS else 403
            assert response.status_code == refused_with, (endpoint, role, response.status_code)
        assert response.status_code < 500, endpoint


def test_a_volunteer_cannot_open_or_change_another_volunteers_record(client, world):
    people, args = world
    other = make_user(name="Other Volunteer")
    login_as(client, other)
    assert client.get(f"/people/{args['person_id']}").status_code == 403
    remove = f"/events/{args['event_id']}/roster/{args['person_id']}/remove"
    assert post(client, remove).status_code == 403
    assert post(client, f"/people/{args['person_id']}/active", {"active": "no"}).status_code == 403
    # Only a volunteer on the roster records an event's outcome.
    assert client.get(f"/events/{args['event_id']}/outcome").status_code in (302, 403)
    assert post(client, f"/events/{args['event_id']}/outcome").status_code in (302, 403)
    # Withdrawing only ever acts on the signed-in volunteer's own place.
    post(client, f"/events/{args['event_id']}/withdraw")
    event = db.session.get(Event, args["event_id"])
    assert {s.user_id: s.status for s in event.signups} == {people[V].id: SignupStatus.CONFIRMED}
