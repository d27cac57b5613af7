"""Fixtures: one app per test session, a clean database for every test, signed-in clients."""

import functools
import os
import re
import sys
from pathlib import Path

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import event, text

sys.path.insert(0, str(Path(__file__).parent))

from databases import empty_postgresql_tables, use_this_workers_own_database

from csp_events import create_app
from csp_events.changes.services import memo as version_memo
from csp_events.extensions import cache, db, limiter
from csp_events.feeds import series_reuse
from csp_events.feeds.services import feed_cache
from csp_events.referrals.erasure_register import register_path


def pytest_configure(config):
    use_this_workers_own_database()  # under pytest-xdist; a no-op otherwise


class FreshContextClient(FlaskClient):
    """Each request runs in its own app context, as in production: its own `g` (so
    Flask-Login loads the user afresh) and its own database session. The test's session
    first commits, which ends its transaction and makes it re-read what the request wrote."""

    def open(self, *args, **kwargs):
        if has_app_context():
            db.session.commit()
        # Buffered, as a real server does: the response is closed, so its close callbacks run.
        kwargs.setdefault("buffered", True)
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{instance / 'test.sqlite'}"
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(instance),
            "SQLALCHEMY_DATABASE_URI": url,
            "SERVER_NAME": "csp.test",
        }
    )
    app.test_client_class = FreshContextClient
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def clean_database(request):
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    register_path(app.instance_path).unlink(missing_ok=True)
    feed_cache.clear()  # versions start again with the emptied change log
    series_reuse.forget_all()  # ids start again too: one test's series is not another's
    version_memo.forget()
    app.extensions["csp_page_answers"].forget()
    with app.app_context():
        cache.clear()  # nothing built for one test's data is served to the next
        limiter.reset()
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                empty_postgresql_tables(connection, tables)
            else:
                for table in tables:
                    connection.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def cheap_password_hashing(monkeypatch):
    """Passwords set during the test are hashed with a cheap scrypt: for tests that load many
    people (the demo's 24 take ~12 s of real scrypt) and never check a password. What is
    hashed, and how sign-in checks it, is tested with the real cost (test_accounts.py)."""
    from csp_events.auth import services

    monkeypatch.setattr(services, "PASSWORD_HASH_METHOD", "scrypt:1024:8:1")


@pytest.fixture
def client(app, app_context):
    return app.test_client()


_CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


def csrf_token(client) -> str:
    page = client.get("/login").get_data(as_text=True)
    match = _CSRF.search(page)
    assert match, "no CSRF token on the login page"
    return match[1] or match[2]


def post(client, url: str, data: dict | None = None, **kwargs):
    """POST as a browser would: with the CSRF token of the current session."""
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client)}, **kwargs)


def login_as(client, user) -> None:
    """Sign in without the (deliberately slow) password check."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


@pytest.fixture
def as_user(client):
    def sign_in(user):
        login_as(client, user)
        return client

    return sign_in


@pytest.fixture
def smtp(app):
    """Mail goes to a real SMTP server on 127.0.0.1; the fixture is its list of messages."""
    from mailserver import mail_through, smtp_server

    with smtp_server() as (collector, port), mail_through(app, port):
        yield collector


@pytest.fixture
def outbox(app):
    """The development outbox (instance/outbox/), emptied before the test."""
    import shutil

    folder = Path(app.config["MAIL_FILE_PATH"])
    shutil.rmtree(folder, ignore_errors=True)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def notify(app):
    """Texts go to a fake GOV.UK Notify the test starts (see notifyserver.py)."""
    from notifyserver import fake_notify

    keys = ("NOTIFY_API_KEY", "NOTIFY_BASE_URL", "NOTIFY_SMS_TEMPLATE_ID", "NOTIFY_CALLBACK_TOKEN")
    before = {key: app.config[key] for key in keys}
    with fake_notify() as fake:
        app.config.update(
            NOTIFY_API_KEY=fake.api_key,
            NOTIFY_BASE_URL=f"http://127.0.0.1:{fake.port}",
            NOTIFY_SMS_TEMPLATE_ID=fake.template_id,
            NOTIFY_CALLBACK_TOKEN="callback-secret-for-tests",
        )
        try:
            yield fake
        finally:
            app.config.update(before)


@pytest.fixture
def statements(app):
    """SQL statements run since the fixture began, by text."""
    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def note(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    yield seen
    event.remove(engine, "before_cursor_execute", note)


def count_view_calls(app, monkeypatch, endpoint: str) -> dict[str, int]:
    """How many times the view at `endpoint` ("area.view") runs from now on, by its name."""
    name = endpoint.rsplit(".", 1)[-1]
    calls = {name: 0}
    real = app.view_functions[endpoint]

    @functools.wraps(real)  # keeps what the access checks read off the view
    def counting(*args, **kwargs):
        calls[name] += 1
        return real(*args, **kwargs)

    monkeypatch.setitem(app.view_functions, endpoint, counting)
    return calls
