"""A worker keeps a feed audience's revisions between builds and reads them again only when
their generation has moved (another process wrote some) or the database is another one (a
restore gives it a new epoch): a rebuild after one change then reads a generation, not every
revision."""

import pytest
from factories import make_event
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import text

from csp_events.changes.services import start_new_epoch
from csp_events.extensions import db
from csp_events.feeds import revisions

FEED = "/feeds/public.ics"


@pytest.fixture
def revision_reads(monkeypatch):
    """How many times the revisions themselves were read (not their generation)."""
    monkeypatch.setattr(revisions, "KEEP_FROM", 1)
    monkeypatch.setattr(revisions, "_kept", type(revisions._kept)(maxsize=64))
    reads = []

    def note(_conn, _cursor, statement, *_args):
        if "feed_item_revisions.content_hash" in statement and statement.startswith("SELECT"):
            reads.append(statement)

    sqlalchemy_event.listen(db.engine, "before_cursor_execute", note)
    yield reads
    sqlalchemy_event.remove(db.engine, "before_cursor_execute", note)


def test_a_rebuild_after_one_change_does_not_read_every_revision_again(client, revision_reads):
    popup = make_event(title="Library pop-up")
    speedwatch = make_event(title="Speedwatch")
    client.get(FEED)
    speedwatch.title = "Speedwatch on Hutton Road"
    db.session.commit()
    client.get(FEED)  # the first rebuild reads them, and keeps them from then on
    revision_reads.clear()
    popup.title = "Library pop-up, moved indoors"
    db.session.commit()

    body = client.get(FEED).get_data()

    assert b"moved indoors" in body
    assert revision_reads == []


def test_revisions_another_process_wrote_are_read_again(client, revision_reads):
    make_event(title="Library pop-up")
    client.get(FEED)
    revisions.load_revisions("public")  # kept
    db.session.commit()
    with db.engine.begin() as elsewhere:  # as another worker's build writes them
        elsewhere.execute(text("UPDATE feed_item_revisions SET sequence = sequence + 5"))
        elsewhere.execute(text("UPDATE feed_revision_generations SET generation = generation + 1"))
    revision_reads.clear()

    stored = revisions.load_revisions("public")

    assert len(revision_reads) == 1
    assert [r.sequence for r in stored.values()] == [5]


def test_a_restored_database_has_its_revisions_read_again(client, revision_reads):
    make_event(title="Library pop-up")
    client.get(FEED)
    revisions.load_revisions("public")
    start_new_epoch("restored from a backup")
    revision_reads.clear()

    revisions.load_revisions("public")

    assert len(revision_reads) == 1
