"""Issue 14's small fixes, each as a user would notice it."""

from datetime import timedelta

from conftest import login_as, post
from factories import make_coordinator, make_event, make_user

from csp_events.extensions import db
from csp_events.signups.kinds import SignupStatus
from csp_events.timezones import utcnow


def test_a_late_sign_up_is_warned_before_with_the_coordinators_details(client, app):
    coordinator = make_coordinator(name="Carol Coordinator", email="carol@example.org")
    coordinator.phone = "01277 312 500"
    db.session.commit()
    hours = app.config["WITHDRAWAL_CLOSES_HOURS"]
    event = make_event(starts_at=utcnow() + timedelta(hours=hours / 2))
    login_as(client, make_user())
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Once you sign up you cannot withdraw here" in page
    assert "carol@example.org" in page and "01277 312 500" in page
    assert event.signups == []  # warned before anything is done


def test_an_early_sign_up_has_no_late_warning(client):
    make_coordinator(email="carol@example.org")
    event = make_event()
    login_as(client, make_user())
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "cannot withdraw here" not in page and "carol@example.org" not in page
