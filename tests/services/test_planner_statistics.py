"""Planner statistics: a table filled since PostgreSQL last gathered them (a bulk load, a
restore, a server whose autovacuum is off) is analyzed when the app starts serving, after the
demo or a backup is loaded, and by `flask refresh-statistics`; nothing else is touched, and a
failure only leaves the statistics as they were."""

import logging

import pytest
from factories import make_venue
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from csp_events.extensions import db
from csp_events.ops import statistics
from csp_events.ops.statistics import analyze_stale_tables, refresh_statistics, stale_tables
from csp_events.ops.warming import refresh_planner_statistics
from csp_events.places.models import Venue
from csp_events.places.vocabulary import VenueKind

pytestmark = pytest.mark.usefixtures("app_context")

FILLED = 120  # more rows than autovacuum lets change unanalyzed (50 + 10% of the table)


@pytest.fixture
def on_postgresql(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's planner keeps no statistics of this kind")
    if db.session.execute(text("SHOW server_version_num")).scalar_one() < "150000":
        pytest.skip("pg_stat_force_next_flush needs PostgreSQL 15")


def venues_filled_in_bulk():
    """FILLED venues in one transaction, so on one server process: the rows it changed are
    counted in the background, and asked to, before the COMMIT's answer comes back."""
    db.session.add_all(
        Venue(name=f"Hall {n}", kind=VenueKind.LIBRARY, address="High Street", postcode="CM14 4BP")
        for n in range(FILLED)
    )
    db.session.flush()
    db.session.execute(text("SELECT pg_stat_force_next_flush()"))
    db.session.commit()


def rows_the_planner_expects(table: str) -> float:
    return db.session.execute(
        text("SELECT reltuples FROM pg_class WHERE relname = :table"), {"table": table}
    ).scalar_one()


def test_a_table_filled_since_its_statistics_were_gathered_is_stale(on_postgresql):
    venues_filled_in_bulk()

    assert "venues" in stale_tables()


def test_refreshing_analyzes_the_stale_table_so_the_planner_knows_its_rows(on_postgresql):
    venues_filled_in_bulk()

    analyzed = refresh_statistics()

    assert "venues" in analyzed
    assert rows_the_planner_expects("venues") >= FILLED
    assert "venues" not in stale_tables()


def test_only_the_apps_own_tables_are_listed(on_postgresql):
    db.session.execute(text("CREATE TABLE IF NOT EXISTS someone_elses (n integer)"))
    db.session.execute(text("INSERT INTO someone_elses SELECT generate_series(1, 500)"))
    db.session.commit()
    try:
        assert "someone_elses" not in stale_tables()
    finally:
        db.session.execute(text("DROP TABLE someone_elses"))
        db.session.commit()


def test_sqlite_has_nothing_to_refresh(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    make_venue()

    assert refresh_statistics() == []


def test_a_database_that_cannot_be_reached_leaves_statistics_as_they_were(monkeypatch, caplog):
    def unreachable():
        raise OperationalError("SELECT relname", {}, Exception("server closed the connection"))

    monkeypatch.setattr(statistics, "stale_tables", unreachable)

    with caplog.at_level(logging.WARNING, logger=statistics.__name__):
        assert refresh_statistics() == []
    assert "planner statistics not refreshed: OperationalError" in caplog.text


def test_the_command_names_the_tables_it_analyzed_then_finds_them_up_to_date(app, on_postgresql):
    venues_filled_in_bulk()

    first = app.test_cli_runner().invoke(args=["refresh-statistics"])
    again = app.test_cli_runner().invoke(args=["refresh-statistics"])

    assert first.exit_code == 0
    assert "Planner statistics gathered for" in first.output
    assert "venues" in first.output
    assert "venues" not in again.output


def test_the_command_says_why_when_it_cannot_gather_them(app, on_postgresql, monkeypatch):
    def refused():
        raise OperationalError("ANALYZE", {}, Exception("must be owner of table venues"))

    monkeypatch.setattr(statistics, "stale_tables", refused)

    result = app.test_cli_runner().invoke(args=["refresh-statistics"])

    assert result.exit_code == 1
    assert "Statistics not gathered" in result.output
    assert "must be owner of table venues" in result.output


def test_the_command_on_sqlite_says_there_is_nothing_to_do(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")

    result = app.test_cli_runner().invoke(args=["refresh-statistics"])

    assert result.exit_code == 0
    assert "Nothing to do" in result.output


def test_a_table_locked_by_another_leaves_only_that_table_for_next_time(on_postgresql, monkeypatch):
    venues_filled_in_bulk()
    monkeypatch.setattr(statistics, "LOCK_WAIT", "50ms")
    with db.engine.connect() as holder:
        # The lock a VACUUM (or an index built concurrently) holds.
        holder.execute(text("LOCK TABLE venues IN SHARE UPDATE EXCLUSIVE MODE"))

        analyzed = analyze_stale_tables()

        holder.rollback()
    assert "venues" not in analyzed
    assert "venues" in stale_tables()


def test_a_schema_change_under_way_makes_the_check_give_up_soon_not_hang(
    on_postgresql, monkeypatch, caplog
):
    db.session.execute(text("DROP TABLE IF EXISTS being_migrated"))  # left by a run cut short
    db.session.execute(text("CREATE TABLE being_migrated AS SELECT generate_series(1, 10) AS n"))
    db.session.commit()
    monkeypatch.setattr(statistics, "LOCK_WAIT", "50ms")
    try:
        with db.engine.connect() as migration:
            migration.execute(text("LOCK TABLE being_migrated IN ACCESS EXCLUSIVE MODE"))

            with caplog.at_level(logging.WARNING, logger=statistics.__name__):
                analyzed = refresh_statistics()

            migration.rollback()
    finally:
        db.session.execute(text("DROP TABLE being_migrated"))
        db.session.commit()
    assert analyzed == []
    assert "planner statistics not refreshed: OperationalError" in caplog.text


def test_the_server_gathers_them_before_its_workers_start(app, on_postgresql):
    venues_filled_in_bulk()

    analyzed = refresh_planner_statistics(app)  # gunicorn.conf.py's when_ready

    assert "venues" in analyzed
    assert rows_the_planner_expects("venues") >= FILLED
