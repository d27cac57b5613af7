"""Signing in and out, invitations, passwords and deactivation, with CSRF on."""

import re
from datetime import timedelta

import pytest
from conftest import login_as, post
from factories import PASSWORD, make_coordinator, make_user

from csp_events.auth.models import InviteToken
from csp_events.auth.roles import Role
from csp_events.extensions import db
from csp_events.places.models import Venue
from csp_events.timezones import utcnow


def sign_in(client, email, password=PASSWORD, next_url=None):
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return post(client, url, {"email": email, "password": password})


def test_signing_in_takes_a_volunteer_to_the_sessions_needing_people(client):
    make_user(email="ann@example.org")
    response = sign_in(client, "ANN@example.org ")
    assert response.status_code == 302
    assert client.get(response.location).status_code == 302  # "/" sends each role to its home
    assert client.get("/sessions").status_code == 200


def test_unknown_email_and_wrong_password_get_the_same_answer(client):
    make_user(email="ann@example.org")
    wrong = sign_in(client, "ann@example.org", "not the password")
    unknown = sign_in(client, "nobody@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 200

    def message(response):
        return re.search(
            r'govuk-error-message">.*?</p>', response.get_data(as_text=True), re.DOTALL
        )[0]

    assert message(wrong) == message(unknown)
    assert "Enter a correct email address and password" in wrong.get_data(as_text=True)


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [("/calendar", "/calendar"), ("https://evil.example/", "/"), ("//evil.example/x", "/")],
)
def test_after_sign_in_only_relative_next_addresses_are_followed(client, next_url, expected):
    make_user(email="ann@example.org")
    response = sign_in(client, "ann@example.org", next_url=next_url)
    assert response.location.removeprefix("http://csp.test") == expected


def test_signing_out_stops_a_copied_session_cookie_working(app, client):
    make_user(email="ann@example.org")
    sign_in(client, "ann@example.org")
    stolen = client.get_cookie("session", domain="csp.test").value
    post(client, "/logout")
    thief = app.test_client()
    thief.set_cookie("session", stolen, domain="csp.test")
    assert thief.get("/my-sessions").status_code == 302


def test_sign_out_needs_a_post_with_a_csrf_token(client):
    login_as(client, make_user())
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/my-sessions").status_code == 200


def test_changing_password_signs_out_other_devices(app, client):
    person = make_user(email="ann@example.org")
    sign_in(client, "ann@example.org")
    other_device = app.test_client()
    other_device.set_cookie(
        "session", client.get_cookie("session", domain="csp.test").value, domain="csp.test"
    )
    response = post(
        client,
        "/account/password",
        {"current_password": PASSWORD, "password": "a much better passphrase"},
    )
    assert response.status_code == 302
    assert client.get("/my-sessions").status_code == 200
    assert other_device.get("/my-sessions").status_code == 302
    db.session.refresh(person)
    assert person.password_hash.startswith("scrypt:131072:8:1$")


def test_changing_password_refuses_a_wrong_current_password_or_a_common_new_one(client):
    login_as(client, make_user())
    wrong = post(
        client, "/account/password", {"current_password": "nope", "password": "a fine passphrase"}
    )
    assert "current password is not right" in wrong.get_data(as_text=True)
    common = post(
        client, "/account/password", {"current_password": PASSWORD, "password": "password1"}
    )
    assert "too common" in common.get_data(as_text=True)


def test_a_deactivated_person_is_signed_out_and_cannot_sign_in(app, client):
    coordinator, ann = make_coordinator(), make_user(email="ann@example.org")
    volunteer_client = app.test_client()
    sign_in(volunteer_client, "ann@example.org")
    login_as(client, coordinator)
    post(client, f"/people/{ann.id}/active", {"active": "no"})
    assert volunteer_client.get("/my-sessions").status_code == 302
    assert sign_in(volunteer_client, "ann@example.org").status_code == 200  # refused, form again


def invite(client, **fields):
    data = {"name": "Jean Morrison", "email": "jean@example.org", "role": "volunteer", **fields}
    page = post(client, "/people/invite", data).get_data(as_text=True)
    match = re.search(r"http://csp\.test(/invite/[A-Za-z0-9_-]+)", page)
    return match[1] if match else None


def test_an_invited_volunteer_sets_a_password_once_with_the_link(app, client):
    login_as(client, make_coordinator())
    link = invite(client)
    assert link
    newcomer = app.test_client()
    assert "Jean Morrison" in newcomer.get(link).get_data(as_text=True)
    response = post(newcomer, link, {"password": "lighthouse walrus tea"})
    assert response.status_code == 302
    assert newcomer.get("/my-sessions").status_code == 200
    assert app.test_client().get(link).status_code == 404  # single use


def test_an_expired_invitation_link_is_refused(client):
    login_as(client, make_coordinator())
    link = invite(client)
    db.session.execute(db.update(InviteToken).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert client.get(link).status_code == 404


def test_inviting_an_existing_email_is_refused_next_to_the_field(client):
    make_user(email="jean@example.org")
    login_as(client, make_coordinator())
    page = post(
        client, "/people/invite", {"name": "J", "email": "jean@example.org", "role": "volunteer"}
    )
    assert "already has an account" in page.get_data(as_text=True)


def test_a_form_without_the_csrf_token_is_refused_and_changes_nothing(client):
    login_as(client, make_coordinator())
    response = client.post(
        "/venues/new", data={"name": "X", "kind": "library", "address": "A", "postcode": "CM14 4BP"}
    )
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(Venue.id))) == 0


@pytest.mark.parametrize(
    ("role", "away_listed"),
    [(Role.VOLUNTEER, True), (Role.PARTNER, False), (Role.COORDINATOR, False)],
)
def test_account_leads_to_emails_password_feed_and_a_volunteers_dates_away(
    client, role, away_listed
):
    login_as(client, make_user(role))
    home = client.get("/dashboard" if role == Role.COORDINATOR else "/calendar").get_data(
        as_text=True
    )
    assert 'href="/account"' in home  # the header's "Account"

    page = client.get("/account").get_data(as_text=True)

    for link in ('href="/account/emails"', 'href="/account/password"', 'href="/feeds"'):
        assert link in page
    assert ('href="/account/away"' in page) is away_listed


def test_the_sign_in_page_shows_residents_the_way_to_whats_on(client):
    assert 'href="/whats-on"' in client.get("/login").get_data(as_text=True)
