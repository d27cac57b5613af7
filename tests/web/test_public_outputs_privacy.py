"""Privacy by construction: nothing private reaches the public listing, embed, API or feed."""

from dataclasses import replace
from datetime import timedelta

import pytest
from factories import at, days_ahead, make_event, make_venue
from plans import surgery_plan
from visit_factories import SENTINELS, make_referral, make_visit

from csp_events.events.vocabulary import EventKind
from csp_events.extensions import db
from csp_events.series.services import create_series

PRIVATE_TITLE = "Sentinel private briefing"
SECRET_NOTE = "Sentinel-notes: gate code 4417"


def _secrets() -> list[str]:
    return [*SENTINELS.values(), PRIVATE_TITLE, SECRET_NOTE, "Private sentinel series"]


@pytest.fixture
def world(app_context):
    """Public events beside everything the public must never see."""
    venue = make_venue("Shenfield Library")
    venue.notes = SECRET_NOTE  # the coordinator's own notes about the venue
    venue.ward = "Shenfield"
    listed = make_event(title="Library pop-up", venue=venue)
    listed.notes = SECRET_NOTE
    private = make_event(title=PRIVATE_TITLE, venue=venue, is_public=False)
    referral = make_referral()
    visit = make_visit(referral, starts_at=at(days_ahead(2), 10))
    visit.title = SENTINELS["name"]  # a title typed by a person may name the resident
    visit.notes = SENTINELS["address"]
    typed_visit = make_event(
        kind=EventKind.HOME_VISIT, title=f"Visit {SENTINELS['name']}", is_public=True
    )
    plan = surgery_plan(venue)
    hidden_series = create_series(
        replace(
            plan, details=replace(plan.details, is_public=False, title="Private sentinel series")
        )
    )
    db.session.commit()
    private_ids = [private.id, visit.id, typed_visit.id, *(e.id for e in hidden_series.events)]
    return listed, private_ids, venue


def _public_paths(listed, private_ids, venue) -> list[str]:
    paths = [
        "/whats-on",
        "/whats-on?when=this_week",
        "/whats-on?when=this_month",
        "/whats-on?kind=home_visit",
        f"/whats-on?venue={venue.id}&ward=Shenfield",
        "/embed",
        "/embed?kind=home_visit",
        "/api/v1/events",
        "/api/v1/events?kind=home_visit",
        "/api/v1/events?per_page=100",
        "/api/v1/venues",
        "/feeds/public.ics",
        f"/feeds/public.ics?venue={venue.id}",
        f"/whats-on/{listed.id}",
        f"/whats-on/{listed.id}.ics",
        f"/api/v1/events/{listed.id}",
    ]
    for event_id in private_ids:
        paths += [
            f"/whats-on/{event_id}",
            f"/whats-on/{event_id}.ics",
            f"/api/v1/events/{event_id}",
        ]
    return paths


def test_no_resident_detail_or_private_event_appears_in_any_public_output(client, world):
    listed, private_ids, venue = world
    for path in _public_paths(listed, private_ids, venue):
        response = client.get(path)
        body = response.get_data(as_text=True)
        assert [s for s in _secrets() if s in body] == [], path
        assert response.status_code in (200, 400, 404), path


def test_private_events_and_home_visits_are_simply_not_found(client, world):
    listed, private_ids, _venue = world
    assert client.get(f"/whats-on/{listed.id}").status_code == 200
    for event_id in private_ids:
        assert client.get(f"/whats-on/{event_id}").status_code == 404
        assert client.get(f"/whats-on/{event_id}.ics").status_code == 404
        assert client.get(f"/api/v1/events/{event_id}").status_code == 404


def test_the_api_lists_only_the_public_event(client, world):
    listed, _private_ids, _venue = world
    listing = client.get("/api/v1/events?per_page=100").get_json()
    assert [e["id"] for e in listing["data"]] == [listed.id]
    assert listing["total"] == 1


def test_an_event_made_private_leaves_every_public_output(client, world):
    listed, _private_ids, _venue = world
    listed.is_public = False
    db.session.commit()
    assert client.get("/api/v1/events").get_json()["total"] == 0
    assert "Library pop-up" not in client.get("/embed").get_data(as_text=True)
    assert client.get(f"/whats-on/{listed.id}").status_code == 404


def test_a_past_public_event_is_not_listed(client, world):
    listed, _private_ids, _venue = world
    listed.starts_at -= timedelta(days=30)
    listed.ends_at -= timedelta(days=30)
    db.session.commit()
    assert client.get(f"/whats-on/{listed.id}").status_code == 404
