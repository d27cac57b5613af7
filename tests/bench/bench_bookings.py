"""Booking throughput on SQLite and PostgreSQL: one writer, then several processes at once.

Run with `make bench`. Prints bookings per second; nothing here is asserted (a benchmark,
not a test). PostgreSQL is measured when it answers on 127.0.0.1:5432.
"""

import multiprocessing
import socket
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import create_engine, text

from csp_events import create_app

SEQUENTIAL = 300
PROCESSES = 4
PER_PROCESS = 75
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
START = datetime(2031, 1, 6, 0, tzinfo=UTC)  # a Monday, far from today's data


def app_for(url: str, instance: str):
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": instance})


def seed(url: str, instance: str) -> tuple[int, int]:
    from csp_events.auth.models import User
    from csp_events.auth.roles import Role
    from csp_events.equipment.models import EquipmentItem
    from csp_events.extensions import db

    app = app_for(url, instance)
    with app.app_context():
        db.create_all()
        person = User(
            name="Bench", email=f"bench-{uuid.uuid4().hex[:6]}@example.org", role=Role.COORDINATOR
        )
        item = EquipmentItem(
            name=f"Bench gun {uuid.uuid4().hex[:6]}",
            kind="body_worn_camera",
            kept_at="Bench",
            handover_days="0,1,2,3,4,5,6",
            handover_opens=clock(0),
            handover_closes=clock(23, 59),
            handover_buffer_minutes=0,
            max_booking_hours=24,
        )
        db.session.add_all([person, item])
        db.session.commit()
        ids = item.id, person.id
        db.engine.dispose()
    return ids


def slot(n: int) -> tuple[datetime, datetime]:
    # 30-minute bookings, 48 a day, skipping the night hours only to look realistic.
    start = START + timedelta(minutes=30 * n)
    return start, start + timedelta(minutes=30)


def book_many(url, instance, item_id, user_id, numbers, barrier, results):
    from csp_events.auth.models import User
    from csp_events.equipment.models import EquipmentItem
    from csp_events.equipment.services import BookingConflict, book
    from csp_events.extensions import db

    app = app_for(url, instance)
    with app.app_context():
        item, person = db.session.get(EquipmentItem, item_id), db.session.get(User, user_id)
        db.session.rollback()
        if barrier is not None:
            barrier.wait(timeout=120)
        booked = clashed = 0
        began = time.perf_counter()
        for n in numbers:
            try:
                book(item, person, *slot(n))
                booked += 1
            except BookingConflict:
                clashed += 1
        results.put((booked, clashed, time.perf_counter() - began))
        db.engine.dispose()


def run(engine_name: str, url: str) -> None:
    instance = tempfile.mkdtemp()
    item_id, user_id = seed(url, instance)
    queue = multiprocessing.Queue()
    book_many(url, instance, item_id, user_id, range(SEQUENTIAL), None, queue)
    booked, _, seconds = queue.get()
    print(
        f"{engine_name:<11} one writer      {booked / seconds:8.0f} bookings/s "
        f"({booked} in {seconds:.2f} s)"
    )

    context = multiprocessing.get_context("forkserver")
    for label, numbers_for in (
        ("distinct", lambda p: range(10_000 + p, 10_000 + PROCESSES * PER_PROCESS, PROCESSES)),
        ("contended", lambda p: range(20_000, 20_000 + PER_PROCESS)),
    ):
        barrier, results = context.Barrier(PROCESSES), context.Queue()
        workers = [
            context.Process(
                target=book_many,
                args=(url, instance, item_id, user_id, numbers_for(p), barrier, results),
            )
            for p in range(PROCESSES)
        ]
        for worker in workers:
            worker.start()
        outcomes = [results.get(timeout=300) for _ in workers]
        for worker in workers:
            worker.join()
        attempts = sum(b + c for b, c, _ in outcomes)
        wall = max(s for _, _, s in outcomes)
        booked = sum(b for b, _, _ in outcomes)
        print(
            f"{engine_name:<11} {PROCESSES} processes, {label:<9} "
            f"{attempts / wall:6.0f} attempts/s, "
            f"{booked} booked, {attempts - booked} refused as clashes"
        )


def postgres_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), 1).close()
        return True
    except OSError:
        return False


def main() -> None:
    print("Booking throughput (equipment bookings through the service, each its own transaction)")
    with tempfile.TemporaryDirectory() as folder:
        run("SQLite", f"sqlite:///{folder}/bench.sqlite")
    if not postgres_answers():
        print("PostgreSQL   not answering on 127.0.0.1:5432: skipped")
        return
    name = f"csp_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        run("PostgreSQL", PG_ADMIN.rsplit("/", 1)[0] + f"/{name}")
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
