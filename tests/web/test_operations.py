"""Running for real: /healthz, one JSON log line per request, the reverse proxy, production."""

import json
import logging

import pytest
from factories import make_user
from flask.testing import FlaskClient

from csp_events import create_app


class ClosingClient(FlaskClient):
    """Closes each response, as servers do (the request log writes its line on close)."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


MADE = []


def app_with(tmp_path, url=None, **config):
    settings = {"TESTING": True, "INSTANCE_PATH": str(tmp_path), "SERVER_NAME": "csp.test"}
    if url:
        settings["SQLALCHEMY_DATABASE_URI"] = url
    made = create_app({**settings, **config})
    made.test_client_class = ClosingClient
    MADE.append(made)
    return made


@pytest.fixture(autouse=True)
def close_other_apps():
    """Each extra app's connections are closed (an open one left to the collector warns)."""
    yield
    from csp_events.extensions import db

    while MADE:
        with MADE.pop().app_context():
            db.session.remove()
            db.engine.dispose()


def test_healthz_says_the_database_answers(client):
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json == {"status": "ok", "database": "ok"}
    assert answer.headers["Cache-Control"] == "no-store"


def test_healthz_is_503_when_the_database_does_not_answer(tmp_path):
    down = app_with(tmp_path, "postgresql+psycopg://nobody@127.0.0.1:1/none")
    answer = down.test_client().get("/healthz")
    assert answer.status_code == 503
    assert answer.json == {"status": "unavailable", "database": "unavailable"}
    assert answer.headers["Cache-Control"] == "no-store"


class Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines: list[dict] = []

    def emit(self, record):
        self.lines.append(json.loads(record.getMessage()))


@pytest.fixture
def request_lines():
    handler = Lines()
    logger = logging.getLogger("csp_events.requests")
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)


def test_each_request_is_one_json_line_with_feed_tokens_redacted(app, tmp_path, request_lines):
    logged = app_with(tmp_path, app.config["SQLALCHEMY_DATABASE_URI"], REQUEST_LOG=True)
    client = logged.test_client()
    client.get("/feeds/u/cspf_SECRETSECRET.ics")
    client.get("/feeds/equipment/1.ics?token=cspf_OTHERSECRET&x=1")
    client.get("/healthz")
    assert [line["path"] for line in request_lines] == [
        "/feeds/u/[redacted].ics",
        "/feeds/equipment/1.ics?token=[redacted]&x=1",
        "/healthz",
    ]
    assert [line["status"] for line in request_lines] == [404, 404, 200]
    assert {"time", "method", "ms", "cpu_ms", "ip", "pid", "bytes", "user"} <= set(request_lines[0])
    assert 0 <= request_lines[0]["cpu_ms"] <= request_lines[0]["ms"] + 1
    assert "SECRET" not in json.dumps(request_lines)


def test_the_signed_in_person_is_named_in_the_log_by_id(app, tmp_path, request_lines):
    from conftest import login_as

    logged = app_with(tmp_path, app.config["SQLALCHEMY_DATABASE_URI"], REQUEST_LOG=True)
    with logged.app_context():
        ann = make_user()
        client = logged.test_client()
        login_as(client, ann)
        client.get("/my-sessions")
    assert request_lines[-1]["user"] == ann.id


def test_naming_the_person_after_a_write_reads_nothing_again(app, tmp_path, request_lines):
    """A view's commit expires what the session holds: naming the person for the log must not
    read their row again after every sign-up, withdrawal or save."""
    from conftest import login_as, post
    from factories import make_event
    from sqlalchemy import event as sa_event

    from csp_events.extensions import db

    logged = app_with(tmp_path, app.config["SQLALCHEMY_DATABASE_URI"], REQUEST_LOG=True)
    with logged.app_context():
        ann, event = make_user(), make_event(max_volunteers=2)
        ann_id = ann.id
        client = logged.test_client()
        login_as(client, ann)
        post(client, f"/events/{event.id}/sign-up")
        seen: list[str] = []

        def note(_conn, _cursor, statement, *_args):
            seen.append(statement.split()[0].upper())

        sa_event.listen(db.engine, "before_cursor_execute", note)
        try:
            post(client, f"/events/{event.id}/withdraw")
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", note)
    assert request_lines[-1]["user"] == ann_id
    assert request_lines[-1]["status"] == 302
    written = max(i for i, word in enumerate(seen) if word in ("UPDATE", "INSERT"))
    assert not {"SELECT", "WITH"} & set(seen[written:])


def test_the_client_address_comes_from_the_trusted_proxy_only(app, tmp_path, request_lines):
    behind_nginx = app_with(
        tmp_path, app.config["SQLALCHEMY_DATABASE_URI"], REQUEST_LOG=True, TRUSTED_PROXIES=1
    )
    behind_nginx.test_client().get(
        "/healthz",
        headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.5", "X-Forwarded-Proto": "https"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    assert request_lines[-1]["ip"] == "203.0.113.5"  # the hop nginx saw, not what the client wrote


def test_without_trusted_proxies_forwarded_headers_are_ignored(client):
    answer = client.get(
        "/healthz",
        headers={"X-Forwarded-Proto": "https"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    assert "Strict-Transport-Security" not in answer.headers


def test_production_behind_https_sends_hsts_and_secure_host_only_cookies(
    app, tmp_path, monkeypatch
):
    monkeypatch.setenv("CSP_ENV", "production")
    production = app_with(tmp_path, app.config["SQLALCHEMY_DATABASE_URI"], TRUSTED_PROXIES=1)
    answer = production.test_client().get(
        "/login", headers={"X-Forwarded-Proto": "https"}, base_url="https://csp.test"
    )
    assert answer.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    cookie = answer.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=") and "Secure" in cookie and "HttpOnly" in cookie


def test_gunicorns_master_compiles_every_template_before_forking(tmp_path):
    from csp_events.ops.warming import warm_before_forking

    served = app_with(tmp_path)
    compiled = warm_before_forking(served)
    assert compiled == len(served.jinja_env.list_templates()) > 100
    kept = len(served.jinja_env.cache)
    assert served.test_client().get("/login").status_code == 200
    assert len(served.jinja_env.cache) == kept, "the page compiled nothing new"


def test_the_masters_own_ask_for_the_public_feed_is_not_logged_as_a_client(
    app, tmp_path, request_lines
):
    from csp_events.ops.warming import warm_public_feed

    logged = app_with(tmp_path, app.config["SQLALCHEMY_DATABASE_URI"], REQUEST_LOG=True)
    assert warm_public_feed(logged) == 200
    assert request_lines == []
    logged.test_client().get("/feeds/public.ics")
    assert [line["path"] for line in request_lines] == ["/feeds/public.ics"]


def test_a_database_that_does_not_answer_leaves_the_master_starting(tmp_path):
    from csp_events.ops.warming import warm_public_feed

    down = app_with(tmp_path, "postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert warm_public_feed(down) in (None, 503)


def test_a_new_worker_rehearses_the_public_feed_rebuild_from_the_kept_fragments(
    app, client, monkeypatch
):
    """Built once more from what is kept, changing nothing anyone is served."""
    from factories import make_event

    from csp_events.feeds import assembly
    from csp_events.ops.warming import rehearse_public_feed_rebuild

    make_event(title="Pop-up")
    first = client.get("/feeds/public.ics")
    fragments_made = []
    real_vevent = assembly.vevent_text
    monkeypatch.setattr(
        assembly, "vevent_text", lambda item: fragments_made.append(item) or real_vevent(item)
    )
    assert rehearse_public_feed_rebuild(app) is not None
    assert fragments_made == []
    again = client.get("/feeds/public.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_the_rehearsal_makes_one_event_and_one_series_again_as_the_first_change_would(
    app, client, monkeypatch
):
    """So the statements a rebuild after a change runs are ready before anyone waits on one."""
    from factories import make_event, make_venue
    from plans import surgery_plan

    from csp_events.feeds import feed_items
    from csp_events.ops.warming import rehearse_public_feed_rebuild
    from csp_events.series.services import create_series

    make_event(title="Pop-up")
    make_event(title="Speedwatch")
    create_series(surgery_plan(make_venue("Shenfield Library")))
    create_series(surgery_plan(make_venue("Brentwood Library")))
    client.get("/feeds/public.ics")
    read_again, series_made_again = [], []
    real_rows, real_series = feed_items.event_rows_by_id, feed_items._series_by_id
    monkeypatch.setattr(
        feed_items,
        "event_rows_by_id",
        lambda ids, *c: read_again.extend(ids) or real_rows(ids, *c),
    )
    monkeypatch.setattr(
        feed_items, "_series_by_id", lambda ids: series_made_again.extend(ids) or real_series(ids)
    )

    assert rehearse_public_feed_rebuild(app) is not None

    assert len(read_again) == 1
    assert len(series_made_again) == 1


def test_with_no_fragments_kept_a_new_worker_rehearses_nothing(app, monkeypatch):
    """A rebuild from nothing is a cold build: seconds at 10,000 events, in every worker."""
    from csp_events.feeds import services
    from csp_events.ops.warming import rehearse_public_feed_rebuild

    monkeypatch.setattr(services, "_build", lambda *args: pytest.fail("built"))
    assert rehearse_public_feed_rebuild(app) is None


def test_a_database_that_does_not_answer_leaves_a_new_worker_starting(tmp_path, monkeypatch):
    from csp_events.feeds import services
    from csp_events.ops.warming import rehearse_public_feed_rebuild

    down = app_with(tmp_path, "postgresql+psycopg://nobody@127.0.0.1:1/none")
    kept = {"public|event-1@csp-events|": b"BEGIN:VEVENT\r\nEND:VEVENT\r\n"}
    monkeypatch.setattr(services.feed_cache, "fragments", lambda _feed: kept)
    assert rehearse_public_feed_rebuild(down) is None


def test_a_feed_that_cannot_be_built_leaves_a_new_worker_starting(app, client, monkeypatch):
    """gunicorn stops the whole server when a worker fails to boot: a broken feed stays a
    500 on that feed."""
    from factories import make_event

    from csp_events.feeds import services
    from csp_events.ops.warming import rehearse_public_feed_rebuild

    make_event(title="Pop-up")
    client.get("/feeds/public.ics")

    def broken(*args):
        raise ValueError("a value icalendar will not take")

    monkeypatch.setattr(services, "_build", broken)
    assert rehearse_public_feed_rebuild(app) is None


def test_after_the_rehearsal_a_rebuild_after_one_change_compiles_no_statement(
    app, client, monkeypatch
):
    """A new worker's first rebuild after a change compiled the statements that write what a
    build found new and the one that checks what changed since the last body: ~9 ms of CPU
    on the first calendar's time. The rehearsal runs them first, and writes nothing."""
    from factories import make_event
    from sqlalchemy import event as sa_event
    from sqlalchemy.engine.default import CACHE_MISS

    from csp_events.changes.services import memo as version_memo
    from csp_events.events.models import Event
    from csp_events.extensions import db
    from csp_events.feeds.models import FeedItemRevision, FeedState
    from csp_events.ops.warming import rehearse_public_feed_rebuild

    changed = make_event(title="Pop-up")
    make_event(title="Speedwatch")
    client.get("/feeds/public.ics")
    db.engine._compiled_cache.clear()  # as in a worker whose master never rebuilt after a change
    app.extensions["csp_feed_answers"].forget()
    version_memo.forget()
    client.get("/feeds/public.ics")  # the statements of any poll, as the master's warm-up
    revisions = db.session.execute(db.select(FeedItemRevision.__table__)).all()
    states = db.session.execute(db.select(FeedState.__table__)).all()

    assert rehearse_public_feed_rebuild(app) is not None

    assert db.session.execute(db.select(FeedItemRevision.__table__)).all() == revisions
    assert db.session.execute(db.select(FeedState.__table__)).all() == states
    db.session.get(Event, changed.id).title = "Pop-up at the station"
    db.session.commit()
    version_memo.forget()
    compiled = []

    def note(_conn, _cursor, statement, _parameters, context, _many):
        if context.cache_hit is CACHE_MISS:
            compiled.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", note)
    try:
        rebuilt = client.get("/feeds/public.ics")
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", note)
    assert b"Pop-up at the station" in rebuilt.data
    assert compiled == []


def test_a_rehearsal_behind_a_transaction_holding_the_feeds_rows_gives_up_within_seconds(
    app, client
):
    """gunicorn does not time out a worker still in post_fork: a transaction left holding the
    row a build's write locks must not keep every new worker from booting."""
    import time

    from factories import make_event
    from sqlalchemy import text

    from csp_events.extensions import db
    from csp_events.ops.warming import rehearse_public_feed_rebuild

    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's writers wait at most its busy timeout")
    make_event(title="Pop-up")
    client.get("/feeds/public.ics")
    with db.engine.connect() as other:
        other.execute(text("UPDATE feed_revision_generations SET generation = generation"))
        began = time.monotonic()
        rehearsed = rehearse_public_feed_rebuild(app)
        waited = time.monotonic() - began
        other.rollback()

    assert waited < 5
    assert rehearsed is None  # said so in the log; the worker boots
    assert client.get("/feeds/public.ics").status_code == 200
