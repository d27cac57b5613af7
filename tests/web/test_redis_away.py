"""Redis is a saving, never a reason to fail: with it configured but refusing or not answering,
every page, feed and limited address still answers, and failed sign-ins are still counted."""

import socket
import threading

import pytest
from conftest import FreshContextClient
from factories import make_user

from csp_events import create_app
from csp_events.auth.models import FailedLogin
from csp_events.extensions import cache, db, limiter

REFUSING = "redis://127.0.0.1:1/0"


@pytest.fixture
def limiter_kept():
    """The rate limiter is one object per process, pointed at the storage of the last app made
    with it: the test's app is given its own, and the suite's back after it."""
    kept = dict(limiter.__dict__)
    yield
    limiter.__dict__.clear()
    limiter.__dict__.update(kept)


def _app_with_redis(app, tmp_path, monkeypatch, redis_url: str):
    monkeypatch.setenv("REDIS_URL", redis_url)
    made = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(tmp_path),
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SERVER_NAME": "csp.test",
            "WTF_CSRF_ENABLED": False,
        }
    )
    made.test_client_class = FreshContextClient
    return made


@pytest.fixture
def redis_away(app, app_context, tmp_path, monkeypatch, limiter_kept):
    """The app as production runs it (REDIS_URL set: shared cache, limits and counts in Redis),
    with a Redis that refuses every connection."""
    away = _app_with_redis(app, tmp_path, monkeypatch, REFUSING)
    yield away
    with away.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("path", ["/api/v1/events", "/feeds/public.ics", "/whats-on", "/login"])
def test_pages_feeds_and_the_api_answer_without_redis(redis_away, path):
    assert redis_away.test_client().get(path).status_code == 200


def test_a_failed_sign_in_without_redis_is_answered_and_counted_in_the_database(redis_away):
    person = make_user(email="vera@example.org")
    answer = redis_away.test_client().post(
        "/login", data={"email": person.email, "password": "not the password"}
    )
    assert answer.status_code == 200
    assert b"password" in answer.get_data().lower()
    with redis_away.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(FailedLogin)) >= 1


def test_asking_for_a_password_reset_without_redis_is_answered(redis_away):
    answer = redis_away.test_client().post(
        "/password/forgot", data={"email": "someone@example.org"}
    )
    assert answer.status_code in (200, 302)


def test_a_redis_that_never_answers_is_given_up_on_rather_than_waited_for(
    app, tmp_path, monkeypatch, limiter_kept
):
    """Not refusing: accepting connections and saying nothing, as a host gone from the
    network can. Left to the client's defaults each call waited ~5 s, and a feed asks several
    times: long enough for gunicorn to kill the worker. Configured (config.REDIS_TIMEOUTS), a
    call gives up after ~2 s."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    quiet = _app_with_redis(
        app, tmp_path, monkeypatch, f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
    )
    outcome: list[object] = []

    def ask() -> None:
        with quiet.app_context():
            try:
                outcome.append(cache.get("anything"))
            except Exception as error:  # which one is what is checked
                outcome.append(error)

    asking = threading.Thread(target=ask, daemon=True)
    asking.start()
    asking.join(timeout=4)
    silent.close()
    with quiet.app_context():
        db.engine.dispose()
    assert outcome, "still waiting for Redis after 4 s"
    from redis.exceptions import TimeoutError as RedisTimeout

    assert isinstance(outcome[0], RedisTimeout)
