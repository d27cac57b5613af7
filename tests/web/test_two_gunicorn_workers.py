"""Under gunicorn with two worker processes: sign-in throttling and booking rules still hold."""

import os
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from factories import PASSWORD, make_event, make_item, make_user, next_weekday, speedwatch_volunteer
from gunicorn_server import gunicorn

from csp_events.auth.models import FailedLogin
from csp_events.auth.rules import ACCOUNT_FAILURE_LIMIT
from csp_events.equipment.models import EquipmentBooking
from csp_events.events.models import Event
from csp_events.extensions import db
from csp_events.signups.vocabulary import SignupStatus

pytestmark = [
    pytest.mark.usefixtures("app_context"),
]
# Emptied by the test (FLUSHDB): another run sharing this Redis at the same time names another.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/8")


def redis_or_skip():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not answering on 127.0.0.1:6379")
    client.flushdb()
    return client


def at_once(calls):
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(lambda call: call(), calls))


@pytest.mark.parametrize("store", ["database", "redis"])
def test_failed_sign_ins_on_either_worker_pause_the_account(app, tmp_path, store):
    redis = redis_or_skip() if store == "redis" else None
    make_user(email="ann@example.org")
    db.session.commit()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with gunicorn(url, tmp_path, redis_url=REDIS_URL if redis else "") as server:
        guessers = [server.browser() for _ in range(ACCOUNT_FAILURE_LIMIT)]
        at_once([lambda b=b: b.sign_in("ann@example.org", "wrong password") for b in guessers])
        served_by = {line["pid"] for line in server.request_lines() if line["method"] == "POST"}
        assert len(served_by) == 2, "both workers should have taken failed sign-ins"
        assert server.browser().sign_in("ann@example.org", PASSWORD) == 429
    stored = db.session.execute(db.select(FailedLogin)).scalars().all()
    if redis:
        assert stored == [] and redis.keys("*failures*"), "counted in Redis, not the database"
        redis.flushdb()
    else:
        assert len(stored) >= ACCOUNT_FAILURE_LIMIT


def test_sign_ups_racing_through_two_workers_never_overfill_a_session(app, tmp_path):
    event_id = make_event(max_volunteers=2).id
    people = [make_user(email=f"racer{n}@example.org").email for n in range(6)]
    db.session.commit()  # hold no lock (SQLite) while the workers run
    with gunicorn(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path) as server:
        browsers = [server.browser() for _ in people]
        for browser, email in zip(browsers, people, strict=True):
            assert browser.sign_in(email, PASSWORD) == 302
        at_once(
            [
                lambda b=b: b.post(f"/events/{event_id}/sign-up", form_page="/sessions")
                for b in browsers
            ]
        )
        served_by = {line["pid"] for line in server.request_lines()}
    assert len(served_by) == 2
    db.session.expire_all()
    statuses = [s.status for s in db.session.get(Event, event_id).signups]
    assert statuses.count(SignupStatus.CONFIRMED) == 2
    assert statuses.count(SignupStatus.WAITLISTED) == 4


def booking(day: date, start: str, end: str) -> dict:
    parts = [str(day.day), str(day.month), str(day.year)]
    return {
        "start_date": parts,
        "start_time": start,
        "end_date": parts,
        "end_time": end,
        "purpose": "Speedwatch",
    }


def test_overlapping_bookings_racing_through_two_workers_book_the_gun_once(app, tmp_path):
    gun_id = make_item(name="Speed gun (Town Hall)").id
    people = [speedwatch_volunteer(email=f"gun{n}@example.org").email for n in range(6)]
    db.session.commit()  # hold no lock (SQLite) while the workers run
    saturday = next_weekday(5)
    with gunicorn(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path) as server:
        browsers = [server.browser() for _ in people]
        for browser, email in zip(browsers, people, strict=True):
            assert browser.sign_in(email, PASSWORD) == 302
        form = booking(saturday, "09:00", "13:00")
        outcomes = at_once(
            [
                lambda b=b: b.post(f"/equipment/{gun_id}/book", form, form_page="/equipment")
                for b in browsers
            ]
        )
    assert sorted(outcomes) == [200] * 5 + [302]  # one booked; five told it is taken
    active = db.session.execute(db.select(EquipmentBooking)).scalars().all()
    assert len(active) == 1
