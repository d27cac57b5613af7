"""Rules of the public listing: 'this week' and 'this month' on the London calendar, map
links, what to expect, and when an event counts as moved."""

from datetime import UTC, datetime, time

import pytest
from werkzeug.datastructures import MultiDict

from csp_events.events.vocabulary import EventKind, EventStatus, Theme
from csp_events.timezones import LONDON
from csp_events.whatson.listing import Period, PublicStatus, lenient_filter, public_status
from csp_events.whatson.rules import map_link, period_end, period_window, what_to_expect


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("now", "period", "end"),
    [
        # A Wednesday: the week runs to the midnight after Sunday.
        (london(2026, 12, 2, 9), Period.THIS_WEEK, london(2026, 12, 7)),
        # Sunday evening is still this week; Monday morning starts the next.
        (london(2026, 12, 6, 23, 30), Period.THIS_WEEK, london(2026, 12, 7)),
        (london(2026, 12, 7, 0, 1), Period.THIS_WEEK, london(2026, 12, 14)),
        # Late on Sunday in UTC terms but already Monday in London (BST).
        (datetime(2026, 6, 7, 23, 30, tzinfo=UTC), Period.THIS_WEEK, london(2026, 6, 15)),
        (london(2026, 12, 2, 9), Period.THIS_MONTH, london(2027, 1, 1)),
        (london(2027, 2, 28, 22), Period.THIS_MONTH, london(2027, 3, 1)),
        (london(2028, 2, 29, 12), Period.THIS_MONTH, london(2028, 3, 1)),
        # The clocks go back in the last week of October: the end is still London midnight.
        (london(2026, 10, 20, 12), Period.THIS_MONTH, london(2026, 11, 1)),
        (london(2026, 3, 25, 12), Period.THIS_WEEK, london(2026, 3, 30)),
    ],
)
def test_this_week_and_this_month_end_at_london_midnight(now, period, end):
    assert period_end(period, now) == end
    assert period_end(period, now).utcoffset() == end.utcoffset()


def test_any_time_has_no_end():
    assert period_end(Period.ALL, london(2026, 12, 2, 9)) is None


def test_the_map_link_is_a_plain_openstreetmap_address_only_when_both_coordinates_are_known():
    assert map_link(51.62141, 0.30533) == (
        "https://www.openstreetmap.org/?mlat=51.62141&mlon=0.30533#map=17/51.62141/0.30533"
    )
    assert map_link(None, 0.3) == "" and map_link(51.6, None) == ""


def test_what_to_expect_comes_from_kind_and_theme_only():
    text = what_to_expect(EventKind.ROADSHOW, Theme.ROGUE_TRADERS)
    assert text.startswith("Stands from the police") and text.endswith("rogue traders.")
    assert "focuses" not in what_to_expect(EventKind.SURGERY, Theme.GENERAL)
    assert what_to_expect(EventKind.HOME_VISIT, None) == ""


@pytest.mark.parametrize(
    ("status", "original", "expected"),
    [
        (EventStatus.PLANNED, None, PublicStatus.SCHEDULED),
        (EventStatus.CONFIRMED, datetime(2026, 12, 8, 10, tzinfo=UTC), PublicStatus.SCHEDULED),
        (EventStatus.PLANNED, datetime(2026, 12, 1, 10, tzinfo=UTC), PublicStatus.RESCHEDULED),
        (EventStatus.CANCELLED, datetime(2026, 12, 1, 10, tzinfo=UTC), PublicStatus.CANCELLED),
    ],
)
def test_a_moved_occurrence_is_rescheduled_and_cancelled_wins(status, original, expected):
    assert public_status(status, datetime(2026, 12, 8, 10, tzinfo=UTC), original) == expected


def test_a_web_page_filter_leaves_out_what_it_cannot_understand():
    args = MultiDict(
        [
            ("kind", "surgery"),
            ("kind", "home_visit"),
            ("theme", "scams"),
            ("theme", "nonsense"),
            ("venue", "99999999999"),
            ("ward", "Atlantis"),
            ("when", "this_week"),
        ]
    )
    found = lenient_filter(args.getlist, args.get, 2**31 - 1)
    assert found.kinds == (EventKind.SURGERY,) and found.themes == (Theme.SCAMS,)
    assert found.venue_id is None and found.ward == "" and found.period == Period.THIS_WEEK
    assert found.query_args() == {"kind": ["surgery"], "theme": ["scams"], "when": "this_week"}


@pytest.mark.parametrize(
    ("now", "period", "window"),
    [
        # Wednesday 2 December 2026: next week is Monday 7 to Sunday 13 December.
        (london(2026, 12, 2, 9), Period.NEXT_WEEK, (london(2026, 12, 7), london(2026, 12, 14))),
        # On a Sunday night, next week still starts the following day.
        (london(2026, 12, 6, 23), Period.NEXT_WEEK, (london(2026, 12, 7), london(2026, 12, 14))),
        (london(2026, 12, 2, 9), Period.NEXT_MONTH, (london(2027, 1, 1), london(2027, 2, 1))),
        (london(2027, 1, 31, 22), Period.NEXT_MONTH, (london(2027, 2, 1), london(2027, 3, 1))),
        # Across the clocks going forward (29 March 2026): both ends at local midnight.
        (london(2026, 3, 20, 12), Period.NEXT_WEEK, (london(2026, 3, 23), london(2026, 3, 30))),
        (london(2026, 3, 2, 12), Period.THIS_MONTH, (None, london(2026, 4, 1))),
    ],
)
def test_next_week_and_next_month_run_between_london_midnights(now, period, window):
    assert period_window(period, now) == window
    for end in window:
        if end is not None:
            assert end.astimezone(LONDON).time() == time(0)


def test_any_time_has_no_window():
    assert period_window(Period.ALL, london(2026, 12, 2, 9)) == (None, None)
