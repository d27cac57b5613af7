"""Sign-ups racing from several processes never overfill a session."""

import pytest
from factories import make_event, make_user
from plans import racing_processes, sign_up_in_another_process

from csp_events.extensions import db
from csp_events.signups.vocabulary import SignupStatus

pytestmark = pytest.mark.usefixtures("app_context")

RACERS = 6


def test_simultaneous_sign_ups_fill_exactly_the_places_and_queue_the_rest(app, tmp_path):
    event = make_event(max_volunteers=2)
    event_id = event.id
    people_ids = [make_user().id for _ in range(RACERS)]
    db.session.rollback()  # hold no lock while the racers run
    context = racing_processes()
    barrier, results = context.Barrier(RACERS), context.Queue()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    workers = [
        context.Process(
            target=sign_up_in_another_process,
            args=(url, str(tmp_path), event_id, person_id, barrier, results),
        )
        for person_id in people_ids
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    assert sorted(outcomes) == ["confirmed"] * 2 + ["waitlisted"] * (RACERS - 2)
    statuses = [s.status for s in db.session.get(type(event), event_id).signups]
    assert statuses.count(SignupStatus.CONFIRMED) == 2


def test_a_sign_up_holding_its_person_and_session_lets_others_write_notices_to_them(app):
    """Two sign-ups each holding their own volunteer, each writing a notice to the other's
    (a place offered on a waiting list) waited on each other in a circle: a deadlock, and
    one of them told "busy". The rows are held against other changes to them, not against
    rows that only refer to them."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.orm import Session

    from csp_events.notices.enums import NoticeKind
    from csp_events.notices.models import Notice
    from csp_events.signups.services import _lock

    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's writers take turns for the whole database")
    event, person = make_event(), make_user()
    db.session.commit()
    _lock(event.id, person.id)  # held as a sign-up holds them, until this session ends
    other = create_engine(db.engine.url)
    try:
        with Session(other) as session:
            session.execute(text("SET LOCAL lock_timeout = '2s'"))
            session.add(
                Notice(kind=NoticeKind.PLACE_PROMOTED, recipient_id=person.id, event_id=event.id)
            )
            session.flush()  # would wait (and time out) for the held rows under FOR UPDATE
            written = session.execute(text("SELECT count(*) FROM notices")).scalar_one()
            session.rollback()
    finally:
        db.session.rollback()
        other.dispose()
    assert written == 1
