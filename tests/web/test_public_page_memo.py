"""An event's public page is given again from memory to visitors without a cookie, never once
it would differ: after a change here or elsewhere, once the event is over, with other
settings, at another address, or to somebody signed in."""

import functools
from datetime import timedelta

import pytest
from conftest import count_view_calls, login_as
from factories import make_coordinator, make_event
from flask import make_response, template_rendered

from csp_events.changes import recording
from csp_events.changes.services import memo as version_memo
from csp_events.events.models import Event
from csp_events.extensions import db
from csp_events.timezones import utcnow
from csp_events.whatson import page_memo
from csp_events.whatson import views as whatson_views


@pytest.fixture
def renders(app):
    """Templates rendered since the fixture began, by name."""
    seen: list[str] = []

    def note(_sender, template, **_extra):
        seen.append(template.name)

    template_rendered.connect(note, app)
    yield seen
    template_rendered.disconnect(note, app)


@pytest.fixture
def views(app, monkeypatch):
    """How many times the event page's view ran."""
    return count_view_calls(app, monkeypatch, "whatson.event_page")


def _public_event(app, title="Roadshow at the library", **kwargs) -> tuple[int, str]:
    with app.app_context():
        made = make_event(title=title, is_public=True, **kwargs)
        return made.id, f"/whats-on/{made.id}"


def _retitle(app, event_id: int, title: str) -> None:
    with app.app_context():
        db.session.get(Event, event_id).title = title
        db.session.commit()


def test_an_unchanged_page_is_given_again_without_the_app_the_database_or_rendering(
    app, client, renders, statements, views
):
    _event_id, page = _public_event(app)
    first = client.get(page)
    renders.clear()
    statements.clear()

    again = client.get(page)

    assert again.status_code == 200
    assert again.data == first.data
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert views["event_page"] == 1
    assert renders == [] and statements == []


def test_a_change_made_here_is_on_the_very_next_page(app, client):
    event_id, page = _public_event(app)
    client.get(page)

    _retitle(app, event_id, "Roadshow moved to the station")

    assert b"Roadshow moved to the station" in client.get(page).data


def test_a_change_made_by_another_worker_shows_once_the_version_is_read_again(
    app, client, monkeypatch
):
    event_id, page = _public_event(app)
    client.get(page)
    # Another worker's commit does not reach this worker's memo: only its TTL does.
    monkeypatch.setattr(recording, "_after_commit", [])
    _retitle(app, event_id, "Roadshow moved to the station")
    within_ttl = client.get(page)
    monkeypatch.setattr(version_memo, "_read_at", version_memo._read_at - version_memo.ttl)

    after_ttl = client.get(page)

    assert b"Roadshow moved to the station" not in within_ttl.data
    assert b"Roadshow moved to the station" in after_ttl.data


def test_a_cancelled_event_is_shown_cancelled_at_once(app, client):
    event_id, page = _public_event(app)
    client.get(page)

    with app.app_context():
        db.session.get(Event, event_id).status = "cancelled"
        db.session.commit()

    assert b"This event has been cancelled." in client.get(page).data


def test_the_page_is_gone_the_moment_the_event_ends(app, client, monkeypatch):
    starts = utcnow() - timedelta(hours=1)
    _event_id, page = _public_event(app, starts_at=starts, hours=2)
    assert client.get(page).status_code == 200
    ended = starts + timedelta(hours=2)
    monkeypatch.setattr(whatson_views, "utcnow", lambda: ended)
    monkeypatch.setattr(page_memo, "utcnow", lambda: ended)

    assert client.get(page).status_code == 404


def test_a_changed_setting_is_never_given_from_memory(app, client, monkeypatch):
    _event_id, page = _public_event(app)
    client.get(page)
    monkeypatch.setitem(app.config, "PARTNERSHIP_NAME", "Safer Somewhere Else")

    assert b"Safer Somewhere Else" in client.get(page).data


@pytest.mark.parametrize("other", ["https://csp.test", "http://events.example.org"])
def test_each_scheme_and_host_gets_its_own_addresses(app, client, monkeypatch, other):
    monkeypatch.setitem(app.config, "SERVER_NAME", None)  # addresses from the request's host
    _event_id, page = _public_event(app)
    client.get(page, base_url="http://csp.test")

    answer = client.get(page, base_url=other)

    assert f'rel="canonical" href="{other}/whats-on/'.encode() in answer.data


@pytest.mark.parametrize(("accept", "gzipped"), [("gzip", True), ("gzip;q=0", False), ("", False)])
def test_each_encoding_is_remembered_apart(app, client, accept, gzipped):
    _event_id, page = _public_event(app)
    client.get(page, headers={"Accept-Encoding": "gzip"})
    client.get(page)

    answer = client.get(page, headers={"Accept-Encoding": accept})

    assert (answer.headers.get("Content-Encoding") == "gzip") is gzipped


def test_somebody_signed_in_gets_their_own_page_and_nobody_else_gets_it(app, client):
    _event_id, page = _public_event(app)
    signed_in = app.test_client()
    login_as(signed_in, make_coordinator())
    client.get(page)

    theirs = signed_in.get(page)
    anonymous = client.get(page)

    assert b"Sign out" in theirs.data
    assert b"Sign out" not in anonymous.data


def test_a_missing_event_is_not_remembered(app, client, views):
    client.get("/whats-on/999")
    client.get("/whats-on/999")

    assert views["event_page"] == 2


@pytest.mark.parametrize("method", ["HEAD", "POST"])
def test_other_methods_go_to_the_app(app, client, views, method):
    _event_id, page = _public_event(app)
    client.get(page)

    client.open(page, method=method)

    assert views["event_page"] == 1 + (method == "HEAD")


def test_an_address_with_a_query_string_is_made_afresh_each_time(app, client, views):
    """A tracking tag on a shared link would otherwise keep a page of its own per value."""
    _event_id, page = _public_event(app)
    client.get(page + "?utm_source=council")

    client.get(page + "?utm_source=council")

    assert views["event_page"] == 2


def test_a_request_carrying_credentials_is_made_afresh_each_time(app, client, views):
    _event_id, page = _public_event(app)
    client.get(page, headers={"Authorization": "Bearer someone"})

    client.get(page, headers={"Authorization": "Bearer someone"})

    assert views["event_page"] == 2


def test_an_answer_setting_a_cookie_is_never_given_to_anyone_else(app, client, monkeypatch):
    _event_id, page = _public_event(app)
    real = app.view_functions["whatson.event_page"]

    @functools.wraps(real)
    def setting_a_cookie(**kwargs):
        response = make_response(real(**kwargs))
        response.set_cookie("seen", "someone")
        return response

    monkeypatch.setitem(app.view_functions, "whatson.event_page", setting_a_cookie)
    assert "Set-Cookie" in client.get(page).headers
    monkeypatch.setitem(app.view_functions, "whatson.event_page", real)
    other = app.test_client()

    assert "Set-Cookie" not in other.get(page).headers


def test_the_app_mounted_under_a_prefix_keeps_its_own_pages(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SERVER_NAME", None)
    _event_id, page = _public_event(app)
    client.get(page, base_url="http://csp.test")

    mounted = client.get(page, base_url="http://csp.test/events-app")

    assert b'rel="canonical" href="http://csp.test/events-app/whats-on/' in mounted.data
