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
