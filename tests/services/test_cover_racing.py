"""Several volunteers pressing "I can do it" at the same moment: one place, one winner."""

from datetime import timedelta

import pytest
from factories import make_coordinator, make_event, make_user
from plans import accept_cover_in_another_process, racing_processes

from csp_events.cover.models import CoverOffer
from csp_events.cover.services import ask_for_cover
from csp_events.extensions import db
from csp_events.signups.models import Signup
from csp_events.signups.services import sign_up, withdraw
from csp_events.signups.vocabulary import SignupStatus
from csp_events.timezones import utcnow

pytestmark = pytest.mark.usefixtures("app_context")
RACERS = 4


def test_racing_acceptances_fill_the_one_place_once(app, tmp_path):
    coordinator = make_coordinator()
    event = make_event(starts_at=utcnow() + timedelta(hours=20), min_volunteers=2)
    ann, bob = make_user(), make_user()
    for person in (ann, bob):
        sign_up(event, person, by=person)
    for _ in range(RACERS):
        make_user()
    withdraw(event, ann, by=coordinator, reason="Unwell")
    ask_for_cover(event, by=coordinator)
    offers = db.session.scalars(db.select(CoverOffer.id)).all()
    assert len(offers) == RACERS
    db.session.rollback()
    context = racing_processes()
    barrier, results = context.Barrier(RACERS), context.Queue()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    runs = [
        context.Process(
            target=accept_cover_in_another_process,
            args=(url, str(tmp_path), offer_id, barrier, results),
        )
        for offer_id in offers
    ]
    for run in runs:
        run.start()
    answers = sorted(results.get(timeout=120) for _ in runs)
    for run in runs:
        run.join(timeout=60)
    assert answers == ["taken"] * (RACERS - 1) + ["yours"]
    confirmed = db.session.scalar(
        db.select(db.func.count(Signup.id)).where(
            Signup.event_id == event.id, Signup.status == SignupStatus.CONFIRMED
        )
    )
    assert confirmed == 2
