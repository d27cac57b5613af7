"""Pooled connections the database server dropped (a restart, an idle timeout): one that sat
idle is tried and replaced before use, so the person never notices; one handed back moments
ago is used untried, and if it is dead the person is told "busy, try again" once."""

import time

import pytest
from sqlalchemy import create_engine, text

from csp_events import database
from csp_events.extensions import db

pytestmark = pytest.mark.usefixtures("app_context")


@pytest.fixture
def on_postgresql(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("only a database server can drop a connection")


def the_server_drops_every_pooled_connection():
    """As a restart would: every other session of this test database ends."""
    admin = create_engine(db.engine.url, poolclass=None)
    with admin.connect() as connection:
        ended = connection.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar_one()
    admin.dispose()
    return ended


def pooled_connection_used(client):
    """The pool holds one connection, handed back just now."""
    db.session.remove()
    db.engine.dispose()
    assert client.get("/healthz").status_code == 200


class Later:
    """The clock, `seconds` on from now (for the pool's idle check only)."""

    def __init__(self, seconds: float):
        self.seconds = seconds

    def monotonic(self) -> float:
        return time.monotonic() + self.seconds


@pytest.fixture
def pings(monkeypatch):
    """Each ping the pool sends before handing out a connection."""
    sent: list[int] = []
    dialect = db.engine.dialect
    real = dialect.do_ping

    def counting(dbapi_connection):
        sent.append(1)
        return real(dbapi_connection)

    monkeypatch.setattr(dialect, "do_ping", counting)
    return sent


def test_a_connection_dropped_while_idle_is_replaced_before_the_request_uses_it(
    on_postgresql, client, monkeypatch, app
):
    pooled_connection_used(client)
    assert the_server_drops_every_pooled_connection() >= 1
    monkeypatch.setattr(database, "time", Later(app.config["DATABASE_PING_AFTER_IDLE_SECONDS"]))

    answer = client.get("/healthz")

    assert answer.status_code == 200
    assert answer.json == {"status": "ok", "database": "ok"}


def test_one_dropped_idle_connection_has_every_older_one_replaced_too(
    on_postgresql, client, monkeypatch, app
):
    """A restart drops them all: after the first is found dead, the next is not handed out
    untried because it happens to have been handed back more recently."""
    db.session.remove()
    db.engine.dispose()
    first, second = db.engine.connect(), db.engine.connect()
    first.close(), second.close()  # two in the pool
    the_server_drops_every_pooled_connection()
    clock = Later(app.config["DATABASE_PING_AFTER_IDLE_SECONDS"])
    monkeypatch.setattr(database, "time", clock)
    assert client.get("/healthz").status_code == 200
    clock.seconds = 0

    assert client.get("/healthz").status_code == 200


def test_a_connection_dropped_moments_after_use_is_busy_once_then_replaced(on_postgresql, client):
    pooled_connection_used(client)
    the_server_drops_every_pooled_connection()

    first, second = client.get("/healthz"), client.get("/healthz")

    assert first.status_code == 503
    assert second.status_code == 200


def test_a_connection_handed_back_moments_ago_is_used_without_a_ping(client, pings):
    pooled_connection_used(client)

    assert client.get("/healthz").status_code == 200

    assert pings == []


def test_a_connection_idle_past_the_limit_is_pinged_first(client, pings, monkeypatch, app):
    pooled_connection_used(client)
    monkeypatch.setattr(database, "time", Later(app.config["DATABASE_PING_AFTER_IDLE_SECONDS"]))

    assert client.get("/healthz").status_code == 200

    assert pings == [1]
