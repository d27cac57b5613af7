"""A feed assembled from VEVENT fragments is byte for byte the calendar icalendar writes whole,
and the content hash reads exactly as the one the stored revisions were made with."""

import hashlib
from dataclasses import asdict
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from csp_events.feeds.ical import (
    LONDON_VTIMEZONE,
    CalendarInfo,
    FeedEvent,
    build_calendar,
    vevent,
)
from csp_events.feeds.revisions import content_hash

START = datetime(2027, 3, 28, 0, 30, tzinfo=UTC)  # the night the clocks go forward


def _items() -> list[FeedEvent]:
    plain = FeedEvent(
        uid="event-1@csp.test",
        summary="Pop-up at the library, with a long title that has to be folded " * 2,
        starts_at=START,
        ends_at=START + timedelta(hours=2),
        stamp=START,
        last_modified=START,
    )
    series = FeedEvent(
        uid="series-2@csp.test",
        summary="Surgery – Shenfield",
        starts_at=START + timedelta(days=1),
        ends_at=START + timedelta(days=1, hours=1),
        stamp=START,
        last_modified=START,
        sequence=3,
        location="Hall, Hutton Road, CM13 1AA",
        description="Neighbourhood Watch surgery. Details: https://csp.test/events/2",
        url="https://csp.test/events/2",
        categories=["Neighbourhood Watch surgery", "Burglary"],
        geo=(51.6278, 0.3465),
        rrule="FREQ=MONTHLY;BYDAY=1SA",
        exdates=[START + timedelta(days=36)],
    )
    moved = FeedEvent(
        uid="series-2@csp.test",
        summary="Surgery – moved",
        starts_at=START + timedelta(days=36, hours=3),
        ends_at=START + timedelta(days=36, hours=4),
        stamp=START,
        last_modified=START,
        cancelled=True,
        recurrence_id=START + timedelta(days=36),
    )
    return [plain, series, moved]


def test_a_calendar_assembled_from_fragments_is_the_one_icalendar_writes_whole():
    info = CalendarInfo("Safer Brentwood: all public events", "Community safety events.")
    whole = Calendar()
    for name, value in (
        ("prodid", "-//csp-events//Community Safety Partnership events//EN"),
        ("version", "2.0"),
        ("calscale", "GREGORIAN"),
        ("method", "PUBLISH"),
        ("name", info.name),
        ("x-wr-calname", info.name),
        ("description", info.description),
        ("x-wr-caldesc", info.description),
        ("x-wr-timezone", "Europe/London"),
    ):
        whole.add(name, value)
    whole.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    whole.add("x-published-ttl", "PT6H")
    whole.add_component(LONDON_VTIMEZONE)
    for item in _items():
        whole.add_component(vevent(item))
    assert build_calendar(info, _items()) == whole.to_ical()


@pytest.mark.parametrize("item", _items(), ids=lambda i: i.summary[:12])
def test_the_content_hash_is_the_one_the_stored_revisions_were_made_with(item):
    stamps = ("stamp", "last_modified", "sequence")
    shown = {k: v for k, v in asdict(item).items() if k not in stamps}
    expected = hashlib.sha256(repr(sorted(shown.items())).encode()).hexdigest()[:32]
    assert content_hash(item) == expected
