"""The annual report over 100,000 events and 500,000 item hand-outs, against the same
aggregate as one hand-written SQL statement, on SQLite and PostgreSQL.

The report's figures are every figure of a financial year and of the year before it; the
anchor is one raw statement of the four headline totals (events, people reached, items handed
out, volunteer minutes: the figures the report is checked against) over the same rows, the two
years; also printed against that statement over the year alone (the issue's first figure) and,
smaller still, events and outcomes counted by kind. Interleaved rounds; medians with the middle
half.

Run with `make bench`. Prints milliseconds and the ratios; nothing is asserted. PostgreSQL is
measured in a scratch database created next to BENCH_PG_URL (default: the local server's
`postgres` maintenance database) and dropped afterwards.
"""

import os
import random
import socket
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import create_engine, insert, text

from csp_events import create_app

EVENTS, HAND_OUTS, YEARS = 100_000, 500_000, 10
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
FIRST = datetime(2016, 4, 1, tzinfo=UTC)
KINDS = ["speedwatch", "roadshow", "surgery", "pop_up", "home_visit"]
RAW = """
SELECT
  (SELECT count(*) FROM events e
    WHERE e.starts_at >= :start AND e.starts_at < :end AND e.status <> 'cancelled') AS events,
  (SELECT coalesce(sum(o.people_engaged), 0)
    FROM events e JOIN event_outcomes o ON o.event_id = e.id
    WHERE e.starts_at >= :start AND e.starts_at < :end AND e.status <> 'cancelled') AS people,
  (SELECT coalesce(-sum(m.quantity), 0) FROM stock_movements m JOIN events e ON e.id = m.event_id
    WHERE m.kind IN ('issue', 'imported_issue')
      AND e.starts_at >= :start AND e.starts_at < :end AND e.status <> 'cancelled') AS items,
  (SELECT coalesce(sum(CASE WHEN a.attended THEN a.minutes ELSE 0 END), 0)
     FROM attendances a JOIN events e ON e.id = a.event_id
    WHERE e.starts_at >= :start AND e.starts_at < :end AND e.status <> 'cancelled') AS minutes
"""
KINDS_RAW = """
SELECT e.kind, count(*), count(o.id), coalesce(sum(o.people_engaged), 0)
  FROM events e LEFT JOIN event_outcomes o ON o.event_id = e.id
 WHERE e.starts_at >= :start AND e.starts_at < :end AND e.status <> 'cancelled'
 GROUP BY e.kind
"""


def fill(app) -> None:
    """Ten years of activity, inserted with Core executemany in batches (no ORM objects)."""
    from csp_events.auth.models import User
    from csp_events.engagement.models import Attendance, EventOutcome
    from csp_events.events.models import Event
    from csp_events.extensions import db
    from csp_events.places.models import Venue
    from csp_events.stock.models import StockItem, StockMovement

    rng = random.Random(7)
    with app.app_context():
        db.create_all()
        conn = db.session.connection()
        conn.execute(
            insert(User),
            [
                {"name": f"Volunteer {i}", "email": f"v{i}@bench.example", "role": "volunteer"}
                for i in range(1, 51)
            ],
        )
        conn.execute(
            insert(Venue),
            [
                {
                    "name": f"Venue {i}",
                    "kind": "library",
                    "address": "x",
                    "postcode": "CM14 4BP",
                    "ward": f"Ward {i % 15}",
                }
                for i in range(1, 21)
            ],
        )
        conn.execute(insert(StockItem), [{"name": f"Item {i}", "balance": 0} for i in range(1, 13)])
        span = YEARS * 365 * 24 * 3600
        events, outcomes, attendance = [], [], []
        for i in range(1, EVENTS + 1):
            start = FIRST + timedelta(seconds=rng.randrange(span))
            events.append(
                {
                    "id": i,
                    "title": f"Event {i}",
                    "kind": KINDS[i % 5],
                    "starts_at": start,
                    "ends_at": start + timedelta(hours=2),
                    "status": "cancelled" if i % 40 == 0 else "completed",
                    "venue_id": 1 + i % 20,
                    "partner_agency_codes": "",
                    "notes": "",
                }
            )
            outcomes.append({"event_id": i, "people_engaged": rng.randrange(60)})
            attendance.append(
                {"event_id": i, "user_id": 1 + i % 50, "attended": i % 9 != 0, "minutes": 120}
            )
        for table, rows in ((Event, events), (EventOutcome, outcomes), (Attendance, attendance)):
            for at in range(0, len(rows), 20_000):
                conn.execute(insert(table), rows[at : at + 20_000])
        for at in range(0, HAND_OUTS, 50_000):
            conn.execute(
                insert(StockMovement),
                [
                    {
                        "item_id": 1 + n % 12,
                        "kind": "issue",
                        "quantity": -(1 + n % 5),
                        "event_id": 1 + rng.randrange(EVENTS),
                    }
                    for n in range(at, at + 50_000)
                ],
            )
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as analyse:
                analyse.execute(text("ANALYZE"))
                analyse.commit()
        else:
            with db.engine.connect() as analyse:
                analyse.exec_driver_sql("ANALYZE")


def rounds(jobs: dict, n: int = 9) -> dict[str, list[float]]:
    """Each job once per round, in turn, n rounds: load on the machine hits them alike."""
    timings: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(n):
        for name, job in jobs.items():
            started = time.perf_counter()
            job()
            timings[name].append(time.perf_counter() - started)
    return timings


def spread(values: list[float]) -> str:
    """Median and the middle half of the rounds, in milliseconds."""
    q1, median, q3 = statistics.quantiles(values, n=4)
    return f"{median * 1000:7.1f} ms (middle half {q1 * 1000:.1f}-{q3 * 1000:.1f})"


def measure(app, engine_name: str) -> None:
    """Interleaved rounds of the report's figures and the raw aggregates over the same year."""
    from csp_events.extensions import db
    from csp_events.reports import charts, rules, services

    year = rules.financial_year(2021)
    start, end = year.utc_bounds()
    bounds = {"start": start, "end": end}
    # The same rows the report reads: the year and the year before it.
    both_years = {"start": rules.year_before(year).utc_bounds()[0], "end": end}
    with app.app_context():
        figures, before = services.figures_with_year_before(year)
        row = db.session.execute(text(RAW), bounds).one()
        assert (figures.events, figures.people, figures.items_total, figures.minutes) == tuple(
            row
        ), "the report and the raw SQL disagree"
        timings = rounds(
            {
                "report": lambda: services.figures_with_year_before(year),
                "same rows": lambda: db.session.execute(text(RAW), both_years).one(),
                "raw": lambda: db.session.execute(text(RAW), bounds).one(),
                "kinds": lambda: db.session.execute(text(KINDS_RAW), bounds).all(),
                "charts": lambda: charts.all_charts(figures, before),
            }
        )
        db.session.remove()
    report, same, raw, kinds = (
        statistics.median(timings[k]) for k in ("report", "same rows", "raw", "kinds")
    )
    print(f"  report's figures, the year and the year before: {spread(timings['report'])}")
    print(f"  anchor: headline raw statement, same two years: {spread(timings['same rows'])}")
    print(f"  headline raw statement, the year alone:         {spread(timings['raw'])}")
    print(f"  events and outcomes by kind, one raw statement: {spread(timings['kinds'])}")
    print(f"  drawing the eight charts (cached by the page):  {spread(timings['charts'])}")
    print(f"  ratio report / raw SQL over the same rows: {report / same:.2f}x   (aim <= 2x)")
    print(f"  ratio report / raw SQL over the year alone: {report / raw:.2f}x")
    print(f"  ratio report / by-kind raw SQL (the year):  {report / kinds:.2f}x")
    print(
        f"  the year: {figures.events:,} events, {figures.people:,} people, "
        f"{figures.items_total:,} items, {rules.hours(figures.minutes)} hours"
    )


def run(engine_name: str, url: str, instance: str) -> None:
    from csp_events.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": instance})
    started = time.perf_counter()
    fill(app)
    print(
        f"{engine_name}: {EVENTS:,} events and {HAND_OUTS:,} hand-outs loaded in "
        f"{time.perf_counter() - started:.1f} s"
    )
    measure(app, engine_name)
    with app.app_context():
        db.engine.dispose()


def postgres_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), 1).close()
    except OSError:
        return False
    return True


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        run("SQLite", f"sqlite:///{folder}/bench.sqlite", folder)
        if not postgres_answers():
            print("PostgreSQL is not answering on 127.0.0.1:5432: skipped.")
            return
        name = f"bench_reports_{uuid.uuid4().hex[:6]}"
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            run("PostgreSQL", PG_URL.rsplit("/", 1)[0] + f"/{name}", folder)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
