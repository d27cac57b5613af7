"""Pages that only read: on PostgreSQL under READ COMMITTED their statements run outside any
transaction, which saves the BEGIN before the first and the ROLLBACK after the last.

Each statement sees every commit made before it either way. Those two round trips were two of
a signed-in page's three to ten; under load on two cores each round trip waits for the server
to be scheduled, and BEGIN and ROLLBACK were 28% of the workers' time waiting on the database
in the bench's mixed load (py-spy).
"""

import re
from collections.abc import Callable
from functools import lru_cache

from flask import Flask, request, session
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from .database import isolation_level
from .extensions import db

# In the execution options of the connection a reading page runs on.
READS_ONLY = "csp_events.reads_only"
# What outside a transaction would commit on its own (a write, anywhere in the statement: a
# CTE may hold one) or end at once (a row lock). Reads of any shape (WITH, SHOW, a UNION in
# brackets) pass.
_WRITES = re.compile(
    r"\b(?:INSERT|UPDATE|DELETE|MERGE|TRUNCATE|CREATE|ALTER|DROP|COPY|CALL|LOCK|GRANT|REVOKE)\b",
    re.IGNORECASE,
)
_ROW_LOCKS = re.compile(r"\bFOR\s+(?:NO\s+KEY\s+UPDATE|UPDATE|KEY\s+SHARE|SHARE)\b", re.IGNORECASE)
# flask-login's key for the signed-in person in the session cookie.
_SIGNED_IN = "_user_id"


class WriteOnReadingPage(RuntimeError):
    """A page declared @reads_only sent a statement that writes or locks rows: outside any
    transaction the write would commit on its own and the lock end at once. A programming
    error, for the tests to find."""


def reads_only(view: Callable) -> Callable:
    """The page only reads: its GET writes and locks nothing, whatever it calls."""
    vars(view)["reads_only"] = True
    return view


def reads_outside_transactions(session: Session) -> bool:
    """Whether the session's statements run outside any transaction (a reading page's): each
    one sees every commit made before it, as the first statement of a transaction would."""
    return session.in_transaction() and bool(
        session.connection().get_execution_options().get(READS_ONLY)
    )


@event.listens_for(Engine, "before_cursor_execute")
def _refuse_writes_on_reading_pages(connection, _cursor, statement: str, *_args) -> None:
    if connection.get_execution_options().get(READS_ONLY) and _writes_or_locks(statement):
        raise WriteOnReadingPage(statement.split(None, 1)[0])


# Statements come from SQLAlchemy's compiled cache, the same few strings again and again (their
# hash kept on the string): searching a joined query's text took ~8% of an event page served.
@lru_cache(maxsize=2048)
def _writes_or_locks(statement: str) -> bool:
    return bool(_WRITES.search(statement) or _ROW_LOCKS.search(statement))


def register_reading_pages(app: Flask) -> None:
    """Before anything reads (the signed-in person is the first), a reading page's session
    takes a connection in autocommit: on PostgreSQL, and only under READ COMMITTED (under a
    stricter level a page reads from one snapshot, in one transaction)."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return

    @app.before_request
    def _begin_reading_page():
        if request.method not in ("GET", "HEAD"):
            return
        if not getattr(app.view_functions.get(request.endpoint or ""), "reads_only", False):
            return
        if _SIGNED_IN not in session:
            return  # signed out: sent to sign in, or reading too little to gain (no connection)
        reading = db.session()
        if reading.in_transaction() or isolation_level(db.engine) != "READ COMMITTED":
            return  # (a transaction the app context shares: a test's own)
        reading.connection(execution_options={"isolation_level": "AUTOCOMMIT", READS_ONLY: True})
