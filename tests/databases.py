"""The tests' PostgreSQL databases: one for each pytest-xdist worker, emptied after each test.

`make test` runs the suite in parallel (`pytest -n 2`): each worker is a process running its
share of the tests while the others run theirs. SQLite files and instance folders are already
apart (each worker has its own tmp_path), but every worker would otherwise truncate the one
PostgreSQL database in TEST_DATABASE_URL under the others. So worker gw0 uses `<name>_gw0`,
gw1 `<name>_gw1`…, each created on first use; a plain `pytest` (no xdist) uses `<name>` itself.
"""

import os

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def sibling_database(url: str, suffix: str) -> str:
    """`…/name` becomes `…/name_<suffix>`, created on that server if it does not exist yet."""
    server = make_url(url)
    name = f"{server.database}_{suffix}"
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).scalar()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


def use_this_workers_own_database() -> None:
    """Under xdist with PostgreSQL: point TEST_DATABASE_URL at this worker's own database,
    before any test module reads it (so migrations and browser tests derive theirs from it)."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if worker and url.startswith("postgresql"):
        os.environ["TEST_DATABASE_URL"] = sibling_database(url, worker)


def empty_postgresql_tables(connection, tables: list[str]) -> None:
    """Leave every table as `TRUNCATE … RESTART IDENTITY` would (no rows, ids from the start),
    touching only what the test used. TRUNCATE costs ~0.1 s for the 39 tables however empty
    they are, paid after every test; one query finds the few tables with rows, which a DELETE
    empties in no time. `tables` are in dependency order, rows that refer to others first."""
    probe = " UNION ALL ".join(f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM {t})" for t in tables)
    with_rows = set(connection.execute(text(probe)).scalars())
    for table in tables:
        if table in with_rows:
            connection.execute(text(f"DELETE FROM {table}"))
    # Every sequence a test moved on (a rolled-back insert does too) starts again.
    connection.execute(
        text(
            "SELECT setval(format('%I.%I', schemaname, sequencename), start_value, false)"
            " FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL"
        )
    )
