"""Built feeds outlive the process that built them, are never served stale, and one changed
event costs one VEVENT fragment."""

import os
import socket
from datetime import date, timedelta

import pytest
from conftest import FreshContextClient
from factories import make_event, make_site, make_venue
from sqlalchemy import text

from csp_events import create_app
from csp_events.changes.services import read_version
from csp_events.events.models import Event
from csp_events.events.vocabulary import EventKind, EventStatus, Theme
from csp_events.extensions import cache, db
from csp_events.feeds import assembly, feed_items, services
from csp_events.feeds.caching import FeedStore
from csp_events.feeds.event_rows import event_marks

FEED = "/feeds/public.ics"
# Never emptied: each test's keys are prefixed by its own instance folder.
CACHE_REDIS_URL = os.environ.get("TEST_CACHE_REDIS_URL", "redis://127.0.0.1:6379/13")


def _redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), 0.5).close()
    except OSError:
        return False
    return True


@pytest.fixture
def builds(monkeypatch):
    """How many feeds were built, and how many VEVENT fragments."""
    counts = {"feeds": 0, "fragments": 0}
    real_assemble, real_vevent = assembly.assemble, assembly.vevent_text

    def counting_assemble(*args, **kwargs):
        counts["feeds"] += 1
        return real_assemble(*args, **kwargs)

    def counting_vevent(item):
        counts["fragments"] += 1
        return real_vevent(item)

    monkeypatch.setattr(assembly, "assemble", counting_assemble)
    monkeypatch.setattr(assembly, "vevent_text", counting_vevent)
    return counts


@pytest.fixture
def other_apps():
    """Apps made during the test, their connections closed after it."""
    made = []
    yield made
    for other in made:
        with other.app_context():
            db.engine.dispose()


def _second_app(app, shared: str, made: list):
    """Another app on the same database and instance folder, as a new worker or a restart
    would make: nothing of the first one's memory, only what the shared cache holds."""
    overrides = {
        "TESTING": True,
        "INSTANCE_PATH": app.instance_path,
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SERVER_NAME": "csp.test",
    }
    if shared == "redis":
        overrides |= {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": CACHE_REDIS_URL,
            "CACHE_KEY_PREFIX": f"csp-events-test-{app.instance_path[-12:]}:",
        }
    second = create_app(overrides)
    second.test_client_class = FreshContextClient
    made.append(second)
    return second


@pytest.mark.parametrize("shared", ["files", "redis"])
def test_a_new_worker_serves_the_built_feed_without_building_it(
    app, client, builds, shared, other_apps
):
    if shared == "redis" and not _redis_answers():
        pytest.skip("Redis is not answering on 127.0.0.1:6379")
    make_event(title="Library pop-up")
    first_app = _second_app(app, shared, other_apps)  # both on the same kind of shared cache
    first = first_app.test_client().get(FEED)
    assert builds["feeds"] == 1
    services.feed_cache.forget_local()  # a new process starts with nothing in memory
    again = _second_app(app, shared, other_apps).test_client().get(FEED)
    assert builds["feeds"] == 1, "the new worker built the feed again"
    assert again.get_data() == first.get_data()
    assert again.headers["ETag"] == first.headers["ETag"]
    if shared == "redis":
        with first_app.app_context():
            cache.clear()
    services.feed_cache.forget_local()


def _empty_the_database(app) -> None:
    """As the test set-up (and dropping and loading a database) does: every table emptied,
    ids starting again, nothing cached cleared."""
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    db.session.remove()
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))
            if "sqlite_sequence" in {
                row[0] for row in connection.execute(text("SELECT name FROM sqlite_master"))
            }:
                connection.execute(text("DELETE FROM sqlite_sequence"))


def test_a_database_emptied_and_filled_again_never_gets_the_old_feed(app, client):
    make_event(title="Old talk", venue=make_venue("Library"))
    old_version = read_version()
    assert b"Old talk" in client.get(FEED).get_data()
    _empty_the_database(app)
    make_event(title="New talk", venue=make_venue("Library"))  # the same writes again
    new_version = read_version()
    # The change log alone reads the same: only the epoch tells the databases apart.
    assert new_version.split(".", 1)[1] == old_version.split(".", 1)[1]
    assert new_version != old_version
    body = client.get(FEED).get_data()
    assert b"New talk" in body
    assert b"Old talk" not in body


def test_a_change_is_served_at_once_and_the_old_entry_never_again(client):
    event = make_event(title="Speed talk")
    before = client.get(FEED)
    event.title = "Speeding talk"
    db.session.commit()
    after = client.get(FEED)
    assert b"Speeding talk" in after.get_data()
    assert after.headers["ETag"] != before.headers["ETag"]
    assert client.get(FEED, headers={"If-None-Match": before.headers["ETag"]}).status_code == 200


def test_one_changed_event_rebuilds_one_fragment(client, builds):
    venue = make_venue("Library")
    events = [make_event(title=f"Pop-up {n}", venue=venue) for n in range(6)]
    client.get(FEED)
    assert builds["fragments"] == 6
    events[2].title = "Pop-up, moved indoors"
    db.session.commit()
    body = client.get(FEED).get_data()
    assert builds["fragments"] == 7
    assert b"moved indoors" in body
    assert body.count(b"BEGIN:VEVENT") == 6


def test_a_fragment_is_rebuilt_when_only_its_stamps_move(client, builds):
    """A venue renamed changes every event there (SEQUENCE up): each is built again."""
    venue = make_venue("Library")
    make_event(title="A", venue=venue)
    make_event(title="B", venue=make_venue("Hall"))
    client.get(FEED)
    venue.name = "Central Library"
    db.session.commit()
    body = client.get(FEED).get_data()
    assert builds["fragments"] == 3
    assert b"Central Library" in body


def test_the_feed_is_still_served_when_the_shared_cache_is_down(client, monkeypatch):
    from redis.exceptions import ConnectionError as RedisDown

    def down(*_args, **_kwargs):
        raise RedisDown("no route to host")

    make_event(title="Pop-up at the library")
    services.feed_cache.forget_local()
    for name in ("get", "get_many", "set", "set_many"):
        monkeypatch.setattr(cache, name, down)
    response = client.get(FEED)
    assert response.status_code == 200
    assert b"Pop-up at the library" in response.get_data()


def test_the_hottest_bodies_in_memory_are_bounded_by_size():
    from csp_events.feeds.caching import BuiltFeed, FeedStamp

    store = FeedStore(max_bytes=1000)
    stamp = FeedStamp("e", None)
    store._remember("a", BuiltFeed(b"x" * 400, b"y" * 100, stamp))
    store._remember("b", BuiltFeed(b"x" * 400, b"y" * 100, stamp))
    store._remember("c", BuiltFeed(b"x" * 400, b"y" * 100, stamp))
    store._remember("huge", BuiltFeed(b"x" * 4000, b"", stamp))
    assert store._hot.currsize <= 1000
    assert "c" in store._hot
    assert "huge" not in store._hot


def test_a_build_cut_short_keeps_the_fragments_it_made(client, builds, monkeypatch):
    """A worker killed for taking too long (a cold 10,000-event feed on a busy machine) has
    saved its fragments as it went: the next request builds only the rest."""
    venue = make_venue("Library")
    for n in range(6):
        make_event(title=f"Pop-up {n}", venue=venue)
    monkeypatch.setattr(assembly, "PROGRESS_EVERY", 2)
    counting = assembly.vevent_text

    def cut_short(item):
        if builds["fragments"] == 5:
            raise TimeoutError("worker timed out")
        return counting(item)

    monkeypatch.setattr(assembly, "vevent_text", cut_short)
    client.get(FEED)  # (the error page the test client gets stands for the killed worker)
    monkeypatch.setattr(assembly, "vevent_text", counting)
    built_before = builds["fragments"]
    assert client.get(FEED).get_data().count(b"BEGIN:VEVENT") == 6
    assert builds["fragments"] - built_before == 2


@pytest.fixture
def items_made(monkeypatch):
    """Event ids made into feed items (the work a kept row is spared)."""
    made: list[int] = []
    real = feed_items.event_item

    def counting(event, *args, **kwargs):
        made.append(event.id)
        return real(event, *args, **kwargs)

    monkeypatch.setattr(feed_items, "event_item", counting)
    return made


def test_a_rebuild_makes_only_the_changed_event_into_an_item_again(client, items_made):
    events = [make_event(title=f"Pop-up {n}") for n in range(5)]
    client.get(FEED)
    items_made.clear()
    events[3].title = "Pop-up, moved indoors"
    db.session.commit()

    body = client.get(FEED).get_data()

    assert items_made == [events[3].id]
    assert b"moved indoors" in body
    assert body.count(b"BEGIN:VEVENT") == 5


def _mark_of(event) -> str:
    (mark,) = event_marks(Event.id == event.id)
    return mark.text


@pytest.mark.parametrize(
    "change",
    [
        lambda e: setattr(e, "title", "Pop-up, moved indoors"),
        lambda e: setattr(e, "area", "CM15"),
        lambda e: setattr(e, "starts_at", e.starts_at + timedelta(minutes=30)),
        lambda e: setattr(e, "status", EventStatus.CANCELLED),
        lambda e: setattr(e, "theme", Theme.ROGUE_TRADERS),
        lambda e: setattr(e.venue, "name", "Central Library"),
        lambda e: setattr(e.venue, "postcode", "CM14 4BQ"),
        lambda e: setattr(e.site, "road", "Hutton Road"),
        lambda e: setattr(e.site, "latitude", e.site.latitude + 0.0001),
    ],
    ids=["title", "area", "start", "status", "theme", "venue", "postcode", "road", "latitude"],
)
def test_a_change_to_anything_a_vevent_shows_changes_its_rows_mark(client, change):
    event = make_event(venue=make_venue("Library"), site=make_site())
    before = _mark_of(event)
    change(event)
    db.session.commit()
    assert _mark_of(event) != before


def test_a_row_only_locked_keeps_its_mark(client):
    """Signing up locks the event's row: that alone must not make its VEVENT again."""
    event = make_event(venue=make_venue("Library"), site=make_site())
    before = _mark_of(event)
    db.session.execute(db.select(Event).where(Event.id == event.id).with_for_update()).one()
    db.session.commit()
    assert _mark_of(event) == before


def test_a_row_written_behind_the_models_back_gets_a_new_mark(client):
    event = make_event(venue=make_venue("Library"))
    before = _mark_of(event)
    db.session.execute(text("UPDATE venues SET postcode = 'CM15 8AY'"))
    db.session.commit()
    assert _mark_of(event) != before


def test_a_bar_moved_from_one_column_to_the_next_changes_the_mark(client):
    one, other = make_event(title="Pop-up |"), make_event(title="Pop-up ")
    one.area, other.area = "CM14", "|CM14"
    db.session.commit()
    assert _mark_of(one).split("|", 1)[1] != _mark_of(other).split("|", 1)[1]


def test_a_kept_row_still_shows_a_revision_another_feed_moved(client):
    """Two feeds share the public audience's revisions. A venue renamed and renamed back
    while only the other feed was polled leaves this feed's row for the event as it was: it
    must still show the SEQUENCE the audience has reached, as the event's download does."""
    venue = make_venue("Library")
    event = make_event(title="Pop-up at the library", venue=venue)
    make_event(title="Speed talk", kind=EventKind.ROADSHOW)
    client.get(FEED)
    other = FEED + "?kind=pop_up"
    for name in ("Central Library", "Library"):
        venue.name = name
        db.session.commit()
        client.get(other)

    body = client.get(FEED).get_data().decode()
    download = client.get(f"/whats-on/{event.id}.ics").get_data().decode()

    shown = _sequence_of(body, "Pop-up at the library")
    assert shown == 2
    assert _sequence_of(download, "Pop-up at the library") == shown


def _sequence_of(calendar: str, summary: str) -> int:
    for block in calendar.split("BEGIN:VEVENT")[1:]:
        if f"SUMMARY:{summary}" in block:
            return int(block.split("SEQUENCE:")[1].split("\r\n")[0])
    raise AssertionError(f"{summary} is not in the calendar")


def test_a_sign_up_costs_the_public_feed_no_build(client, builds):
    """The public feed's build read no sign-ups: a new version that only changed those keeps
    its body, and the next change it does show is built as ever."""
    from factories import make_user

    from csp_events.signups.services import sign_up

    event = make_event(title="Pop-up")
    first = client.get(FEED)
    volunteer = make_user()
    sign_up(event, volunteer, by=volunteer)
    again = client.get(FEED, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert builds["feeds"] == 1
    event.title = "Pop-up, moved indoors"
    db.session.commit()
    assert b"moved indoors" in client.get(FEED).get_data()
    assert builds["feeds"] == 2


def _own_feed(person) -> str:
    from csp_events.feeds.models import FeedScope

    return f"/feeds/u/{services.issue_token(person, FeedScope.PERSONAL)}.ics"


def test_somebody_elses_sign_up_costs_a_personal_feed_no_build(client, builds):
    """A personal feed read only its owner's sign-ups: another volunteer joining the same
    session leaves it as it is, and the owner's own next sign-up is built as ever."""
    from factories import make_user

    from csp_events.signups.services import sign_up

    event, vera, nina = make_event(title="Pop-up"), make_user(), make_user()
    sign_up(event, vera, by=vera)
    feed = _own_feed(vera)
    first = client.get(feed)
    sign_up(event, nina, by=nina)
    again = client.get(feed, headers={"If-None-Match": first.headers["ETag"]})
    assert (again.status_code, builds["feeds"]) == (304, 1)
    sign_up(
        make_event(title="Surgery", starts_at=event.starts_at + timedelta(days=1)), vera, by=vera
    )
    assert b"Surgery" in client.get(feed).get_data()
    assert builds["feeds"] == 2


@pytest.mark.parametrize("everything", [False, True])
def test_a_personal_feed_reads_its_owners_sign_ups_and_nobody_elses(client, everything):
    """What keeps somebody else's sign-up from building it again (changes/scopes.py): a
    session's whole roster read anywhere in the build would be recorded as the whole table."""
    from factories import make_user

    from csp_events.changes.reads import recording_reads
    from csp_events.signups.services import sign_up
    from csp_events.timezones import utcnow

    event, vera, nina = make_event(title="Pop-up"), make_user(), make_user()
    sign_up(event, vera, by=vera)
    sign_up(event, nina, by=nina)
    with recording_reads(db.session) as reads:
        items = feed_items.personal_feed(vera, everything, utcnow(), "csp.test", lambda e: "/")
    assert [item.summary for item in items] == ["Pop-up"]
    assert {name for name in reads.result() or () if name.startswith("signups")} == {
        f"signups@{vera.id}"
    }


def test_the_person_moved_up_from_the_waiting_list_sees_it_in_their_own_feed(client):
    """Someone else's withdrawal changes the place of whoever was waiting: their feed is built
    again even though they did nothing themselves."""
    from factories import make_user

    from csp_events.signups.services import sign_up, withdraw

    event, first, waiting = make_event(title="Pop-up", max_volunteers=1), make_user(), make_user()
    sign_up(event, first, by=first)
    sign_up(event, waiting, by=waiting)
    feed = _own_feed(waiting)
    before = client.get(feed)
    assert b"Waiting list: Pop-up" in before.get_data()
    withdraw(event, first, by=first)
    after = client.get(feed, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert b"Waiting list" not in after.get_data() and b"SUMMARY:Pop-up" in after.get_data()


def test_two_builds_on_one_day_cover_the_same_window():
    """A feed is kept per day: built in the morning or the evening from the same data, it is
    the same bytes, whichever worker builds it."""
    from datetime import UTC, datetime

    morning = datetime(2027, 3, 4, 8, 15, tzinfo=UTC)
    evening = datetime(2027, 3, 4, 22, 50, tzinfo=UTC)
    assert feed_items.window(morning) == feed_items.window(evening)


def test_a_body_gone_from_the_shared_cache_makes_the_worker_read_the_stamp_again(client):
    from csp_events.feeds.caching import BuiltFeed, FeedStamp

    store, key = FeedStore(), "feed-x:2027-03-04:e.1.1"
    store.keep(key, BuiltFeed(b"old", b"old-gz", FeedStamp("a", None)))
    store._hot.clear()
    cache.delete("body:feed-x:a")
    assert store.built(key) is None
    cache.set("stamp:" + key, FeedStamp("b", None))
    assert store.stamp(key) == FeedStamp("b", None)


def test_stamps_bodies_and_bases_expire_so_the_shared_cache_does_not_grow_for_ever(
    client, monkeypatch
):
    from csp_events.feeds import caching
    from csp_events.feeds.caching import Basis, BuiltFeed, FeedStamp

    kept: dict[str, int] = {}
    real_set, real_set_many = cache.set, cache.set_many
    monkeypatch.setattr(
        cache,
        "set",
        lambda key, value, timeout=None: (
            kept.update({key: timeout}) or real_set(key, value, timeout)
        ),
    )
    monkeypatch.setattr(
        cache,
        "set_many",
        lambda mapping, timeout=None: (
            kept.update(dict.fromkeys(mapping, timeout)) or real_set_many(mapping, timeout)
        ),
    )
    store, stamp = FeedStore(), FeedStamp("a", None)
    store.keep("feed-x:2027-03-04:e.1.1", BuiltFeed(b"body", b"gz", stamp))
    store.keep_basis("feed-x", date(2027, 3, 4), Basis("e.1.1", frozenset({"events"}), stamp))
    assert kept == dict.fromkeys(
        [
            "body:feed-x:a",
            "gzip:feed-x:a",
            "stamp:feed-x:2027-03-04:e.1.1",
            "basis:feed-x:2027-03-04",
        ],
        caching.KEPT_SECONDS,
    )
    assert 0 < caching.KEPT_SECONDS <= 3 * 24 * 3600
