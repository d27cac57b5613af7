"""A feed build records what it found (new revisions, and when the body last changed for
Last-Modified) in one short write transaction, and none when nothing moved."""

import pytest
from factories import make_event
from sqlalchemy import event as sqlalchemy_event

from csp_events.changes.services import memo
from csp_events.extensions import db

FEED = "/feeds/public.ics"
WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def write_transactions():
    """How many committed transactions wrote anything (the change log's own writes aside)."""
    wrote, committed = set(), []

    def note(conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith(WRITES) and "change_records" not in statement:
            wrote.add(id(conn.connection.dbapi_connection))

    def commit(conn):
        dbapi = id(conn.connection.dbapi_connection)
        if dbapi in wrote:
            wrote.discard(dbapi)
            committed.append(1)

    sqlalchemy_event.listen(db.engine, "before_cursor_execute", note)
    sqlalchemy_event.listen(db.engine, "commit", commit)
    yield committed
    sqlalchemy_event.remove(db.engine, "before_cursor_execute", note)
    sqlalchemy_event.remove(db.engine, "commit", commit)


def test_a_rebuild_after_one_change_writes_its_revision_and_last_modified_at_once(
    client, write_transactions
):
    popup = make_event(title="Library pop-up")
    make_event(title="Speedwatch")
    first = client.get(FEED)
    popup.title = "Library pop-up, moved indoors"
    db.session.commit()
    write_transactions.clear()

    again = client.get(FEED)

    assert b"moved indoors" in again.get_data()
    assert b"SEQUENCE:1" in again.get_data()
    assert again.last_modified > first.last_modified
    assert len(write_transactions) == 1


def test_a_feed_built_again_with_nothing_new_to_show_writes_nothing(client, write_transactions):
    make_event(title="Library pop-up")
    first = client.get(FEED)
    make_event(title="Private planning meeting", is_public=False)  # a new version, same body
    memo.forget()
    write_transactions.clear()

    again = client.get(FEED)

    assert again.get_data() == first.get_data()
    assert again.headers["Last-Modified"] == first.headers["Last-Modified"]
    assert write_transactions == []
