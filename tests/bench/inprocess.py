"""The app in the benchmark's own process, against the database a served copy uses: to change
one event between requests, empty the shared cache, time template rendering alone, and count
SQL queries per page (tests/bench/bench_served.py)."""

import statistics
import time
from itertools import count

from flask import before_render_template, template_rendered
from sqlalchemy import event

from csp_events import create_app
from csp_events.demo.data import DEMO_LOGINS
from csp_events.events.models import Event
from csp_events.extensions import cache, db

CHANGED_TITLE = "Community safety pop-up 3"
SHOWN_TITLE = "Community safety pop-up 5"


class InProcess:
    def __init__(self, url: str, redis_url: str):
        self.redis_url = redis_url
        self.app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
        self.edits = count(1)
        self.cookies: dict[str, str] = {}
        with self.app.app_context():
            ids = dict(
                db.session.execute(
                    db.select(Event.title, Event.id).where(
                        Event.title.in_([CHANGED_TITLE, SHOWN_TITLE])
                        | Event.title.startswith(f"{CHANGED_TITLE} (edit ")
                    )
                ).all()
            )
            ids[CHANGED_TITLE] = next(n for t, n in ids.items() if t.startswith(CHANGED_TITLE))
        self.changed_id = ids[CHANGED_TITLE]
        self.event_page = f"/whats-on/{ids[SHOWN_TITLE]}"
        self.signed_in_event_page = f"/events/{ids[SHOWN_TITLE]}"

    def change_one_event(self) -> str:
        """A title edit through the models, so the change log (and the feeds' version) sees
        it; the new title, to find in the feed."""
        with self.app.app_context():
            changed = db.session.get(Event, self.changed_id)
            changed.title = f"{CHANGED_TITLE} (edit {next(self.edits)})"
            db.session.commit()
            return changed.title

    def empty_shared_cache(self) -> None:
        """This database's entries only: the other size's server shares the Redis database
        (emptying all of it made the other's next change a cold build)."""
        with self.app.app_context():
            cache.clear()

    def served_cookie(self, base: str) -> str:
        """A coordinator's session cookie from the served app (signed in once per server)."""
        if base not in self.cookies:
            from urllib.request import HTTPCookieProcessor

            from gunicorn_server import Browser

            browser = Browser(base)
            browser.sign_in(*DEMO_LOGINS["coordinator"])
            jar = next(h for h in browser.opener.handlers if isinstance(h, HTTPCookieProcessor))
            self.cookies[base] = "; ".join(f"{c.name}={c.value}" for c in jar.cookiejar)
        return self.cookies[base]

    def _client(self, signed_in: bool):
        client = self.app.test_client()
        if signed_in:
            email, password = DEMO_LOGINS["coordinator"]
            client.post("/login", data={"email": email, "password": password})
        return client

    def render_ms(self, path: str, signed_in: bool, repeat: int = 7) -> float:
        """Median milliseconds spent inside render_template for one GET of `path` (each a page
        the public pages' memo has not got: given from it, nothing is rendered)."""
        client, spent, began = self._client(signed_in), [], []

        def starting(sender, **extra):
            began.append(time.perf_counter())

        def finished(sender, **extra):
            spent[-1] += time.perf_counter() - began.pop()

        before_render_template.connect(starting, self.app)
        template_rendered.connect(finished, self.app)
        try:
            for _ in range(repeat):
                spent.append(0.0)
                self.app.extensions["csp_page_answers"].forget()
                assert client.get(path).status_code == 200, path
        finally:
            before_render_template.disconnect(starting, self.app)
            template_rendered.disconnect(finished, self.app)
        return statistics.median(spent) * 1000

    def query_counts(self) -> dict[str, int]:
        """SQL statements for a coordinator's second GET of each page (the first fills caches)."""
        client, seen = self._client(True), []
        with self.app.app_context():
            engine = db.engine

        def counting(*_args):
            seen.append(1)

        counts = {}
        for page, path in (("dashboard", "/dashboard"), ("reports", "/reports")):
            client.get(path)
            event.listen(engine, "before_cursor_execute", counting)
            seen.clear()
            try:
                assert client.get(path).status_code == 200, path
            finally:
                event.remove(engine, "before_cursor_execute", counting)
            counts[page] = len(seen)
        return counts

    def close(self) -> None:
        with self.app.app_context():
            db.engine.dispose()
