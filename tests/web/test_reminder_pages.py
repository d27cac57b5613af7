"""Choosing reminders, stopping one kind from the email, reading the outbox."""

import re
from datetime import timedelta

from click.testing import Result
from conftest import post
from factories import make_coordinator, make_event, make_user

from csp_events.auth.roles import Role
from csp_events.reminders.services import choices
from csp_events.reminders.tokens import stop_token
from csp_events.timezones import utcnow


def test_a_volunteer_sees_their_reminders_with_the_defaults(client, as_user):
    ann = make_user()
    page = as_user(ann).get("/account/emails").get_data(as_text=True)
    assert "Before each session" in page and "48 hours before" in page
    assert "Sessions short of volunteers" not in page
    assert 'value="session_first" checked' in page
    assert 'value="session_second" checked' not in page


def test_choices_are_saved(client, as_user):
    ann = make_user()
    as_user(ann)
    answer = post(client, "/account/emails", {"kinds": ["session_second", "promoted"]})
    assert answer.status_code == 302
    assert choices(ann) == {
        "session_first": False,
        "session_second": True,
        "promoted": True,
        "return_overdue": False,
        "session_changed": False,
        "roster_changed": False,
        "cover_request": False,
    }


def test_a_kind_not_offered_is_refused_next_to_the_field(client, as_user):
    ann = make_user()
    as_user(ann)
    page = post(client, "/account/emails", {"kinds": ["understaffed"]})
    assert page.status_code == 200 and "Choose from the reminders listed" in page.get_data(
        as_text=True
    )
    assert choices(ann)["session_first"] is True


def test_the_coordinator_chooses_the_coordinators_reminders(client, as_user):
    page = as_user(make_coordinator()).get("/account/emails").get_data(as_text=True)
    assert "Sessions short of volunteers" in page and "Speed gun calibration" in page


def test_a_partner_chooses_only_whether_to_hear_of_changes_to_their_events(client, as_user):
    page = as_user(make_user(Role.PARTNER)).get("/account/emails").get_data(as_text=True)
    assert "Changes to your sessions" in page
    assert "Before each session" not in page and "Sessions short of volunteers" not in page


def test_the_stop_link_works_signed_out_and_asks_first(client):
    ann = make_user()
    token = stop_token(ann.id, "session_first")
    page = client.get(f"/emails/stop/{token}")
    assert page.status_code == 200 and "Stop these emails?" in page.get_data(as_text=True)
    assert choices(ann)["session_first"] is True  # looking changes nothing (link scanners)
    done = post(client, f"/emails/stop/{token}")
    assert done.status_code == 200 and "Emails stopped" in done.get_data(as_text=True)
    assert choices(ann)["session_first"] is False


def test_mail_clients_one_click_unsubscribe_needs_no_form_token(client):
    ann = make_user()
    answer = client.post(
        f"/emails/stop/{stop_token(ann.id, 'promoted')}",
        data={"List-Unsubscribe": "One-Click"},
    )
    assert answer.status_code == 200
    assert choices(ann)["promoted"] is False


def test_an_altered_stop_link_is_refused(client):
    ann = make_user()
    token = stop_token(ann.id, "session_first")
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(f"/emails/stop/{forged}").status_code == 404
    assert client.post(f"/emails/stop/{forged}").status_code == 404
    assert client.get("/emails/stop/not-a-token").status_code == 404


def test_the_outbox_lists_and_shows_what_was_sent(app, client, as_user, outbox):
    ann = make_user(name="Ann Smith")
    from csp_events.signups.services import sign_up

    sign_up(make_event(title="Bike marking", starts_at=utcnow() + timedelta(hours=30)), ann, by=ann)
    result: Result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    as_user(make_coordinator())
    listing = client.get("/outbox").get_data(as_text=True)
    assert "Reminder: Bike marking" in listing
    name = re.search(r'href="/outbox/([^"]+\.eml)"', listing)[1]
    shown = client.get(f"/outbox/{name}").get_data(as_text=True)
    assert "Hello Ann Smith" in shown and "BEGIN:VCALENDAR" in shown


def test_the_outbox_opens_only_messages_it_wrote(client, as_user, outbox):
    as_user(make_coordinator())
    (outbox / "secret.txt").parent.mkdir(parents=True, exist_ok=True)
    (outbox / "secret.txt").write_text("not mail")
    for name in ("secret.txt", "..%2Fsecret_key", "20260101T000000-000000-abcdefgh.eml"):
        assert client.get(f"/outbox/{name}").status_code == 404
