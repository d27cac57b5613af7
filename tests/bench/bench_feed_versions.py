"""The feeds' version check (is anything new since the client's copy?) costs the same at 1,000
and at 10,000 events: it reads the change log's newest id and size, never the events.

Printed: the median time of one uncached version read at each size, their ratio (aim: about
1.0, i.e. flat), and the same for a 304 poll through the app, on SQLite and on PostgreSQL when
it answers.
"""

import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from csp_events import create_app

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SIZES = (1_000, 10_000)
ROUNDS = 5


def seed(events: int) -> None:
    """Events written 10 to a commit, as a busy partnership would: the change log grows too."""
    from csp_events.changes.services import prune
    from csp_events.events.models import Event
    from csp_events.events.vocabulary import EventKind
    from csp_events.extensions import db
    from csp_events.places.models import Venue
    from csp_events.places.vocabulary import VenueKind
    from csp_events.timezones import utcnow

    venue = Venue(name="Library", kind=VenueKind.LIBRARY, address="High St", postcode="CM14 4AB")
    db.session.add(venue)
    start = utcnow() + timedelta(days=1)
    for n in range(events):
        begins = start + timedelta(hours=3 * n)
        db.session.add(
            Event(
                title=f"Pop-up {n}",
                kind=EventKind.POP_UP,
                starts_at=begins,
                ends_at=begins + timedelta(hours=2),
                venue=venue,
            )
        )
        if n % 10 == 9:
            db.session.commit()
    db.session.commit()
    prune()  # as `flask send-reminders` does every few minutes


def median_seconds(call, repeat: int = 200) -> float:
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def measure(url: str, folder: str, events: int) -> tuple[float, float]:
    from csp_events.changes.services import read_version
    from csp_events.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": folder})
    with app.app_context():
        db.drop_all()
        db.create_all()
        seed(events)
        version = median_seconds(read_version)
    client = app.test_client()
    etag = client.get("/feeds/public.ics").headers["ETag"]
    poll = median_seconds(
        lambda: client.get("/feeds/public.ics", headers={"If-None-Match": etag}), repeat=100
    )
    with app.app_context():
        db.drop_all()
        db.engine.dispose()
    return version, poll


def engines(folder: str):
    yield "SQLite", f"sqlite:///{folder}/bench.sqlite", None
    try:
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        name = f"bench_versions_{uuid.uuid4().hex[:8]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # no PostgreSQL here: say so and go on
        print(f"PostgreSQL not measured: {error.__class__.__name__}")
        return
    yield "PostgreSQL", PG_ADMIN.rsplit("/", 1)[0] + f"/{name}", (admin, name)


def main() -> None:
    folder = tempfile.mkdtemp()
    print("Feed version check, 1,000 vs 10,000 events (median of rounds; aim: ratio ~1.0)")
    for engine, url, cleanup in engines(folder):
        results = {size: [] for size in SIZES}
        for _ in range(ROUNDS):
            for size in SIZES:  # interleaved, so drift in the machine hits both sizes
                results[size].append(measure(url, folder, size))
        version = {s: statistics.median(r[0] for r in results[s]) for s in SIZES}
        poll = {s: statistics.median(r[1] for r in results[s]) for s in SIZES}
        small, large = SIZES
        print(
            f"  {engine:<10} version read {version[small] * 1e6:7.1f} µs -> "
            f"{version[large] * 1e6:7.1f} µs (x{version[large] / version[small]:.2f}); "
            f"304 poll {poll[small] * 1e3:6.2f} ms -> {poll[large] * 1e3:6.2f} ms "
            f"(x{poll[large] / poll[small]:.2f})"
        )
        if cleanup:
            admin, name = cleanup
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
