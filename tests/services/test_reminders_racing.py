"""Two (or more) `send-reminders` at once still send each reminder exactly once."""

from datetime import timedelta

import pytest
from factories import make_coordinator, make_event, make_user
from plans import racing_processes, send_reminders_in_another_process

from csp_events.extensions import db
from csp_events.signups.services import sign_up
from csp_events.timezones import utcnow

pytestmark = pytest.mark.usefixtures("app_context")

RUNS = 4


def test_simultaneous_runs_send_every_reminder_once(app, tmp_path, smtp):
    make_coordinator()
    starts = (utcnow() + timedelta(hours=30)).replace(second=0, microsecond=0)
    event = make_event(starts_at=starts, min_volunteers=6, max_volunteers=6)
    for _ in range(5):
        person = make_user()
        sign_up(event, person, by=person)
    db.session.rollback()  # hold no lock while the runs race
    port = app.extensions["mailman"].port
    context = racing_processes()
    barrier, results = context.Barrier(RUNS), context.Queue()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    runs = [
        context.Process(
            target=send_reminders_in_another_process,
            args=(url, str(tmp_path), port, utcnow().isoformat(), barrier, results),
        )
        for _ in range(RUNS)
    ]
    for run in runs:
        run.start()
    outcomes = [results.get(timeout=120) for _ in runs]
    for run in runs:
        run.join(timeout=60)
    assert (
        sum(sent for sent, _already, _failed in outcomes) == 6
    )  # 5 volunteers, and the coordinator (short of one)
    assert sum(failed for _sent, _already, failed in outcomes) == 0
    recipients = sorted(m["To"] for m in smtp.messages)
    assert len(recipients) == 6 and len(set(recipients)) == 6
