"""What a changed session's email says changed: the time (its end too), the place, or both."""

from datetime import UTC, datetime

import pytest

from csp_events.notices.enums import NoticeKind
from csp_events.notices.rules import NoticeFacts, wording
from csp_events.templating import local_span


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        # Winter: UK time is UTC.
        (datetime(2026, 12, 24, 10, tzinfo=UTC), datetime(2026, 12, 24, 12, tzinfo=UTC),
         "Thu 24 Dec 2026, 10:00 to 12:00"),
        # Summer: an hour ahead of UTC.
        (datetime(2027, 6, 1, 17, tzinfo=UTC), datetime(2027, 6, 1, 19, tzinfo=UTC),
         "Tue 1 Jun 2027, 18:00 to 20:00"),
        # Past midnight: the end's day is named.
        (datetime(2026, 12, 31, 22, tzinfo=UTC), datetime(2027, 1, 1, 1, tzinfo=UTC),
         "Thu 31 Dec 2026, 22:00 to Fri 1 Jan 2027, 01:00"),
    ],
)  # fmt: skip
def test_a_session_is_shown_from_its_start_to_its_end_in_uk_time(start, end, shown):
    assert local_span(start, end) == shown


def _moved(**facts) -> list[str]:
    base = {"summary": "Roadshow", "when": "Thu 24 Dec 2026, 10:00", "place": "Library"}
    return wording(NoticeKind.SESSION_MOVED, NoticeFacts(**(base | facts))).lines


def test_a_later_end_alone_is_named_as_the_change():
    lines = _moved(
        span="Thu 24 Dec 2026, 10:00 to 13:00",
        was_when="Thu 24 Dec 2026, 10:00",
        was_span="Thu 24 Dec 2026, 10:00 to 12:00",
    )
    assert (
        "It was: Thu 24 Dec 2026, 10:00 to 12:00. It is now: Thu 24 Dec 2026, 10:00 to 13:00."
        in lines
    )


def test_a_new_place_alone_says_nothing_of_the_time():
    same = "Thu 24 Dec 2026, 10:00 to 12:00"
    lines = _moved(span=same, was_span=same, was_when="Thu 24 Dec 2026, 10:00", was_place="Hall")
    assert lines == [
        "The details of a session you are part of have changed.",
        "It was at: Hall. It is now at: Library.",
    ]


def test_a_notice_queued_before_end_times_were_kept_still_names_a_new_start():
    lines = _moved(span="Thu 24 Dec 2026, 11:00 to 13:00", was_when="Thu 24 Dec 2026, 09:00")
    assert "It was: Thu 24 Dec 2026, 09:00. It is now: Thu 24 Dec 2026, 10:00." in lines
