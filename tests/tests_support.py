"""Plans and payloads shared by several test modules."""

import multiprocessing
from datetime import date, time, timedelta

from csp_events.events.kinds import EventKind
from csp_events.events.recurrence import Frequency, RecurrencePattern
from csp_events.events.services import EventFields
from csp_events.series.services import SeriesPlan
from csp_events.timezones import to_local, utcnow


def surgery_plan(venue, *, year: int | None = None) -> SeriesPlan:
    """Second Tuesday of every month, 10:00 to 12:00, for a whole year."""
    year = year or to_local(utcnow()).year + 1
    first = date(year, 1, 1)
    while first.weekday() != 1:
        first += timedelta(days=1)
    pattern = RecurrencePattern(
        frequency=Frequency.MONTHLY_BY_WEEKDAY,
        first_day=first,
        starts_at=time(10),
        duration=timedelta(hours=2),
        until=date(year, 12, 31),
        week_of_month=2,
    )
    details = EventFields(
        title="NHW surgery",
        kind=EventKind.SURGERY,
        theme=None,
        starts_at=utcnow(),
        ends_at=utcnow(),
        venue_id=venue.id,
        site_id=None,
        area="",
        min_volunteers=1,
        max_volunteers=2,
        partner_agencies=[],
        partner_officer_ids=[],
        is_public=True,
        notes="",
    )
    return SeriesPlan(pattern, details)


def sign_up_in_another_process(database_url, instance, event_id, user_id, barrier, results):
    """Run in a separate process: sign one volunteer up the moment all processes are ready."""
    from csp_events import create_app
    from csp_events.auth.models import User
    from csp_events.errors import DomainError
    from csp_events.events.models import Event
    from csp_events.extensions import db
    from csp_events.signups.services import sign_up

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "INSTANCE_PATH": instance})
    with app.app_context():
        event, person = db.session.get(Event, event_id), db.session.get(User, user_id)
        db.session.rollback()  # a read outside a request takes SQLite's write lock: let it go
        barrier.wait(timeout=60)
        try:
            results.put(sign_up(event, person, by=person).status.value)
        except DomainError as error:
            results.put(f"refused: {error.message}")
        db.engine.dispose()


def book_in_another_process(database_url, instance, item_id, user_id, start, end, barrier, results):
    """Run in a separate process: book the item the moment all processes are ready."""
    from datetime import datetime

    from csp_events import create_app
    from csp_events.auth.models import User
    from csp_events.equipment.models import EquipmentItem
    from csp_events.equipment.services import BookingConflict, book
    from csp_events.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "INSTANCE_PATH": instance})
    with app.app_context():
        item, person = db.session.get(EquipmentItem, item_id), db.session.get(User, user_id)
        db.session.rollback()  # a read outside a request takes SQLite's write lock: let it go
        barrier.wait(timeout=120)
        try:
            book(item, person, datetime.fromisoformat(start), datetime.fromisoformat(end))
            results.put("booked")
        except BookingConflict as conflict:
            results.put(f"clash: {conflict.message}")
        db.engine.dispose()


def racing_processes():
    """Processes for concurrency tests: forked from a clean server that has the app preloaded,
    so twenty of them start in a moment and none inherits the test process's threads."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tests_support", "csp_events.factory", "csp_events.models"])
    return context
