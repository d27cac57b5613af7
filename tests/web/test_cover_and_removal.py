"""Removing someone late asks why; a short session finds cover from the first to say yes."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from conftest import login_as, post
from factories import make_coordinator, make_event, make_user
from mailserver import body

from csp_events.cover.models import CoverRequest
from csp_events.extensions import db
from csp_events.signups.services import sign_up
from csp_events.signups.vocabulary import SignupStatus
from csp_events.timezones import utcnow


@pytest.fixture
def short_session(client):
    """Tomorrow's roadshow (inside the 24-hour cut-off) needs 2 and has 2; three others free."""
    coordinator = make_coordinator()
    event = make_event(title="Roadshow", starts_at=utcnow() + timedelta(hours=20), min_volunteers=2)
    ann, bob = make_user(name="Ann", email="ann@example.org"), make_user(name="Bob")
    for person in (ann, bob):
        sign_up(event, person, by=person)
    spares = [make_user(name=n, email=f"{n.lower()}@example.org") for n in ("Cat", "Dan", "Eve")]
    busy = make_user(name="Fay", email="fay@example.org")
    clash = make_event(title="Other", starts_at=event.starts_at)
    sign_up(clash, busy, by=busy)
    login_as(client, coordinator)
    return event, ann, spares


def test_removing_someone_after_the_cut_off_needs_a_reason_shown_on_the_roster(
    client, short_session, smtp
):
    event, ann, _spares = short_session
    page = client.get(f"/events/{event.id}/roster/{ann.id}/remove").get_data(as_text=True)
    assert "say why" in page
    refused = post(client, f"/events/{event.id}/roster/{ann.id}/remove", {"reason": " "})
    assert refused.status_code == 200 and "Say why you are removing them" in refused.text
    db.session.refresh(event)
    assert {s.status for s in event.signups if s.user_id == ann.id} == {SignupStatus.CONFIRMED}
    post(client, f"/events/{event.id}/roster/{ann.id}/remove", {"reason": "Unwell today"})
    roster = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Taken off by the coordinator" in roster and "Unwell today" in roster
    (message,) = smtp.to("ann@example.org")
    assert "Unwell today" in body(message)


def test_asking_for_cover_fills_the_place_with_the_first_to_say_yes(client, short_session, smtp):
    event, ann, spares = short_session
    post(client, f"/events/{event.id}/roster/{ann.id}/remove", {"reason": "Unwell today"})
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Ask for cover" in page
    asked_page = post(client, f"/events/{event.id}/cover", follow_redirects=True)
    assert "Asked 3 volunteers: Cat, Dan, Eve" in asked_page.text
    asked = {p.email for p in spares}
    links = {}
    for address in asked:
        (message,) = smtp.to(address)
        links[address] = re.search(r"http://\S+/cover/\S+", body(message))[0]
    assert smtp.to("fay@example.org") == []  # busy at that time
    client.get("/logout")
    first, second = (urlsplit(links[a]).path for a in ("cat@example.org", "dan@example.org"))
    assert "I can do it" in client.get(first).text  # looking changes nothing
    assert post(client, first).status_code == 200
    late = post(client, second)
    assert "The place has been taken" in late.text
    db.session.refresh(event)
    confirmed = {s.user.name for s in event.signups if s.status == SignupStatus.CONFIRMED}
    assert confirmed == {"Bob", "Cat"}
    request = db.session.scalar(db.select(CoverRequest))
    assert request.filled_by.name == "Cat"


def test_an_altered_cover_link_is_not_found(client):
    assert client.get("/cover/not-a-real-token").status_code == 404


def test_asking_again_asks_only_people_not_asked_yet_and_one_place_is_filled_once(
    client, short_session, smtp
):
    event, ann, spares = short_session
    post(client, f"/events/{event.id}/roster/{ann.id}/remove", {"reason": "Unwell today"})
    post(client, f"/events/{event.id}/cover")
    newcomer = make_user(name="Gus", email="gus@example.org")
    again = post(client, f"/events/{event.id}/cover", follow_redirects=True)
    assert "Asked 1 volunteers: Gus" in again.text
    assert all(len(smtp.to(p.email)) == 1 for p in spares)
    links = [
        re.search(r"http://\S+/cover/\S+", body(smtp.to(address)[0]))[0]
        for address in ("cat@example.org", "gus@example.org")
    ]
    client.get("/logout")
    assert "You have the place" in post(client, urlsplit(links[0]).path).text
    assert "The place has been taken" in post(client, urlsplit(links[1]).path).text
    db.session.refresh(event)
    confirmed = {s.user.name for s in event.signups if s.status == SignupStatus.CONFIRMED}
    assert confirmed == {"Bob", "Cat"} and newcomer.name not in confirmed


def test_someone_away_that_day_is_not_asked_to_cover(client, short_session, smtp):
    from csp_events.availability.services import record_absence
    from csp_events.availability.vocabulary import AbsenceKind
    from csp_events.timezones import to_local

    event, ann, spares = short_session
    day = to_local(event.starts_at).date()
    record_absence(
        spares[0],
        kind=AbsenceKind.DATES,
        first_day=day,
        last_day=day,
        weekday=None,
        note="",
        today=to_local(utcnow()).date(),
    )
    post(client, f"/events/{event.id}/roster/{ann.id}/remove", {"reason": "Unwell today"})
    asked = post(client, f"/events/{event.id}/cover", follow_redirects=True)
    assert "Asked 2 volunteers: Dan, Eve" in asked.text
    assert smtp.to("cat@example.org") == []
