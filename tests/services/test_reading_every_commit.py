"""Before a feed build reads, it must see every commit made so far: on PostgreSQL the open
transaction already does (READ COMMITTED) and is kept, saving its COMMIT and BEGIN; anywhere
a transaction reads from one snapshot, or once it has written, it ends."""

import pytest
from factories import make_venue
from sqlalchemy import text

from csp_events.database import read_every_commit_so_far
from csp_events.extensions import db
from csp_events.places.models import Venue

pytestmark = pytest.mark.usefixtures("app_context")


def _renamed_by_another_connection(venue_id: int, name: str) -> None:
    with db.engine.begin() as other:
        other.execute(
            text("UPDATE venues SET name = :name WHERE id = :id"), {"name": name, "id": venue_id}
        )


@pytest.fixture
def venue_id() -> int:
    return make_venue("Brentwood library").id


@pytest.fixture
def on_postgresql(app_context):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite reads from one snapshot: the transaction must end")


@pytest.mark.usefixtures("on_postgresql")
def test_an_object_read_before_shows_a_commit_made_elsewhere_since(venue_id):
    venue = db.session.get(Venue, venue_id)
    _renamed_by_another_connection(venue_id, "Brentwood town hall")

    read_every_commit_so_far()

    assert venue.name == "Brentwood town hall"


@pytest.mark.usefixtures("on_postgresql")
def test_on_postgresql_a_transaction_that_has_only_read_stays_open(venue_id):
    db.session.get(Venue, venue_id)
    connection = db.session.connection()

    read_every_commit_so_far()

    assert db.session().in_transaction()
    assert db.session.connection() is connection


def test_on_sqlite_the_transaction_ends(venue_id):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL keeps a transaction that has only read")
    db.session.get(Venue, venue_id)

    read_every_commit_so_far()

    assert not db.session().in_transaction()


def test_a_transaction_that_has_written_is_committed_not_left_open(venue_id):
    db.session.get(Venue, venue_id).name = "Brentwood town hall"
    db.session.flush()

    read_every_commit_so_far()
    db.session.rollback()

    assert db.session.get(Venue, venue_id).name == "Brentwood town hall"


def test_a_change_not_yet_flushed_is_committed_not_lost(venue_id):
    db.session.get(Venue, venue_id).name = "Brentwood town hall"

    read_every_commit_so_far()
    db.session.rollback()

    assert db.session.get(Venue, venue_id).name == "Brentwood town hall"


@pytest.mark.usefixtures("on_postgresql")
def test_a_transaction_that_wrote_past_the_session_is_committed_not_left_open(venue_id):
    db.session.execute(
        text("UPDATE venues SET name = 'Brentwood town hall' WHERE id = :id"), {"id": venue_id}
    )

    read_every_commit_so_far()
    db.session.rollback()

    assert db.session.get(Venue, venue_id).name == "Brentwood town hall"


@pytest.mark.usefixtures("on_postgresql")
def test_a_stricter_isolation_level_ends_the_transaction(venue_id, monkeypatch):
    monkeypatch.setattr(db.engine.dialect, "_on_connect_isolation_level", "REPEATABLE READ")
    db.session.get(Venue, venue_id)

    read_every_commit_so_far()

    assert not db.session().in_transaction()
