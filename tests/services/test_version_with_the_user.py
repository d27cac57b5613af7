"""The change log's version read in the same round trip as the signed-in user: a page that
must show the latest version (the dashboard) asks for no query of its own, the version holds
until the transaction it was read in ends, and this process's memo learns it."""

import pytest
from conftest import login_as
from factories import make_coordinator, make_user
from sqlalchemy import event as sa_event
from sqlalchemy import insert

from csp_events.auth.models import User
from csp_events.changes.models import ChangeRecord
from csp_events.changes.services import (
    memo,
    read_version,
    remembered_version,
    with_version,
)
from csp_events.extensions import db
from csp_events.places.models import Venue
from csp_events.places.vocabulary import VenueKind

pytestmark = pytest.mark.usefixtures("app_context")


class Statements(list):
    def __call__(self, _conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
            self.append(statement)


@pytest.fixture
def statements():
    seen = Statements()
    sa_event.listen(db.engine, "before_cursor_execute", seen)
    yield seen
    sa_event.remove(db.engine, "before_cursor_execute", seen)


def committed_by_another_worker():
    """A change another process made: straight to the database, so nothing here hears of it."""
    with db.engine.begin() as connection:
        connection.execute(insert(ChangeRecord).values(tables="events", detail="elsewhere"))


@pytest.fixture
def person_id():
    """A person's id, in a database whose change log has its epoch; nothing left uncommitted."""
    made = make_user().id
    read_version()
    db.session.commit()
    return made


def user_and_version(person_id: int):
    return with_version(db.select(User).where(User.id == person_id))


def test_the_user_comes_with_the_version_and_the_version_is_not_read_again(person_id, statements):
    expected = read_version()
    db.session.commit()
    statements.clear()

    (found,) = user_and_version(person_id)
    version = read_version()

    assert found.id == person_id
    assert version == expected
    assert len(statements) == 1


def test_the_version_is_read_again_once_the_transaction_ends(person_id, statements):
    user_and_version(person_id)
    before = read_version()
    db.session.commit()
    committed_by_another_worker()

    after = read_version()

    assert after != before
    assert after == read_version()


def test_this_process_remembers_the_version_read_with_the_user(person_id):
    memo.forget()

    user_and_version(person_id)
    remembered = remembered_version()
    db.session.commit()

    assert remembered == read_version()


def test_a_commit_here_while_the_user_is_read_keeps_that_version_out_of_memory(person_id):

    def a_commit_meanwhile(*_args):
        memo.forget()

    sa_event.listen(db.engine, "before_cursor_execute", a_commit_meanwhile)
    try:
        user_and_version(person_id)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", a_commit_meanwhile)

    assert remembered_version() is None


def test_a_transaction_that_has_written_reads_the_version_again(person_id, statements):
    user_and_version(person_id)
    before = read_version()

    db.session.add(Venue(name="Hall", kind=VenueKind.LIBRARY, address="High St", postcode="CM14"))
    db.session.flush()  # written, not yet committed: this transaction sees its own write

    assert read_version() != before


def test_a_rollback_ends_the_noted_version(person_id, statements):
    user_and_version(person_id)
    db.session.rollback()
    statements.clear()

    read_version()

    assert len(statements) == 1


def test_no_such_user_notes_no_version(statements):
    read_version()
    db.session.commit()
    statements.clear()

    assert with_version(db.select(User).where(User.id == 999_999)) is None
    read_version()

    assert len(statements) == 2


def test_the_dashboard_seen_again_costs_one_statement_for_user_and_version(client, statements):
    login_as(client, make_coordinator())
    assert client.get("/dashboard").status_code == 200
    statements.clear()

    assert client.get("/dashboard").status_code == 200

    assert len(statements) == 1
    assert "users" in statements[0] and "change_records" in statements[0]


def test_another_workers_change_makes_the_next_dashboard_view_read_its_facts_again(
    client, monkeypatch
):
    from csp_events.dashboard import snapshot

    reads = []
    real = snapshot.read_snapshot
    monkeypatch.setattr(snapshot, "read_snapshot", lambda *a: reads.append(1) or real(*a))
    login_as(client, make_coordinator())
    client.get("/dashboard")
    client.get("/dashboard")
    assert len(reads) == 1
    committed_by_another_worker()

    assert client.get("/dashboard").status_code == 200

    assert len(reads) == 2
    assert remembered_version() == read_version()
