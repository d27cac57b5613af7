"""Engine set-up: SQLite pragmas and write transactions that cannot interleave."""

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, cast

from flask import Flask, g, has_request_context, request
from sqlalchemy import CursorResult, Engine, Result, event, text
from sqlalchemy.exc import InvalidatePoolError, SQLAlchemyError
from sqlalchemy.pool import Pool

from .extensions import db

log = logging.getLogger(__name__)

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_writing: ContextVar[bool] = ContextVar("writing", default=False)


@contextmanager
def write_transaction() -> Iterator[None]:
    """Transactions begun inside this block write, even in a GET (e.g. a feed saving the
    revisions it found): on SQLite they take the write lock at BEGIN, as a POST's do."""
    token = _writing.set(True)
    try:
        yield
    finally:
        _writing.reset(token)


def _wants_write_lock() -> bool:
    # Outside a request (CLI, tests' set-up) every transaction may write.
    if _writing.get() or not has_request_context():
        return True
    return request.method not in READ_ONLY_METHODS and not g.get("_reading_only", False)


def database_answers() -> bool:
    """Whether the database answers a trivial query now (the health check); no transaction
    is left open either way."""
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except SQLAlchemyError as error:
        db.session.rollback()
        log.warning("health check: database unavailable (%s)", type(error).__name__)
        return False
    return True


@contextmanager
def unit_of_work() -> Iterator[None]:
    """A service's changes stand or fall together: the service commits at its end, and if
    anything in the block raises (a refusal included) all it changed is rolled back before
    the error reaches the view. Whoever commits rolls back; views do neither. Also usable as
    a decorator: `@unit_of_work()`."""
    try:
        yield
    except Exception:
        db.session.rollback()
        raise


@contextmanager
def reading_only() -> Iterator[None]:
    """Reads that must not hold SQLite's write lock, in a transaction of their own that ends
    when the block does; what was loaded stays loaded (not expired) for the slow work after.

    A write request's transactions take the write lock at BEGIN, and keep it until they end:
    anything slow done meanwhile (checking a password, hashing a new one) makes every other
    writer wait, and past the busy timeout fail. Inside a transaction already open, the block
    changes nothing (it cannot give back a lock already taken); nor does it in a request whose
    transactions never take the lock (a GET): ending one there would only cost a round trip
    (and another BEGIN) on every page, for the signed-in user's load."""
    session = db.session()
    busy = session.in_transaction() or session.new or session.dirty or session.deleted
    if (
        busy
        or not has_request_context()
        or g.get("_reading_only", False)
        or not _wants_write_lock()
    ):
        yield
        return
    g._reading_only = True
    try:
        yield
    except BaseException:
        g._reading_only = False
        session.rollback()
        raise
    g._reading_only = False
    keep, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()  # nothing was written: this only ends the read transaction
    finally:
        session.expire_on_commit = keep


def read_every_commit_so_far() -> None:
    """What the session reads next includes every commit made before now. Where a transaction
    reads from one snapshot taken at its first statement (SQLite, or PostgreSQL set to a
    stricter isolation level), the open one ends. Where each statement sees every commit made
    before it (PostgreSQL's READ COMMITTED) and the transaction has written nothing, it stays
    open and only what the session holds is read again: ending it cost a COMMIT and a BEGIN,
    two round trips, on every feed build."""
    session = db.session()
    if (
        session.new
        or session.dirty
        or session.deleted
        or isolation_level(session.get_bind().engine) != "READ COMMITTED"
        or (session.in_transaction() and session.connection().info.get(WROTE))
    ):
        session.commit()
    else:
        session.expire_all()


def isolation_level(engine: Engine) -> str:
    """The engine's isolation level: set in its options or for each connection it makes (a
    private attribute, but the only place create_engine(isolation_level=) leaves it), else
    the server's default ("None" until the engine's first connection has asked the server)."""
    options = engine.get_execution_options().get("isolation_level")
    on_connect = getattr(engine.dialect, "_on_connect_isolation_level", None)
    default = getattr(engine.dialect, "default_isolation_level", None)
    return str(options or on_connect or default)


# In a connection's info while its transaction has sent anything but a SELECT: whatever the
# way (a flush, a bulk statement, SQL straight to the connection), it has written.
WROTE = "csp_events.wrote"


@event.listens_for(Engine, "before_cursor_execute")
def _note_write(connection, _cursor, statement: str, *_args) -> None:
    if not statement.lstrip()[:6].upper().startswith(("SELECT", "BEGIN")):
        connection.info[WROTE] = True


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _forget_write(connection) -> None:
    # A connection the server dropped has no info to read (and the pool discards it anyway).
    if not connection.invalidated:
        connection.info.pop(WROTE, None)


@event.listens_for(Pool, "checkin")
def _forget_write_on_return(_dbapi_connection, record) -> None:
    # Handed back, the connection's transaction was ended by the pool itself.
    if record is not None:
        record.info.pop(WROTE, None)


def rows_matched(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE matched. Session.execute() is typed as returning a
    Result; for those statements it is a CursorResult, the kind that carries the count."""
    return cast(CursorResult[Any], result).rowcount


IDLE_SINCE = "csp_events.idle_since"


def ping_connections_idle_for(engine: Engine, seconds: float) -> None:
    """A pooled connection that has been idle longer than `seconds` is tried before it is
    handed out; if the server has dropped it (a restart, an idle timeout, a firewall), it and
    every older connection in the pool are replaced, so the request never meets a dead one.

    SQLAlchemy's pool_pre_ping tries every connection, every time: a round trip to the server
    before each request's first query (and again after each commit), a tenth of a worker's
    time under load. A connection handed back moments ago is almost never the dead one; when
    it is (the server restarted while busy), the request is told "busy, try again" (ops/busy)
    and the pool drops every connection older than the failure."""

    @event.listens_for(engine, "checkin")
    def _note_idle(_dbapi_connection, record):
        if record is not None:
            record.info[IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle_long(dbapi_connection, record, _proxy):
        idle_since = record.info.get(IDLE_SINCE)
        if idle_since is None or time.monotonic() - idle_since < seconds:
            return  # new, or handed back moments ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            # Most likely the server restarted: every connection older than this one goes.
            raise InvalidatePoolError("idle connection dropped by the server") from error


def configure_database(app: Flask) -> None:
    """Try connections that sat idle before using them; on SQLite, take the write lock at
    BEGIN for requests that change data.

    A deferred BEGIN lets two requests both read "the slot is free" and then both
    write; BEGIN IMMEDIATE makes the second wait until the first commits.
    """
    with app.app_context():
        engine = db.engine
        ping_connections_idle_for(engine, app.config["DATABASE_PING_AFTER_IDLE_SECONDS"])
        if engine.dialect.name != "sqlite":
            return
        busy_timeout_ms = int(app.config.get("SQLITE_BUSY_TIMEOUT_MS", 10_000))

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
            if engine.url.database not in (None, "", ":memory:"):
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection):
            connection.exec_driver_sql("BEGIN IMMEDIATE" if _wants_write_lock() else "BEGIN")
