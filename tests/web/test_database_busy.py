"""A database that is busy past its timeout, or not answering: 503 with Retry-After, a page
that says to try again in a moment and keeps what was typed, and nothing written."""

import sqlite3
from contextlib import contextmanager

import pytest
from conftest import login_as
from factories import make_coordinator

from csp_events import create_app
from csp_events.extensions import db
from csp_events.places.models import Venue

pytestmark = pytest.mark.usefixtures("app_context")
NOBODY_LISTENING = "postgresql+psycopg://postgres@127.0.0.1:9/gone?connect_timeout=2"
VENUE = {
    "name": "Shenfield Library",
    "kind": "library",
    "address": "Hutton Road",
    "postcode": "CM15 8NJ",
}


def app_on(url: str, tmp_path, **settings):
    return create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(tmp_path),
            "SQLALCHEMY_DATABASE_URI": url,
            "SERVER_NAME": "csp.test",
            "WTF_CSRF_ENABLED": False,
            **settings,
        }
    )


@contextmanager
def write_lock_held_elsewhere(database_file: str):
    """Another process (a backup, a long import) holds SQLite's write lock."""
    other = sqlite3.connect(database_file, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def assert_busy_page(response):
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert "Busy, try again in a moment" in response.get_data(as_text=True)


def test_signing_in_with_the_database_unreachable_says_busy_and_keeps_the_email(tmp_path):
    answer = (
        app_on(NOBODY_LISTENING, tmp_path)
        .test_client()
        .post("/login", data={"email": "ann@example.org", "password": "correct horse battery"})
    )
    assert_busy_page(answer)
    page = answer.get_data(as_text=True)
    assert 'name="email" value="ann@example.org"' in page
    assert "correct horse battery" not in page, "a password is never written into a page"
    assert "Type your password again" in page


def test_the_public_feed_with_the_database_unreachable_answers_503_with_retry_after(tmp_path):
    answer = app_on(NOBODY_LISTENING, tmp_path).test_client().get("/feeds/public.ics")
    assert answer.status_code == 503
    assert int(answer.headers["Retry-After"]) > 0
    assert answer.mimetype == "text/plain"


def test_a_page_with_the_database_unreachable_offers_to_try_again(tmp_path):
    answer = app_on(NOBODY_LISTENING, tmp_path).test_client().get("/sessions?kind=pop_up")
    assert answer.status_code in (302, 503)  # signed out: sent to sign in, or told busy
    if answer.status_code == 503:
        assert "Try again" in answer.get_data(as_text=True)


def test_a_coordinator_posting_while_a_backup_holds_the_database_is_told_to_wait(app, tmp_path):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite:///"):
        pytest.skip("SQLite's write lock; PostgreSQL writers do not queue on one lock")
    coordinator = make_coordinator()
    impatient = app_on(url, tmp_path, SQLITE_BUSY_TIMEOUT_MS=50)
    client = impatient.test_client()
    login_as(client, coordinator)
    db.session.commit()  # this test's own session holds no lock either
    with write_lock_held_elsewhere(url.removeprefix("sqlite:///")):
        answer = client.post("/venues/new", data=VENUE)
    assert_busy_page(answer)
    page = answer.get_data(as_text=True)
    assert 'value="Shenfield Library"' in page and 'value="CM15 8NJ"' in page
    assert 'action="/venues/new"' in page and "Send again" in page
    assert db.session.scalar(db.select(db.func.count(Venue.id))) == 0
    with impatient.app_context():
        db.engine.dispose()
