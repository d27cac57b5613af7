"""Work done before the first request, so no user waits for it: once in gunicorn's master
before it forks, and once in each worker as it starts."""

import logging
import time

from flask import Flask
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import configure_mappers

from ..extensions import db
from .serving import WARM_UP
from .statistics import refresh_statistics

log = logging.getLogger(__name__)

# The feed most calendars subscribe to.
PUBLIC_FEED = "/feeds/public.ics"


def warm_before_forking(app: Flask) -> int:
    """Compile every template and configure the mappers. Done lazily, each worker compiled each
    page's templates on its first request for that page: 100-270 ms of CPU each (five workers,
    five times), which made the slowest sign-ups of a busy minute. Compiled here, they are in
    memory every fork shares. Returns how many templates were compiled."""
    configure_mappers()
    environment = app.jinja_env
    names = environment.list_templates()
    for name in names:
        environment.get_template(name)
    return len(names)


def refresh_planner_statistics(app: Flask) -> list[str]:
    """Before anything is planned: statistics for tables filled since they were last gathered
    (see statistics.py), so no worker plans its queries blind. Returns the tables analyzed."""
    with app.app_context():
        try:
            return refresh_statistics()
        finally:
            db.session.remove()


def warm_public_feed(app: Flask) -> int | None:
    """Ask for the public feed once, as a calendar would: the statements a feed runs are
    compiled (each worker compiled them again on its first rebuild, ~30 ms of CPU), and the
    feed is built, or fetched from the shared cache, before any calendar asks. Returns the
    status, or None when the database or cache cannot be reached yet (the workers will)."""
    try:
        # Buffered: the answer is closed, so work deferred to its close (sharing what a build
        # was made of) runs here too.
        answer = app.test_client().get(PUBLIC_FEED, environ_base={WARM_UP: True}, buffered=True)
        return answer.status_code
    except (SQLAlchemyError, RedisError, OSError) as error:
        log.warning("public feed not warmed before forking: %s", error.__class__.__name__)
        return None


def rehearse_public_feed_rebuild(app: Flask) -> float | None:
    """In a worker just forked: rebuild the public feed once from its kept fragments
    (feeds.services.rehearse_rebuild), so the first change calendars see is rebuilt as fast
    as any later one. Returns the CPU milliseconds it took, or None when there was nothing to
    rebuild from or the database or cache cannot be reached."""
    from ..feeds.services import rehearse_rebuild
    from ..feeds.views import public_feed_asked_for

    began = time.thread_time()
    try:
        with app.test_request_context(PUBLIC_FEED):
            if not rehearse_rebuild(public_feed_asked_for()):
                return None
    except (SQLAlchemyError, RedisError, OSError) as error:
        log.warning("public feed rebuild not rehearsed: %s", error.__class__.__name__)
        return None
    except Exception:
        # Raised from gunicorn's post_fork, anything stops the worker booting, and gunicorn
        # then stops the whole server: a feed that cannot be built is a 500 on that feed, as
        # it always was, never a site that will not start.
        log.exception("public feed rebuild not rehearsed")
        return None
    return (time.thread_time() - began) * 1000
