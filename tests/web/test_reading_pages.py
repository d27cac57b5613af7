"""Pages declared @reads_only: on PostgreSQL their statements run outside any transaction (no
BEGIN, no ROLLBACK), a write or a lock from one is refused, and requests that write still do
so in one transaction."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from conftest import login_as, post
from factories import make_coordinator, make_event, make_user, make_venue
from flask import Flask
from sqlalchemy import event, func, select, text

from csp_events import create_app
from csp_events.access import signed_in
from csp_events.extensions import db
from csp_events.places.models import Venue
from csp_events.places.vocabulary import VenueKind
from csp_events.reading_pages import WriteOnReadingPage, reads_only

pytestmark = pytest.mark.usefixtures("app_context")


@pytest.fixture
def on_postgresql(app_context):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no round trips to save: its pages read in transactions")


@contextmanager
def autocommit_noted(engine) -> Iterator[list[bool]]:
    """Whether each statement ran with the driver in autocommit, in the order sent."""
    seen: list[bool] = []

    def note(connection, *_args):
        seen.append(connection.connection.dbapi_connection.autocommit)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


@pytest.fixture
def autocommit_seen(app_context):
    with autocommit_noted(db.engine) as seen:
        yield seen


def _again(client, path: str, seen: list[bool]):
    """The page's second GET: the first builds what is kept per version (the dashboard's
    figures, the change log's epoch), which writes in transactions of its own."""
    assert client.get(path).status_code == 200
    seen.clear()
    return client.get(path)


@pytest.mark.usefixtures("on_postgresql")
@pytest.mark.parametrize("path", ["/dashboard", "/calendar", "/events/{event}"])
def test_a_reading_page_sends_every_statement_outside_a_transaction(client, autocommit_seen, path):
    login_as(client, make_coordinator())
    event_id = make_event().id

    response = _again(client, path.format(event=event_id), autocommit_seen)

    assert response.status_code == 200
    assert autocommit_seen and all(autocommit_seen)


@pytest.mark.usefixtures("on_postgresql")
def test_a_volunteers_reading_pages_send_every_statement_outside_a_transaction(
    client, autocommit_seen
):
    login_as(client, make_user())

    sessions = _again(client, "/sessions", autocommit_seen)
    sent_for_sessions = list(autocommit_seen)
    mine = _again(client, "/my-sessions", autocommit_seen)

    assert [sessions.status_code, mine.status_code] == [200, 200]
    assert sent_for_sessions and all(sent_for_sessions)
    assert autocommit_seen and all(autocommit_seen)


@pytest.mark.usefixtures("on_postgresql")
def test_a_sign_up_still_writes_inside_one_transaction(client, autocommit_seen):
    volunteer = make_user()
    event_id = make_event(max_volunteers=4).id
    login_as(client, volunteer)
    client.get(f"/events/{event_id}")  # the page reads outside a transaction
    autocommit_seen.clear()

    response = post(client, f"/events/{event_id}/sign-up")

    assert response.status_code == 302
    assert autocommit_seen and not any(autocommit_seen)


def _other_app(app: Flask, tmp_path, **config) -> Flask:
    """Another app on the same database (routes can be added to it before its first request),
    its engine connected once, as gunicorn's master does before forking: until then the
    server's default isolation level is not known, and pages read in transactions."""
    other = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(tmp_path),
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            **config,
        }
    )
    with other.app_context():
        db.session.execute(select(1))
        db.session.remove()
    return other


def _add_venue():
    db.session.add(
        Venue(
            name="Written by a reading page",
            kind=VenueKind.LIBRARY,
            address="New Road, Brentwood",
            postcode="CM14 4BP",
        )
    )
    db.session.commit()


def _add_venue_in_a_cte():
    db.session.execute(
        text(
            "WITH added AS (INSERT INTO venues (name, kind, address, postcode, ward, notes, "
            "accessibility) VALUES ('Written in a CTE', :kind, 'New Road', 'CM14 4BP', '', '', "
            "'') RETURNING id) SELECT count(*) FROM added"
        ),
        {"kind": VenueKind.LIBRARY.value},
    )
    db.session.commit()


def _locking(**lock):
    return lambda: db.session.execute(select(Venue).with_for_update(**lock)).all()


WRITES_AND_LOCKS = {
    "insert": _add_venue,
    "insert-in-a-cte": _add_venue_in_a_cte,
    "for-update": _locking(),
    "for-no-key-update": _locking(key_share=True),
    "for-share": _locking(read=True),
    "for-key-share": _locking(read=True, key_share=True),
}


def _reads_of_other_shapes():
    db.session.execute(text("WITH named AS (SELECT name FROM venues) SELECT count(*) FROM named"))
    db.session.execute(text("SHOW transaction_isolation"))
    db.session.execute(text("(SELECT 1) UNION ALL (SELECT 2)"))


@pytest.fixture
def app_with_reading_pages(app: Flask, tmp_path):
    """Pages declared @reads_only that write or lock (/test-only/<kind>), and one that reads
    in shapes other than a plain SELECT (/test-only/reads)."""
    other = _other_app(app, tmp_path)

    def page(action):
        @reads_only
        @signed_in
        def view():
            action()
            return "done"

        return view

    for kind, action in {**WRITES_AND_LOCKS, "reads": _reads_of_other_shapes}.items():
        other.add_url_rule(f"/test-only/{kind}", f"test_{kind}", view_func=page(action))
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def _venues() -> int:
    return db.session.scalar(select(func.count(Venue.id))) or 0


def _signed_in_client(other: Flask):
    client = other.test_client()
    login_as(client, make_user())
    db.session.commit()
    return client


@pytest.mark.usefixtures("on_postgresql")
@pytest.mark.parametrize("kind", sorted(WRITES_AND_LOCKS))
def test_a_reading_page_that_writes_or_locks_is_refused_and_changes_nothing(
    app_with_reading_pages, kind, caplog
):
    make_venue("Brentwood library")
    before = _venues()
    client = _signed_in_client(app_with_reading_pages)

    response = client.get(f"/test-only/{kind}")

    refused = [r.exc_info[1] for r in caplog.records if r.exc_info]
    assert response.status_code == 500
    assert [type(error) for error in refused] == [WriteOnReadingPage]
    assert _venues() == before


@pytest.mark.usefixtures("on_postgresql")
def test_a_reading_page_may_read_in_any_shape(app_with_reading_pages):
    client = _signed_in_client(app_with_reading_pages)
    with app_with_reading_pages.app_context(), autocommit_noted(db.engine) as seen:
        response = client.get("/test-only/reads")

    assert response.status_code == 200
    assert seen and all(seen)


@pytest.mark.usefixtures("on_postgresql")
def test_under_a_stricter_isolation_level_a_reading_page_reads_in_one_transaction(app, tmp_path):
    strict = _other_app(
        app, tmp_path, SQLALCHEMY_ENGINE_OPTIONS={"isolation_level": "REPEATABLE READ"}
    )
    client = _signed_in_client(strict)
    with strict.app_context(), autocommit_noted(db.engine) as seen:
        assert client.get("/my-sessions").status_code == 200
        seen.clear()
        assert client.get("/my-sessions").status_code == 200
        db.session.remove()
        db.engine.dispose()

    assert seen and not any(seen)


@pytest.mark.usefixtures("on_postgresql")
def test_a_visitor_not_signed_in_is_sent_to_sign_in_without_a_connection(client):
    taken = []

    def note(*_args):
        taken.append(1)

    event.listen(db.engine, "checkout", note)
    try:
        response = client.get("/calendar")
    finally:
        event.remove(db.engine, "checkout", note)

    assert response.status_code == 302
    assert "/login" in response.location
    assert taken == []


def test_every_reading_page_answers_only_get(app: Flask):
    reading = [
        rule
        for rule in app.url_map.iter_rules()
        if getattr(app.view_functions.get(rule.endpoint), "reads_only", False)
    ]

    assert {rule.endpoint for rule in reading} >= {
        "dashboard.index",
        "events.calendar",
        "events.event_detail",
        "signups.needing_people",
        "signups.my_sessions",
    }
    assert [r.endpoint for r in reading if (r.methods or set()) - {"GET", "HEAD", "OPTIONS"}] == []
