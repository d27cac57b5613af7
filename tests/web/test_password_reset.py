"""Forgotten passwords: a single-use, expiring link by email; the same answer for any address."""

import re
from datetime import timedelta

from conftest import login_as, post
from factories import PASSWORD, make_coordinator, make_user
from mailserver import body, free_port, mail_through

from csp_events.auth.models import PasswordResetToken
from csp_events.extensions import db
from csp_events.timezones import utcnow

NEW_PASSWORD = "a new long passphrase"
LINK = re.compile(r"http://csp\.test/password/reset/[A-Za-z0-9_-]+")


def same_page(text: str, email: str) -> str:
    """The page with what differs on every response anyway (the CSRF token) taken out."""
    return re.sub(r'name="csrf_token"[^>]*>', "", text).replace(email, "X")


def ask(client, email, address="203.0.113.7"):
    return post(client, "/password/forgot", {"email": email}, environ_base={"REMOTE_ADDR": address})


def link_in(message) -> str:
    return LINK.search(body(message))[0].removeprefix("http://csp.test")


def test_the_sign_in_page_offers_a_reset(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/password/forgot"' in page


def test_a_known_address_gets_a_link_that_sets_a_new_password_and_signs_in(client, smtp):
    make_user(email="ann@example.org", name="Ann Smith")
    answer = ask(client, "Ann@Example.org ")
    assert answer.status_code == 200 and "Check your email" in answer.get_data(as_text=True)
    [message] = smtp.to("ann@example.org")
    assert message["Subject"].startswith("Choose a new password")
    assert "expires in 1 hour" in body(message)
    assert "Choose which emails you get: http://csp.test/account/emails" in body(message)
    reset = post(client, link_in(message), {"password": NEW_PASSWORD})
    assert reset.status_code == 302
    assert client.get("/password/reset/x").status_code == 404
    client.post("/logout")
    assert (
        post(client, "/login", {"email": "ann@example.org", "password": NEW_PASSWORD}).status_code
        == 302
    )


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, smtp):
    make_user(email="ann@example.org")
    known = ask(client, "ann@example.org").get_data(as_text=True)
    unknown = ask(client, "nobody@example.org").get_data(as_text=True)
    assert same_page(known, "ann@example.org") == same_page(unknown, "nobody@example.org")
    assert [m["To"] for m in smtp.messages] == ["ann@example.org"]


def test_a_deactivated_account_gets_no_link(client, smtp):
    make_user(email="ann@example.org", active=False)
    assert ask(client, "ann@example.org").status_code == 200
    assert smtp.messages == []


def test_a_link_works_once(client, smtp):
    make_user(email="ann@example.org")
    ask(client, "ann@example.org")
    link = link_in(smtp.messages[0])
    assert post(client, link, {"password": NEW_PASSWORD}).status_code == 302
    again = post(client, link, {"password": "another long passphrase"})
    assert again.status_code == 404 and "no longer works" in again.get_data(as_text=True)


def test_a_newer_link_replaces_an_older_one(client, smtp):
    make_user(email="ann@example.org")
    ask(client, "ann@example.org")
    ask(client, "ann@example.org")
    first, second = (link_in(m) for m in smtp.messages)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_an_expired_link_is_refused(client, smtp):
    make_user(email="ann@example.org")
    ask(client, "ann@example.org")
    db.session.execute(
        db.update(PasswordResetToken).values(expires_at=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()
    assert client.get(link_in(smtp.messages[0])).status_code == 404


def test_only_the_hash_of_the_link_is_stored(client, smtp):
    make_user(email="ann@example.org")
    ask(client, "ann@example.org")
    secret = link_in(smtp.messages[0]).rsplit("/", 1)[1]
    stored = db.session.execute(db.select(PasswordResetToken.token_hash)).scalar_one()
    assert secret not in stored and len(stored) == 64


def test_a_weak_new_password_is_refused_next_to_the_field(client, smtp):
    make_user(email="ann@example.org")
    ask(client, "ann@example.org")
    page = post(client, link_in(smtp.messages[0]), {"password": "password"})
    assert page.status_code == 200 and "too common" in page.get_data(as_text=True)


def test_resetting_signs_out_every_other_device(app, client, smtp):
    ann = make_user(email="ann@example.org")
    other_device = app.test_client()
    login_as(other_device, ann)
    assert other_device.get("/my-sessions").status_code == 200
    ask(client, "ann@example.org")
    post(client, link_in(smtp.messages[0]), {"password": NEW_PASSWORD})
    assert other_device.get("/my-sessions").status_code == 302


def test_one_account_gets_at_most_three_links_an_hour(client, smtp):
    make_user(email="ann@example.org")
    for n in range(5):
        assert ask(client, "ann@example.org", address=f"203.0.113.{n}").status_code == 200
    assert len(smtp.messages) == 3


def test_one_address_asking_too_often_is_paused(client, smtp):
    for n in range(10):
        assert ask(client, f"guess{n}@example.org").status_code == 200
    assert ask(client, "ann@example.org").status_code == 429
    assert ask(client, "ann@example.org", address="198.51.100.9").status_code == 200


def test_a_mail_server_that_is_down_changes_nothing_the_person_sees(app, client):
    make_user(email="ann@example.org")
    with mail_through(app, free_port()):
        answer = ask(client, "ann@example.org")
    assert answer.status_code == 200 and "Check your email" in answer.get_data(as_text=True)


def test_a_successful_reset_clears_the_accounts_sign_in_pause(client, smtp):
    make_user(email="ann@example.org")
    for _ in range(5):
        post(client, "/login", {"email": "ann@example.org", "password": "wrong password"})
    assert (
        post(client, "/login", {"email": "ann@example.org", "password": PASSWORD}).status_code
        == 429
    )
    ask(client, "ann@example.org")
    post(client, link_in(smtp.messages[0]), {"password": NEW_PASSWORD})
    client.post("/logout")
    assert (
        post(client, "/login", {"email": "ann@example.org", "password": NEW_PASSWORD}).status_code
        == 302
    )


def test_the_coordinator_sends_a_reset_link_and_sees_it(client, as_user, smtp):
    ann = make_user(email="ann@example.org", name="Ann Smith")
    as_user(make_coordinator())
    page = post(client, f"/people/{ann.id}/password-reset").get_data(as_text=True)
    assert "Password reset link for Ann Smith" in page
    assert "We have emailed this link" in page and "expires in 1 day" in page
    assert '<span class="app-wrap-anywhere">ann@example.org</span>' in page
    assert "&lt;" not in page, "markup shown as text"
    [message] = smtp.to("ann@example.org")
    assert link_in(message) in page


def test_the_coordinator_is_told_when_the_email_could_not_be_sent(app, client, as_user):
    ann = make_user(email="ann@example.org")
    as_user(make_coordinator())
    with mail_through(app, free_port()):
        page = post(client, f"/people/{ann.id}/password-reset").get_data(as_text=True)
    assert "The email could not be sent" in page
    assert "/password/reset/" in page


def test_invitations_go_by_email_and_stay_on_screen(client, as_user, smtp):
    as_user(make_coordinator())
    page = post(
        client,
        "/people/invite",
        {"name": "Bob Jones", "email": "bob@example.org", "role": "volunteer"},
    ).get_data(as_text=True)
    [message] = smtp.to("bob@example.org")
    assert message["Subject"].startswith("Your invitation")
    link = re.search(r"http://csp\.test/invite/[A-Za-z0-9_-]+", body(message))[0]
    assert link in page and "We have emailed this link" in page


def test_without_a_mail_server_mail_is_kept_in_the_outbox(client, as_user, outbox):
    as_user(make_coordinator())
    page = post(
        client,
        "/people/invite",
        {"name": "Bob Jones", "email": "bob@example.org", "role": "volunteer"},
    ).get_data(as_text=True)
    assert 'it is in the <a class="govuk-link" href="/outbox">outbox</a>' in page
    [kept] = list(outbox.glob("*.eml"))
    assert b"To: bob@example.org" in kept.read_bytes()


def test_a_forged_host_header_cannot_point_a_reset_link_elsewhere(app):
    from csp_events.auth.views import invite_url, reset_url

    app.config.update(PUBLIC_BASE_URL="https://events.example", PUBLIC_BASE_URL_FIXED=True)
    try:
        with app.test_request_context("/password/forgot", base_url="http://evil.example"):
            links = [reset_url("cspr_abc"), invite_url("abc")]
    finally:
        app.config.update(PUBLIC_BASE_URL="http://127.0.0.1:5000", PUBLIC_BASE_URL_FIXED=False)
    assert links == [
        "https://events.example/password/reset/cspr_abc",
        "https://events.example/invite/abc",
    ]
