"""The coordinator messages a session's people by email and text in one step, and sees who
received it; each person's choices hold; nothing is sent twice; home visits never."""

import json
import re

import pytest
from conftest import login_as, post
from factories import at, make_coordinator, make_event, make_user, next_weekday
from mailserver import body

from csp_events.auth.models import User
from csp_events.events.vocabulary import EventKind
from csp_events.extensions import db
from csp_events.messaging.enums import DeliveryStatus
from csp_events.messaging.models import MessageDelivery
from csp_events.messaging.services import follow_up_texts, send_pending
from csp_events.reminders.services import save_choices
from csp_events.signups.services import sign_up
from csp_events.timezones import utcnow

FORM = {"audience": "session", "part": "both", "channels": ["email", "sms"]}


@pytest.fixture
def saturday(client):
    """Saturday's session: Ann (mobile), Bob (landline only), Cat (texts turned off)."""
    coordinator = make_coordinator(name="Colin")
    event = make_event(title="Speedwatch Ongar Road", starts_at=at(next_weekday(5), 9))
    ann = make_user(name="Ann", email="ann@example.org", phone="07700 900123")
    bob = make_user(name="Bob", email="bob@example.org", phone="01277 312500")
    cat = make_user(name="Cat", email="cat@example.org", phone="+44 7700 900456")
    save_choices(cat, {"session_first", "messages_email"})
    for person in (ann, bob, cat):
        sign_up(event, person, by=person)
    make_user(name="Dee", email="dee@example.org", phone="07700900789")  # not on it
    login_as(client, coordinator)
    return event


def _send(client, event, **extra):
    fields = FORM | {"event_id": event.id, "subject": "Meet at 08:45", "body": "Hi-vis on."}
    return post(client, "/messages/new", fields | {"send": "Send message"} | extra)


def test_one_step_texts_and_emails_everyone_on_the_session(client, saturday, smtp, notify):
    checked = post(
        client,
        "/messages/new",
        FORM
        | {"event_id": saturday.id, "subject": "Meet at 08:45", "body": "Hi-vis on."}
        | {"preview": "Check who it goes to"},
    )
    assert "It goes to 3 people" in checked.text and "Dee" not in checked.text
    assert db.session.scalar(db.select(db.func.count(MessageDelivery.id))) == 0
    sent = _send(
        client,
        saturday,
    )
    assert sent.status_code == 302
    assert {m["To"] for m in smtp.messages} == {
        "ann@example.org",
        "bob@example.org",
        "cat@example.org",
    }
    assert "Hi-vis on." in body(smtp.to("ann@example.org")[0])
    assert sorted(t["phone_number"] for t in notify.texts.values()) == ["+447700900123"]
    follow_up_texts()
    log = client.get(sent.location).text
    assert log.count("Delivered") == 1 and log.count("Sent") >= 3
    assert send_pending(utcnow()).sent == 0  # never twice


def test_a_subject_typed_with_a_line_break_is_sent_on_one_line(client, saturday, smtp, notify):
    sent = _send(client, saturday, subject="Meet at 08:45\r\nBcc: someone@example.org")
    assert sent.status_code == 302
    assert len(smtp.messages) == 3
    assert all(
        m["Subject"].strip().startswith("Meet at 08:45 Bcc: someone@example.org")
        for m in smtp.messages
    )
    assert all(m["Bcc"] is None for m in smtp.messages)


def test_a_message_says_who_sent_it_and_a_reply_goes_to_them(client, saturday, smtp, notify):
    sent = _send(client, saturday, body="Hello all,\nHi-vis on.\nThanks")
    (message,) = smtp.to("ann@example.org")
    colin = db.session.scalars(db.select(User).where(User.name == "Colin")).one()
    assert message["Reply-To"] == colin.email
    text = body(message)
    assert text.startswith("A message from Colin") and "Hello Ann" not in text
    page = client.get(sent.location).get_data(as_text=True)
    # Shown with its line breaks (the summary list indents what it is given).
    assert re.search(r'"app-preserve-lines">Hello all,\n\s*Hi-vis on\.\n\s*Thanks</span>', page)


def test_a_number_notify_refuses_is_logged_as_not_delivered(client, saturday, notify, smtp):
    ann = next(s.user for s in saturday.signups if s.user.name == "Ann")
    ann.phone = "07700 900999"
    db.session.commit()
    _send(client, saturday)
    text = db.session.scalar(db.select(MessageDelivery).where(MessageDelivery.channel == "sms"))
    assert text.status == DeliveryStatus.FAILED and "400" in text.error
    assert notify.texts == {}


def test_notify_status_callbacks_need_the_token(client, saturday, notify, smtp):
    _send(client, saturday)
    text = db.session.scalar(db.select(MessageDelivery).where(MessageDelivery.channel == "sms"))
    receipt = {"id": text.provider_id, "status": "permanent-failure"}
    wrong = client.post("/notify/callback", json=receipt, headers={"Authorization": "Bearer no"})
    assert wrong.status_code == 401
    right = client.post(
        "/notify/callback",
        json=receipt,
        headers={"Authorization": "Bearer callback-secret-for-tests"},
    )
    assert right.status_code == 204
    db.session.refresh(text)
    assert text.status == DeliveryStatus.FAILED


def test_without_notify_texts_go_to_the_outbox(client, saturday, smtp, app):
    from pathlib import Path

    _send(client, saturday)
    folder = Path(app.config["MAIL_FILE_PATH"]) / "sms"
    (written,) = [json.loads(p.read_text()) for p in folder.glob("*.json")]
    assert written["to"] == "+447700900123" and "Hi-vis on." in written["text"]
    for p in folder.glob("*.json"):
        p.unlink()


def test_a_text_too_long_is_refused_next_to_the_message(client, saturday):
    page = _send(client, saturday, body="x" * 700)
    assert page.status_code == 200 and "at most 612 characters" in page.text
    assert db.session.scalar(db.select(db.func.count(MessageDelivery.id))) == 0


def test_a_home_visit_cannot_be_messaged(client, saturday):
    visit = make_event(kind=EventKind.HOME_VISIT)
    page = _send(client, visit)
    assert "Home visits are arranged with the pair directly" in page.text


def test_volunteers_can_be_chosen_by_qualification_or_ward(client, smtp):
    from factories import speedwatch_volunteer

    login_as(client, make_coordinator())
    speedwatch_volunteer(name="Sam", email="sam@example.org")
    make_user(name="Una", email="una@example.org", ward="Shenfield")
    fields = {"channels": ["email"], "subject": "Training", "body": "New dates."}
    post(
        client,
        "/messages/new",
        fields | {"audience": "qualification", "qualification": "speedwatch", "send": "Send"},
    )
    post(
        client, "/messages/new", fields | {"audience": "ward", "ward": "Shenfield", "send": "Send"}
    )
    assert [m["To"] for m in smtp.messages] == ["sam@example.org", "una@example.org"]
