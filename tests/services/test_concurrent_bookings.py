"""Twenty processes released together can never double-book one item, on either engine."""

from datetime import time, timedelta
from itertools import pairwise

import pytest
from factories import at, make_coordinator, make_item, next_weekday
from plans import book_in_another_process, racing_processes

from csp_events.equipment.models import EquipmentBooking
from csp_events.equipment.vocabulary import BookingStatus
from csp_events.extensions import db

pytestmark = pytest.mark.usefixtures("app_context")
RACERS = 20


def race(app, tmp_path, item_id, user_id, slots) -> list[str]:
    context = racing_processes()
    barrier, results = context.Barrier(len(slots)), context.Queue()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    workers = [
        context.Process(
            target=book_in_another_process,
            args=(
                url,
                str(tmp_path),
                item_id,
                user_id,
                start.isoformat(),
                end.isoformat(),
                barrier,
                results,
            ),
        )
        for start, end in slots
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=180) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    return outcomes


def active_bookings(item_id):
    return (
        db.session.execute(
            db.select(EquipmentBooking).where(
                EquipmentBooking.item_id == item_id, EquipmentBooking.status == BookingStatus.ACTIVE
            )
        )
        .scalars()
        .all()
    )


def any_overlap(bookings) -> bool:
    ordered = sorted(bookings, key=lambda b: b.starts_at)
    return any(a.blocked_until > b.starts_at for a, b in pairwise(ordered))


def open_all_day_item():
    return make_item(
        handover_days="0,1,2,3,4,5,6",
        handover_opens=time(0),
        handover_closes=time(23, 59),
        handover_buffer_minutes=0,
    )


def test_overlapping_bookings_released_together_let_exactly_one_through(app, tmp_path):
    item, coordinator = open_all_day_item(), make_coordinator()
    item_id, user_id = item.id, coordinator.id
    day = next_weekday(2)
    # Every racer wants a different slot, and every slot overlaps every other one.
    slots = [
        (at(day, 9) + timedelta(minutes=i), at(day, 12) - timedelta(minutes=i))
        for i in range(RACERS)
    ]
    db.session.rollback()
    outcomes = race(app, tmp_path, item_id, user_id, slots)
    assert outcomes.count("booked") == 1
    assert all(o.startswith("clash:") for o in outcomes if o != "booked")
    assert len(active_bookings(item_id)) == 1


def test_back_to_back_bookings_released_together_all_succeed(app, tmp_path):
    item, coordinator = open_all_day_item(), make_coordinator()
    item_id, user_id = item.id, coordinator.id
    start = at(next_weekday(3), 8)
    slots = [
        (start + i * timedelta(minutes=30), start + (i + 1) * timedelta(minutes=30))
        for i in range(RACERS)
    ]
    db.session.rollback()
    outcomes = race(app, tmp_path, item_id, user_id, slots)
    assert outcomes == ["booked"] * RACERS
    bookings = active_bookings(item_id)
    assert len(bookings) == RACERS and not any_overlap(bookings)
