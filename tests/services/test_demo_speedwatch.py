"""The demo's upcoming Speedwatch sessions, weekends included, all have the speed gun."""

import pytest

from csp_events.demo.data import load_demo
from csp_events.equipment.speedwatch import bookings_by_event, readiness_problems
from csp_events.events.models import Event
from csp_events.events.vocabulary import EventKind
from csp_events.extensions import db
from csp_events.timezones import utcnow

pytestmark = pytest.mark.usefixtures("app_context", "cheap_password_hashing")


def test_no_demo_speedwatch_session_is_left_without_the_speed_gun():
    load_demo()
    sessions = (
        db.session.execute(
            db.select(Event).where(Event.kind == EventKind.SPEEDWATCH, Event.starts_at > utcnow())
        )
        .scalars()
        .all()
    )
    bookings = bookings_by_event([e.id for e in sessions])
    assert sessions
    for session in sessions:
        problems = readiness_problems(session, bookings.get(session.id, []), qualified_team=3)
        assert "No speed gun is booked for this session." not in problems, session.starts_at
