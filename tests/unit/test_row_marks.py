"""How a feed's row memo keeps each row's mark (feeds/row_reuse.mark_kept)."""

from csp_events.feeds.row_reuse import MARK_KEPT_WHOLE_UP_TO, mark_digest, mark_kept

POSTGRESQL_MARK = "2026-12-04 17:59:32.69594+00|734|730|~"  # server start, row versions
SQLITE_MARK = "|".join(["Community safety pop-up", "2027-01-12 10:00", "Brentwood Library"] * 4)


def test_a_short_mark_is_kept_as_it_is_so_no_row_is_hashed():
    assert mark_kept(POSTGRESQL_MARK) == POSTGRESQL_MARK


def test_a_long_mark_is_kept_as_its_digest():
    assert len(SQLITE_MARK) > MARK_KEPT_WHOLE_UP_TO
    assert mark_kept(SQLITE_MARK) == mark_digest(SQLITE_MARK)


def test_a_kept_text_is_never_taken_for_a_kept_digest():
    digest = mark_kept(SQLITE_MARK)
    as_text = digest.hex()[:MARK_KEPT_WHOLE_UP_TO]

    assert mark_kept(as_text) != digest


def test_a_changed_mark_of_either_length_is_told_apart():
    assert mark_kept(POSTGRESQL_MARK.replace("734", "735")) != mark_kept(POSTGRESQL_MARK)
    assert mark_kept(SQLITE_MARK + "x") != mark_kept(SQLITE_MARK)
