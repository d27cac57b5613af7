"""Every page, for every role: who may see it, and that it renders."""

import pytest
from conftest import login_as
from factories import far_future, make_coordinator, make_event, make_user, make_venue
from plans import surgery_plan

from csp_events.auth.roles import Role
from csp_events.people.vocabulary import QualificationKind
from csp_events.series.services import create_series

C, V, P = Role.COORDINATOR, Role.VOLUNTEER, Role.PARTNER
EVERYONE = (C, V, P)

# path template, roles allowed (others get 403; anonymous is sent to sign in)
PAGES = [
    ("/dashboard", (C,)),
    ("/calendar", EVERYONE),
    ("/calendar?view=agenda", EVERYONE),
    ("/calendar?month=2027-03&kind=surgery&kind=speedwatch&venue={venue}", EVERYONE),
    ("/calendar?month=garbage&venue=abc", EVERYONE),  # an unknown kind is a 400: test_small_fixes
    ("/events/{event}", EVERYONE),
    ("/events/{speedwatch}", EVERYONE),
    ("/events/new", (C,)),
    ("/events/new?kind=speedwatch", (C,)),
    ("/events/{event}/edit", (C,)),
    ("/events/{event}/roster", (C,)),
    ("/series/new", (C,)),
    ("/series/{series}", EVERYONE),
    ("/series/{series}/edit", (C,)),
    ("/sessions", (V,)),
    ("/my-sessions", (V,)),
    ("/people", (C,)),
    ("/people/invite", (C,)),
    ("/people/{volunteer}", (C,)),
    ("/people/{volunteer}/qualifications", (C,)),
    ("/people/{volunteer}/qualifications?kind=dbs", (C,)),
    ("/venues", (C,)),
    ("/venues/new", (C,)),
    ("/venues/{venue}", (C,)),
    ("/sites", (C,)),
    ("/sites/new", (C,)),
    ("/sites/{site}", (C,)),
    ("/account/password", EVERYONE),
]


@pytest.fixture
def world(app_context):
    venue = make_venue()
    volunteer = make_user(Role.VOLUNTEER, qualifications={QualificationKind.DBS: far_future()})
    event = make_event(venue=venue)
    speedwatch = make_event(kind="speedwatch")
    series = create_series(surgery_plan(venue))
    people = {C: make_coordinator(), V: volunteer, P: make_user(Role.PARTNER)}
    ids = {
        "venue": venue.id,
        "event": event.id,
        "speedwatch": speedwatch.id,
        "series": series.id,
        "volunteer": volunteer.id,
        "site": speedwatch.site_id,
    }
    return people, ids


@pytest.mark.parametrize(("path", "allowed"), PAGES)
@pytest.mark.parametrize("role", [None, C, V, P])
def test_each_page_is_shown_only_to_the_roles_it_is_for(client, world, path, allowed, role):
    people, ids = world
    if role is not None:
        login_as(client, people[role])
    response = client.get(path.format(**ids))
    if role is None:
        assert response.status_code == 302 and "/login" in response.location
    elif role in allowed:
        assert response.status_code == 200, response.get_data(as_text=True)[:2000]
        assert response.headers["Cache-Control"] == "no-store"
    else:
        assert response.status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/events/999999",
        "/series/999999",
        "/people/999999",
        "/venues/999999",
        "/sites/999999",
        "/events/999999/edit",
        "/no-such-page",
    ],
)
def test_unknown_ids_give_404(client, path):
    login_as(client, make_coordinator())
    assert client.get(path).status_code == 404


def test_the_sign_in_page_is_public_and_the_home_page_sends_visitors_to_it(client):
    assert client.get("/login").status_code == 200
    assert "/login" in client.get("/").location


def test_error_pages_carry_the_security_headers(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
