"""The migrations build the schema the models describe, from an empty database."""

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from csp_events import create_app
from csp_events.extensions import db

PG_URL = os.environ.get("TEST_DATABASE_URL", "")


@pytest.fixture
def empty_database_url(tmp_path):
    if not PG_URL.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    name = f"csp_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield PG_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_migrations_apply_to_an_empty_database_and_match_the_models(empty_database_url, tmp_path):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": empty_database_url, "INSTANCE_PATH": str(tmp_path)}
    )
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        db.engine.dispose()
    assert differences == []


def test_postgresql_itself_refuses_overlapping_bookings_after_migrating(
    empty_database_url, tmp_path
):
    if not empty_database_url.startswith("postgresql"):
        pytest.skip("exclusion constraints exist only on PostgreSQL")
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": empty_database_url, "INSTANCE_PATH": str(tmp_path)}
    )
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            kind = connection.execute(
                text("SELECT contype FROM pg_constraint WHERE conname = 'no_overlapping_bookings'")
            ).scalar()
        db.engine.dispose()
    assert kind == "x"
