"""The query planner's statistics of the app's tables, gathered where missing or stale.

PostgreSQL plans each query from statistics that ANALYZE gathers, and autovacuum runs ANALYZE
in the background, but only when it is on, and only a minute or so after a change. A database
filled in bulk (a restore, the demo, an import) and served at once, or one whose autovacuum
is off, has none: the planner then takes a 1,000-row table for a handful of rows and joins it
row by row (a 10,000-event feed's marks took 14 ms instead of 6; fetching one event by its id
walked an index over every event). PostgreSQL's own advice after a bulk load is to run
ANALYZE; the app does so when it starts serving, after loading the demo or a backup, and
from `flask refresh-statistics`.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from ..extensions import db

log = logging.getLogger(__name__)

# Autovacuum's own defaults (autovacuum_analyze_threshold, autovacuum_analyze_scale_factor):
# a table is analyzed again once this many rows, plus this share of its rows, have changed.
CHANGED_ROWS = 50
CHANGED_SHARE = 0.1

# A table never analyzed (reltuples < 0, PostgreSQL 14 and later) that holds anything, or one
# changed by more rows than autovacuum would let pass. Its size is read from the file and
# reltuples from the catalogue, both true at once; the counts of changed rows may arrive a
# moment late (each server process sends its own at most every second, and when it ends).
# Only tables this role may analyze: for any other, ANALYZE warns and skips, it never fails.
_STALE = text(
    """
    SELECT c.relname
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
    WHERE c.relkind = 'r'
      AND n.nspname = current_schema()
      AND pg_has_role(c.relowner, 'USAGE')
      AND ((c.reltuples < 0 AND pg_relation_size(c.oid) > 0)
           OR coalesce(s.n_mod_since_analyze, 0)
              > :changed_rows + :changed_share * greatest(c.reltuples, 0))
    ORDER BY c.relname
    """
)
# ANALYZE waits for a lock that a VACUUM or an index being built holds: not for long, and not
# holding up the server's start.
LOCK_WAIT = "2s"


@contextmanager
def _short_transaction() -> Iterator[Connection]:
    """A transaction on a connection of its own that waits at most LOCK_WAIT for any lock."""
    with db.engine.begin() as connection:
        connection.execute(text(f"SET LOCAL lock_timeout = '{LOCK_WAIT}'"))
        yield connection


def stale_tables() -> list[str]:
    """The app's tables whose statistics are missing or stale; none on SQLite, whose planner
    does without. The caller's transaction is left alone."""
    if db.engine.dialect.name != "postgresql":
        return []
    # Each table's size is read under a light lock that only a schema change blocks (a
    # migration running meanwhile): waited for briefly, then this fails and is logged.
    with _short_transaction() as connection:
        names = connection.execute(
            _STALE, {"changed_rows": CHANGED_ROWS, "changed_share": CHANGED_SHARE}
        ).scalars()
        ours = set(db.metadata.tables)
        return [name for name in names if name in ours]


def analyze_stale_tables() -> list[str]:
    """ANALYZE each of the app's tables whose statistics are missing or stale, each in a short
    transaction of its own; the tables done. ANALYZE reads a sample of the table and blocks no
    reader or writer. A table whose lock cannot be had soon is left for next time."""
    tables = stale_tables()
    quote = db.engine.dialect.identifier_preparer.quote
    done = []
    for name in tables:
        try:
            with _short_transaction() as connection:
                connection.execute(text(f"ANALYZE {quote(name)}"))
        except OperationalError as error:
            log.warning("statistics of %s not gathered: %s", name, type(error).__name__)
            continue
        done.append(name)
    return done


def refresh_statistics() -> list[str]:
    """analyze_stale_tables, never failing its caller: statistics only make queries faster, so
    a database that cannot be reached is logged and left."""
    try:
        return analyze_stale_tables()
    except SQLAlchemyError as error:
        log.warning("planner statistics not refreshed: %s", type(error).__name__)
        return []
