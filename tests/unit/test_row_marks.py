"""How a feed's row memo keeps each row's mark (feeds/row_reuse.mark_kept), and how a rebuild
compares rows with it (row_reuse.split)."""

import marshal
from datetime import UTC, datetime

from csp_events.feeds.event_rows import RowMark
from csp_events.feeds.feed_content import FeedContent
from csp_events.feeds.revisions import Revision
from csp_events.feeds.row_reuse import (
    MARK_KEPT_WHOLE_UP_TO,
    mark_digest,
    mark_kept,
    revision_values,
    split,
)

POSTGRESQL_MARK = "2026-12-04 17:59:32.69594+00|734|730|~"  # server start, row versions
SQLITE_MARK = "|".join(["Community safety pop-up", "2027-01-12 10:00", "Brentwood Library"] * 4)


def test_a_short_mark_is_kept_as_it_is_so_no_row_is_hashed():
    assert mark_kept(POSTGRESQL_MARK) == POSTGRESQL_MARK


def test_a_long_mark_is_kept_as_its_digest():
    assert len(SQLITE_MARK) > MARK_KEPT_WHOLE_UP_TO
    assert mark_kept(SQLITE_MARK) == mark_digest(SQLITE_MARK)


def test_a_changed_mark_of_either_length_is_told_apart():
    assert mark_kept(POSTGRESQL_MARK.replace("734", "735")) != mark_kept(POSTGRESQL_MARK)
    assert mark_kept(SQLITE_MARK + "x") != mark_kept(SQLITE_MARK)


UID = "event-1@csp.test"
REVISION = Revision("3f2a", 0, datetime(2026, 12, 4, 9, 30, tzinfo=UTC))


def split_one_row(mark: str, memo_mark: str | bytes):
    """One row with `mark`, against a memo (shared with marshal, as workers share it) whose
    entry for the row holds `memo_mark`, the same revision and a known fragment."""
    memo = {
        UID: (memo_mark, revision_values(REVISION), "fragment", REVISION.modified_at.timestamp())
    }
    content = FeedContent([RowMark(1, mark)], [], rows_of=lambda ids: [], uid_of=lambda _id: UID)
    known = {"fragment": b"BEGIN:VEVENT\r\nEND:VEVENT\r\n"}
    return split(
        "public", content, marshal.loads(marshal.dumps(memo)), {(UID, ""): REVISION}, known
    )


def test_a_row_whose_mark_is_the_kept_one_keeps_its_fragment():
    for mark in (POSTGRESQL_MARK, SQLITE_MARK):
        rows = split_one_row(mark, mark_kept(mark))

        assert [kept.key for kept in rows.kept] == ["fragment"] and rows.fresh_marks == {}


def test_a_row_kept_in_the_other_form_is_made_again_never_kept_wrongly():
    """A short mark once kept as its digest (an earlier layout) is not the mark as it is."""
    rows = split_one_row(POSTGRESQL_MARK, mark_digest(POSTGRESQL_MARK))

    assert rows.kept == [] and rows.fresh_marks == {UID: POSTGRESQL_MARK}


def test_a_row_whose_mark_changed_is_made_again():
    rows = split_one_row(POSTGRESQL_MARK.replace("734", "735"), mark_kept(POSTGRESQL_MARK))

    assert rows.kept == [] and list(rows.fresh_marks) == [UID]
