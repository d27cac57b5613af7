"""Plans and payloads shared by several test modules."""

import multiprocessing
from datetime import date, time, timedelta

from csp_events.events.recurrence import Frequency, RecurrencePattern
from csp_events.events.services import EventFields
from csp_events.events.vocabulary import EventKind
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


def racer_app(database_url: str, instance: str):
    """The app as each racing process builds it. A racer waits for SQLite's write lock as long
    as it takes: the races test who wins, not how long the last in the queue waits, and twenty
    racers queued behind one lock on a busy machine (tests running in parallel) can pass the
    app's 10 s between them. Giving up after the timeout is tested in test_database_busy.py."""
    from csp_events import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_PATH": instance,
            "SQLITE_BUSY_TIMEOUT_MS": 120_000,
        }
    )


def sign_up_in_another_process(database_url, instance, event_id, user_id, barrier, results):
    """Run in a separate process: sign one volunteer up the moment all processes are ready."""
    from csp_events.auth.models import User
    from csp_events.errors import DomainError
    from csp_events.events.models import Event
    from csp_events.extensions import db
    from csp_events.signups.services import sign_up

    app = racer_app(database_url, instance)
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

    from csp_events.auth.models import User
    from csp_events.equipment.models import EquipmentItem
    from csp_events.equipment.services import BookingConflict, book
    from csp_events.extensions import db

    app = racer_app(database_url, instance)
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
    context.set_forkserver_preload(["plans", "csp_events.factory", "csp_events.models"])
    return context


def record_outcome_in_another_process(
    database_url, instance, event_id, user_id, item_id, quantity, barrier, results
):
    """Run in a separate process: record an outcome handing out `quantity` of one item."""
    from csp_events.auth.models import User
    from csp_events.engagement.services import OutcomeFields, OutcomeRefused, record_outcome
    from csp_events.events.services import get_event
    from csp_events.extensions import db
    from csp_events.timezones import utcnow

    app = racer_app(database_url, instance)
    with app.app_context():
        db.session.rollback()
        barrier.wait(timeout=120)
        event, person = get_event(event_id), db.session.get(User, user_id)
        try:
            fields = OutcomeFields(people_engaged=10, items={item_id: quantity})
            record_outcome(event, fields, by=person, now=utcnow())
            results.put("recorded")
        except OutcomeRefused as refused:
            results.put(f"refused: {refused.message}")


def send_reminders_in_another_process(database_url, instance, smtp_port, now, barrier, results):
    """Run in a separate process: `send-reminders` the moment all processes are ready."""
    from datetime import datetime

    from mailserver import mail_through

    from csp_events.extensions import db
    from csp_events.reminders.services import send_due

    app = racer_app(database_url, instance)
    with app.app_context(), mail_through(app, smtp_port):
        barrier.wait(timeout=60)
        report = send_due(datetime.fromisoformat(now))
        results.put((len(report.sent), report.already, len(report.failed)))
        db.engine.dispose()


def import_in_another_process(database_url, instance, batch_id, user_id, barrier, results):
    """Run in a separate process: press "Import" on a checked file the moment all are ready."""
    from csp_events.auth.models import User
    from csp_events.extensions import db
    from csp_events.imports.models import ImportBatch
    from csp_events.imports.services import NothingToImport, run_import

    app = racer_app(database_url, instance)
    with app.app_context():
        batch, person = db.session.get(ImportBatch, batch_id), db.session.get(User, user_id)
        db.session.rollback()  # a read outside a request takes SQLite's write lock: let it go
        barrier.wait(timeout=120)
        try:
            results.put(f"imported {run_import(batch, person)}")
        except NothingToImport as refused:
            results.put(f"refused: {refused.message}")
        db.engine.dispose()


def load_keyring_in_another_process(instance, barrier, results):
    """Run in a separate process: start like a fresh worker and report the key it will use."""
    from csp_events.visits.keyring import load_keyring

    barrier.wait(timeout=60)
    results.put(load_keyring(instance, configured="").keys[0])


def send_notices_in_another_process(database_url, instance, smtp_port, barrier, results):
    """Run in a separate process: send the outbox the moment all processes are ready."""
    from mailserver import mail_through

    from csp_events.extensions import db
    from csp_events.notices.services import send_pending
    from csp_events.timezones import utcnow

    app = racer_app(database_url, instance)
    with app.app_context(), mail_through(app, smtp_port):
        barrier.wait(timeout=60)
        results.put(len(send_pending(utcnow()).sent))
        db.engine.dispose()


def accept_cover_in_another_process(database_url, instance, offer_id, barrier, results):
    """Run in a separate process: say "I can do it" the moment all processes are ready."""
    from csp_events.cover.models import CoverOffer
    from csp_events.cover.services import accept, state_of
    from csp_events.extensions import db
    from csp_events.timezones import utcnow

    app = racer_app(database_url, instance)
    with app.test_request_context("/", method="POST"), app.app_context():
        offer = db.session.get(CoverOffer, offer_id)
        state_of(offer, utcnow())  # as the page does first: the request is loaded beforehand
        if db.engine.dialect.name == "sqlite":
            db.session.rollback()  # SQLite: this POST's write lock would hold every racer back
        barrier.wait(timeout=60)
        results.put(str(accept(offer)))
        db.session.remove()
        db.engine.dispose()
