"""Feed speed, as ratios measured in one run (so the machine's speed cancels out).

1. Building the public feed of 1,000 events from cold, against serialising the same events with
   the icalendar library alone (aim: at most 1.5x).
2. A repeated full GET of the unchanged feed, against a trivial route served the same way
   (aim: at least 0.3x).
3. The 304 path (If-None-Match), against the trivial route (aim: at least 0.5x).
"""

import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from icalendar import Calendar, Event

from csp_events import create_app
from csp_events.access import public

EVENTS = 1000


def seed(app, events: int = EVENTS, spacing: timedelta = timedelta(hours=9)) -> None:
    """`events` public pop-ups, one every `spacing` from tomorrow, at ten library venues."""
    from csp_events.events.models import Event as EventRow
    from csp_events.events.vocabulary import EventKind
    from csp_events.extensions import db
    from csp_events.places.models import Venue
    from csp_events.places.vocabulary import VenueKind
    from csp_events.timezones import utcnow

    with app.app_context():
        db.create_all()
        venues = [
            Venue(
                name=f"Venue {n}",
                kind=VenueKind.LIBRARY,
                address="High Street, Brentwood",
                postcode="CM14 4AB",
            )
            for n in range(10)
        ]
        db.session.add_all(venues)
        start = utcnow() + timedelta(days=1)
        for n in range(events):
            begins = start + spacing * n
            db.session.add(
                EventRow(
                    title=f"Community safety pop-up {n}",
                    kind=EventKind.POP_UP,
                    starts_at=begins,
                    ends_at=begins + timedelta(hours=2),
                    venue=venues[n % 10],
                    is_public=True,
                )
            )
        db.session.commit()


def per_second(call, seconds: float = 2.0) -> float:
    count, began = 0, time.perf_counter()
    while time.perf_counter() - began < seconds:
        call()
        count += 1
    return count / (time.perf_counter() - began)


def timed(call, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - began)
    return best


def main() -> None:
    from csp_events.extensions import db
    from csp_events.feeds import feed_items
    from csp_events.feeds.ical import CalendarInfo, build_calendar
    from csp_events.timezones import utcnow

    folder = tempfile.mkdtemp()
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite", "INSTANCE_PATH": folder}
    )
    app.add_url_rule("/bench-trivial", "bench_trivial", public(lambda: "ok"))
    seed(app)

    with app.test_request_context("/feeds/public.ics", base_url="http://bench.local"):
        now = utcnow()

        def ours() -> bytes:
            db.session.expire_all()
            items = feed_items.public_feed(
                [], None, now, "bench.local", lambda e: f"http://bench.local/events/{e.id}"
            ).all_items()
            return build_calendar(CalendarInfo("Bench", "Bench"), items)

        items = feed_items.public_feed(
            [], None, now, "bench.local", lambda e: f"http://bench.local/events/{e.id}"
        ).all_items()

        def library_alone() -> bytes:
            calendar = Calendar()
            calendar.add("prodid", "-//bench//EN")
            calendar.add("version", "2.0")
            for item in items:
                event = Event()
                for name, value in (
                    ("uid", item.uid),
                    ("dtstamp", item.stamp),
                    ("dtstart", item.starts_at),
                    ("dtend", item.ends_at),
                    ("summary", item.summary),
                    ("location", item.location),
                    ("url", item.url),
                    ("last-modified", item.last_modified),
                    ("sequence", item.sequence),
                    ("status", "CONFIRMED"),
                    ("categories", item.categories),
                    ("description", item.description),
                ):
                    event.add(name, value)
                calendar.add_component(event)
            return calendar.to_ical()

        cold, alone = timed(ours), timed(library_alone)

    client = app.test_client()
    first = client.get("/feeds/public.ics")
    etag = first.headers["ETag"]
    trivial = per_second(lambda: client.get("/bench-trivial"))
    full = per_second(lambda: client.get("/feeds/public.ics"))
    conditional = per_second(
        lambda: client.get("/feeds/public.ics", headers={"If-None-Match": etag})
    )

    print(f"Feed benchmark ({EVENTS} public events, {len(first.get_data()) // 1024} KiB feed)")
    print(
        f"  build from cold {cold * 1000:7.1f} ms; icalendar alone {alone * 1000:7.1f} ms; "
        f"ratio {cold / alone:4.2f}x (aim <= 1.5x)"
    )
    print(f"  trivial route   {trivial:7.0f} req/s")
    print(
        f"  unchanged feed  {full:7.0f} req/s; "
        f"ratio to trivial {full / trivial:4.2f}x (aim >= 0.3x)"
    )
    print(
        f"  304 path        {conditional:7.0f} req/s; "
        f"ratio to trivial {conditional / trivial:4.2f}x (aim >= 0.5x)"
    )


if __name__ == "__main__":
    main()
