"""A worker keeps a feed audience's revisions between builds: it reads only the rows written
since the generation it holds when another process wrote some, and all of them again only when
the database is another one (a restore gives it a new epoch): a rebuild after one change then
reads a generation and a row or two, not every revision."""

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
    """Each read of the revisions themselves (not their generation): "all", or "since" for
    only the rows written after a generation."""
    monkeypatch.setattr(revisions, "KEEP_FROM", 1)
    monkeypatch.setattr(revisions, "_kept", type(revisions._kept)(maxsize=64))
    reads = []

    def note(_conn, _cursor, statement, *_args):
        if "feed_item_revisions.content_hash" in statement and statement.startswith("SELECT"):
            reads.append("since" if "generation >" in statement else "all")

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


def _written_elsewhere(change: str, where: str = "1 = 1") -> None:
    """As another worker's build writes revisions: one more generation, and the rows it
    writes name it."""
    with db.engine.begin() as elsewhere:
        elsewhere.execute(text("UPDATE feed_revision_generations SET generation = generation + 1"))
        elsewhere.execute(
            text(
                f"UPDATE feed_item_revisions SET {change}, "
                f"generation = (SELECT generation FROM feed_revision_generations) WHERE {where}"
            )
        )


def test_only_the_revisions_another_process_wrote_since_are_read_again(client, revision_reads):
    make_event(title="Library pop-up")
    make_event(title="Speedwatch")
    client.get(FEED)
    before = revisions.load_revisions("public")  # kept
    db.session.commit()
    _written_elsewhere(
        "sequence = sequence + 5", "uid = (SELECT min(uid) FROM feed_item_revisions)"
    )
    revision_reads.clear()

    stored = revisions.load_revisions("public")

    assert revision_reads == ["since"]
    changed = min(before)
    assert stored[changed].sequence == before[changed].sequence + 5
    assert {k: v for k, v in stored.items() if k != changed} == {
        k: v for k, v in before.items() if k != changed
    }


def test_a_feed_built_where_another_process_wrote_last_shows_its_revisions(client, revision_reads):
    popup = make_event(title="Library pop-up")
    client.get(FEED)
    revisions.load_revisions("public")
    db.session.commit()
    _written_elsewhere("sequence = 7")
    popup.title = "Library pop-up, moved indoors"
    db.session.commit()
    revision_reads.clear()

    body = client.get(FEED).get_data(as_text=True)

    assert revision_reads == ["since"]
    assert "moved indoors" in body
    assert "SEQUENCE:8" in body


def test_a_restored_database_has_its_revisions_read_again(client, revision_reads):
    make_event(title="Library pop-up")
    client.get(FEED)
    revisions.load_revisions("public")
    start_new_epoch("restored from a backup")
    revision_reads.clear()

    revisions.load_revisions("public")

    assert revision_reads == ["all"]


def test_revisions_written_behind_the_generations_back_are_read_again_in_full(
    client, revision_reads
):
    popup = make_event(title="Library pop-up")
    client.get(FEED)
    revisions.load_revisions("public")
    db.session.commit()
    with db.engine.begin() as elsewhere:  # no generation moved: what this process keeps is wrong
        elsewhere.execute(text("UPDATE feed_item_revisions SET sequence = 7"))
    popup.title = "Library pop-up, moved indoors"
    db.session.commit()
    revision_reads.clear()

    body = client.get(FEED).get_data(as_text=True)

    assert revision_reads == ["all"]
    assert "SEQUENCE:8" in body
