"""An unchanged public feed is answered again from memory, never once it has changed: after a
change here or elsewhere, on a new day, or with different settings."""

from datetime import timedelta

import pytest
from conftest import count_view_calls
from factories import make_event, make_user

from csp_events.changes import recording
from csp_events.changes.services import memo as version_memo
from csp_events.extensions import db
from csp_events.feeds import services as feed_services
from csp_events.timezones import utcnow

FEED = "/feeds/public.ics"


@pytest.fixture
def views(app, monkeypatch):
    """How many times the public feed's view ran."""
    return count_view_calls(app, monkeypatch, "feeds.public_feed")


def _public_event(app, title="Roadshow at the library"):
    with app.app_context():
        made = make_event(title=title, is_public=True)
        db.session.commit()
        return made.id


def _retitle(app, event_id: int, title: str) -> None:
    from csp_events.events.models import Event

    with app.app_context():
        db.session.get(Event, event_id).title = title
        db.session.commit()


def test_an_unchanged_feed_is_answered_again_without_the_app_or_the_database(
    app, client, statements, views
):
    _public_event(app)
    first = client.get(FEED)
    statements.clear()

    again = client.get(FEED)

    assert again.status_code == 200
    assert again.data == first.data
    assert dict(again.headers) == dict(first.headers)
    assert statements == []
    assert views["public_feed"] == 1


def test_a_client_holding_the_version_is_answered_304_from_memory(app, client, views):
    _public_event(app)
    etag = client.get(FEED).headers["ETag"]
    client.get(FEED, headers={"If-None-Match": etag})

    again = client.get(FEED, headers={"If-None-Match": etag})

    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert views["public_feed"] == 2


def test_a_client_holding_an_older_version_gets_the_whole_feed_from_memory(app, client, views):
    _public_event(app)
    client.get(FEED)
    etag = client.get(FEED, headers={"If-None-Match": '"not-this-one"'}).headers["ETag"]

    again = client.get(FEED, headers={"If-None-Match": '"older"'})

    assert again.status_code == 200
    assert b"Roadshow at the library" in again.data
    assert again.headers["ETag"] == etag
    assert views["public_feed"] == 1


def test_a_change_made_here_is_in_the_very_next_answer(app, client):
    event_id = _public_event(app)
    etag = client.get(FEED).headers["ETag"]
    client.get(FEED)

    _retitle(app, event_id, "Roadshow moved to the station")
    fresh = client.get(FEED)
    conditional = client.get(FEED, headers={"If-None-Match": etag})

    assert b"Roadshow moved to the station" in fresh.data
    assert fresh.headers["ETag"] != etag
    assert conditional.status_code == 200


def test_a_change_made_by_another_worker_shows_once_the_version_is_read_again(
    app, client, monkeypatch
):
    event_id = _public_event(app)
    client.get(FEED)
    # Another worker's commit does not reach this worker's memo: only its TTL does.
    monkeypatch.setattr(recording, "_after_commit", [])
    _retitle(app, event_id, "Roadshow moved to the station")
    within_ttl = client.get(FEED)
    monkeypatch.setattr(version_memo, "_read_at", version_memo._read_at - version_memo.ttl)

    after_ttl = client.get(FEED)

    assert b"Roadshow moved to the station" not in within_ttl.data
    assert b"Roadshow moved to the station" in after_ttl.data


def test_the_next_day_is_built_again_not_replayed(app, client, monkeypatch, views):
    _public_event(app)
    client.get(FEED)
    tomorrow = utcnow() + timedelta(days=1)
    monkeypatch.setattr(feed_services, "utcnow", lambda: tomorrow)

    client.get(FEED)

    assert views["public_feed"] == 2


def test_a_changed_setting_is_never_answered_from_memory(app, client, monkeypatch):
    _public_event(app)
    client.get(FEED)
    monkeypatch.setitem(app.config, "PARTNERSHIP_NAME", "Safer Somewhere Else")

    answer = client.get(FEED)

    assert b"Safer Somewhere Else" in answer.data


@pytest.mark.parametrize(
    ("accept", "gzipped"),
    [("gzip", True), ("gzip;q=0", False), ("", False), ("br, gzip; q=0.5", True)],
)
def test_each_encoding_is_remembered_apart(app, client, accept, gzipped):
    _public_event(app)
    client.get(FEED, headers={"Accept-Encoding": "gzip"})
    client.get(FEED)

    answer = client.get(FEED, headers={"Accept-Encoding": accept})

    assert (answer.headers.get("Content-Encoding") == "gzip") is gzipped
    assert answer.headers["ETag"].endswith('-gzip"') is gzipped


def test_other_filters_are_other_answers(app, client):
    _public_event(app)
    client.get(FEED)

    answer = client.get(FEED + "?kind=speedwatch")

    assert b"Roadshow at the library" not in answer.data


@pytest.mark.parametrize(
    ("method", "headers"),
    [("HEAD", {}), ("GET", {"If-Modified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"})],
)
def test_head_and_date_conditions_go_to_the_app(app, client, views, method, headers):
    _public_event(app)
    client.get(FEED)
    client.open(FEED, method=method, headers=headers)

    assert views["public_feed"] == 2


def _personal_feed(app) -> tuple[int, str]:
    from csp_events.feeds.models import FeedScope
    from csp_events.feeds.services import issue_token

    with app.app_context():
        person = make_user()
        db.session.commit()
        return person.id, f"/feeds/u/{issue_token(person, FeedScope.PERSONAL)}.ics"


def _stop_the_feed(person_id: int, ending: str) -> None:
    """A new address for the person's feed, or their account deactivated (not committed)."""
    from csp_events.auth.models import User
    from csp_events.feeds.models import FeedScope
    from csp_events.feeds.services import issue_token, revoke_all_feeds

    person = db.session.get(User, person_id)
    if ending == "new address":
        issue_token(person, FeedScope.PERSONAL)
    else:
        person.active = False
        revoke_all_feeds(person)


def test_a_personal_feed_is_answered_again_from_memory(app, client, statements):
    _public_event(app)
    _person, address = _personal_feed(app)
    first = client.get(address)
    statements.clear()

    again = client.get(address)

    assert again.status_code == 200
    assert again.data == first.data
    assert statements == []


@pytest.mark.parametrize("ending", ["new address", "account deactivated"])
def test_a_personal_feed_that_stopped_is_never_answered_from_memory(app, client, ending):
    person_id, address = _personal_feed(app)
    client.get(address)
    client.get(address)
    with app.app_context():
        _stop_the_feed(person_id, ending)
        db.session.commit()

    assert client.get(address).status_code == 404


@pytest.fixture
def another_worker(app, monkeypatch):
    """Commits made as another worker would make them (this worker's memo is not told), and
    the version then read again here, as the next request to read it would."""
    monkeypatch.setattr(recording, "_after_commit", [])

    def commit(change) -> None:
        with app.app_context():
            change()
            db.session.commit()
            monkeypatch.setattr(version_memo, "_read_at", version_memo._read_at - version_memo.ttl)
            version_memo.get()

    return commit


@pytest.fixture
def personal_views(app, monkeypatch):
    """How many times the personal feed's view ran."""
    return count_view_calls(app, monkeypatch, "feeds.personal_feed")


def _sign_up(person_id: int, event_id: int) -> None:
    from csp_events.auth.models import User
    from csp_events.events.models import Event
    from csp_events.signups.services import sign_up

    person = db.session.get(User, person_id)
    sign_up(db.session.get(Event, event_id), person, by=person)


def _session_for_volunteers(app) -> int:
    with app.app_context():
        made = make_event(title="Speedwatch on Ongar Road", is_public=False)
        db.session.commit()
        return made.id


def test_a_personal_feed_is_answered_from_memory_after_somebody_elses_sign_up(
    app, client, another_worker, personal_views, statements
):
    session_id = _session_for_volunteers(app)
    _person, address = _personal_feed(app)
    other, _other_address = _personal_feed(app)
    first = client.get(address)
    etag = first.headers["ETag"]
    client.get(address, headers={"If-None-Match": etag})

    another_worker(lambda: _sign_up(other, session_id))
    statements.clear()
    full = client.get(address)
    not_modified = client.get(address, headers={"If-None-Match": etag})

    assert full.data == first.data
    assert not_modified.status_code == 304
    assert personal_views["personal_feed"] == 2
    # One look at what the commits since changed, shared by both answers, as a GET reads
    # (on SQLite, never under the write lock that every writer waits for).
    assert len([s for s in statements if "change_log" in s]) == 1
    assert "BEGIN IMMEDIATE" not in statements


def test_a_personal_feed_shows_the_holders_own_sign_up_made_by_another_worker(
    app, client, another_worker
):
    session_id = _session_for_volunteers(app)
    person, address = _personal_feed(app)
    etag = client.get(address).headers["ETag"]
    client.get(address, headers={"If-None-Match": etag})

    another_worker(lambda: _sign_up(person, session_id))
    answer = client.get(address, headers={"If-None-Match": etag})

    assert answer.status_code == 200
    assert b"Speedwatch on Ongar Road" in answer.data


@pytest.mark.parametrize("ending", ["new address", "account deactivated"])
def test_a_personal_feed_stopped_by_another_worker_is_not_answered_from_memory(
    app, client, another_worker, ending
):
    person_id, address = _personal_feed(app)
    client.get(address)
    client.get(address)

    another_worker(lambda: _stop_the_feed(person_id, ending))

    assert client.get(address).status_code == 404


def test_a_public_feed_carried_forward_still_shows_the_next_change_to_it(
    app, client, another_worker, views
):
    event_id = _public_event(app)
    session_id = _session_for_volunteers(app)
    person, _address = _personal_feed(app)
    client.get(FEED)
    client.get(FEED)
    another_worker(lambda: _sign_up(person, session_id))
    carried = client.get(FEED)
    carried_from_memory = views["public_feed"] == 1

    another_worker(lambda: _retitle_here(event_id, "Roadshow moved to the station"))
    after = client.get(FEED)

    assert carried_from_memory
    assert b"Roadshow at the library" in carried.data
    assert b"Roadshow moved to the station" in after.data


def _retitle_here(event_id: int, title: str) -> None:
    from csp_events.events.models import Event

    db.session.get(Event, event_id).title = title


def test_an_unreachable_change_log_sends_the_poll_to_the_app(
    app, client, another_worker, personal_views, monkeypatch
):
    from sqlalchemy.exc import OperationalError

    from csp_events.feeds import carrying

    session_id = _session_for_volunteers(app)
    _person, address = _personal_feed(app)
    other, _other_address = _personal_feed(app)
    client.get(address)
    client.get(address)
    another_worker(lambda: _sign_up(other, session_id))

    def unreachable(*_args):
        raise OperationalError("SELECT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(carrying, "tables_changed_since", unreachable)
    answer = client.get(address)

    # The app, not the memo, answers: with its "try again in a moment", never a 500.
    assert personal_views["personal_feed"] == 2
    assert answer.status_code == 503
    assert "Retry-After" in answer.headers


def _equipment_feed(app) -> tuple[int, int, str]:
    """A trail camera's feed address, and a coordinator who may book it: (item, person, address)."""
    from factories import make_coordinator, make_item

    from csp_events.feeds.models import FeedScope
    from csp_events.feeds.services import issue_token

    with app.app_context():
        item, coordinator = make_item(kind="trail_camera"), make_coordinator()
        raw = issue_token(coordinator, FeedScope.EQUIPMENT, item=item)
        return item.id, coordinator.id, f"/feeds/equipment/{item.id}.ics?token={raw}"


def _book(item_id: int, person_id: int) -> None:
    from factories import at, next_weekday

    from csp_events.auth.models import User
    from csp_events.equipment.models import EquipmentItem
    from csp_events.equipment.services import place_booking

    day = next_weekday(2)
    item, person = db.session.get(EquipmentItem, item_id), db.session.get(User, person_id)
    place_booking(item, person, at(day, 10), at(day, 12), purpose="Fly-tipping watch at Hutton")


def test_an_equipment_feed_is_carried_past_a_sign_up_but_shows_a_booking_made_elsewhere(
    app, client, another_worker, monkeypatch
):
    item_id, coordinator_id, address = _equipment_feed(app)
    session_id = _session_for_volunteers(app)
    volunteer, _address = _personal_feed(app)
    views = count_view_calls(app, monkeypatch, "feeds.equipment_feed")
    first = client.get(address)
    client.get(address)

    another_worker(lambda: _sign_up(volunteer, session_id))
    carried = client.get(address)
    another_worker(lambda: _book(item_id, coordinator_id))
    booked = client.get(address)

    assert carried.data == first.data
    assert views["equipment_feed"] == 2  # the first GET, then the booking: not the sign-up
    assert b"Fly-tipping watch at Hutton" in booked.data
