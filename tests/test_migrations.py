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


def test_the_referrers_reference_kept_in_clear_is_encrypted_by_its_migration(
    empty_database_url, tmp_path
):
    from flask_migrate import downgrade

    from csp_events.referrals.models import Referral

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": empty_database_url, "INSTANCE_PATH": str(tmp_path)}
    )
    with app.app_context():
        upgrade(revision="0012_availability")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO users (name, email, role, active, session_token, phone, ward,"
                    " organisation, created_at) VALUES ('Pat', 'pat@example.org', 'partner',"
                    " true, 'x', '', '', '', CURRENT_TIMESTAMP)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO referrals (source, referred_by_id, partner_reference,"
                    " postcode_district, status, created_at, details_removed_reason)"
                    " VALUES ('essex_police', 1, 'CAD 4471/24', 'CM15', 'referred',"
                    " CURRENT_TIMESTAMP, '')"
                )
            )
        upgrade()
        stored = db.session.execute(text("SELECT partner_reference FROM referrals")).scalar_one()
        assert "4471" not in stored
        assert db.session.execute(db.select(Referral)).scalar_one().partner_reference == (
            "CAD 4471/24"
        )
        db.session.remove()
        downgrade(revision="0012_availability")
        back = db.session.execute(text("SELECT partner_reference FROM referrals")).scalar_one()
        assert back == "CAD 4471/24"
        db.session.remove()
        db.engine.dispose()
