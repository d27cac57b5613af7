"""Pages declared @reads_only: on PostgreSQL their statements run outside any transaction (no
BEGIN, no ROLLBACK), a write or a lock from one is refused, and requests that write still do
so in one transaction."""

import pytest
from conftest import login_as, post
from factories import make_coordinator, make_event, make_user, make_venue
from flask import Flask
from sqlalchemy import event, func, select

from csp_events import create_app
from csp_events.access import public
from csp_events.database import WriteOnReadingPage, reads_only
from csp_events.extensions import db
from csp_events.places.models import Venue

pytestmark = pytest.mark.usefixtures("app_context")


@pytest.fixture
def on_postgresql(app_context):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no round trips to save: its pages read in transactions")


@pytest.fixture
def autocommit_seen(app_context):
    """Whether each statement ran with the driver in autocommit, in the order sent."""
    seen: list[bool] = []

    def note(connection, *_args):
        seen.append(connection.connection.dbapi_connection.autocommit)

    event.listen(db.engine, "before_cursor_execute", note)
    yield seen
    event.remove(db.engine, "before_cursor_execute", note)


def _again(client, path: str, seen: list[bool]):
    """The page's second GET: the first builds what is kept per version (the dashboard's
    figures, the change log's epoch), which writes in transactions of its own."""
    client.get(path)
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


@pytest.fixture
def app_with_pages_that_write(app: Flask, tmp_path):
    """Another app on the same database, with two pages declared @reads_only that write."""
    other = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(tmp_path),
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        }
    )

    @reads_only
    @public
    def add_a_venue():
        db.session.add(Venue(name="Written by a reading page"))
        db.session.commit()
        return "written"

    @reads_only
    @public
    def lock_a_venue():
        db.session.execute(select(Venue).with_for_update()).all()
        return "locked"

    other.add_url_rule("/test-only/add-a-venue", view_func=add_a_venue)
    other.add_url_rule("/test-only/lock-a-venue", view_func=lock_a_venue)
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def _venues() -> int:
    return db.session.scalar(select(func.count(Venue.id))) or 0


@pytest.mark.usefixtures("on_postgresql")
@pytest.mark.parametrize("path", ["/test-only/add-a-venue", "/test-only/lock-a-venue"])
def test_a_reading_page_that_writes_or_locks_is_refused_and_changes_nothing(
    app_with_pages_that_write, path, caplog
):
    make_venue("Brentwood library")
    before = _venues()
    db.session.commit()

    response = app_with_pages_that_write.test_client().get(path)

    refused = [r.exc_info[1] for r in caplog.records if r.exc_info]
    assert response.status_code == 500
    assert [type(error) for error in refused] == [WriteOnReadingPage]
    assert _venues() == before


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
