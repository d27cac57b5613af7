"""gunicorn settings for `make serve` and the systemd unit (environment overrides in brackets)."""

import gc
import multiprocessing
import os

# [BIND] nginx proxies to this; keep it on the loopback unless nginx is elsewhere.
bind = os.environ.get("BIND", "127.0.0.1:8000")
# [WEB_CONCURRENCY] sync workers: each handles one request at a time, so several run at once.
# Two per core: a worker waits on the database about a third of the time, so one per core
# leaves cores idle, but PostgreSQL (and Redis) run on the same machine and need the cores
# too. Measured under the bench's mixed load on two cores, four workers against gunicorn's
# usual 2 x cores + 1: slowest kind's p99 180-210 ms against 230-290, the same throughput.
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2)))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# [PRELOAD_APP=0 turns it off] The master imports the app once and each worker is a fork of
# it: a worker starts in milliseconds instead of ~1.5 s of CPU importing the app, which matters
# when max_requests replaces one. post_fork below drops the inherited database pool. Loaded
# once, new code needs a restart (systemctl restart), not a HUP.
preload_app = os.environ.get("PRELOAD_APP", "1") != "0"
# A worker is replaced after this many requests, so a slow leak cannot grow for ever. With
# built feeds in the shared cache and workers forked ready-made, a replacement costs little,
# but at 2,000 a poll-heavy burst (~1,000 requests a second across the workers) replaced one
# every couple of seconds. 20,000 is still hours of ordinary traffic (a county's calendars
# polling every 15 minutes is ~10 a second) and a minute or more of the heaviest; the jitter
# keeps workers from all being replaced at once.
max_requests = 20000
max_requests_jitter = 2000
# The app writes one JSON line per request (feed tokens redacted); gunicorn's own is off.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
# Forwarded headers are trusted by the app itself (TRUSTED_PROXIES), not by gunicorn.
forwarded_allow_ips = "127.0.0.1"
raw_env = [] if "REQUEST_LOG" in os.environ else ["REQUEST_LOG=1"]
# No shared control socket in the home directory: several instances (tests, bench) may run.
control_socket_disable = True


def _answer_without_naming_the_server() -> None:
    """gunicorn sends `Server: gunicorn` on every answer, which tells a scanner which flaws to
    try, and has no setting to stop it: leave the header out of the ones it writes."""
    from gunicorn.http.wsgi import Response

    writes = Response.default_headers
    if getattr(writes, "names_no_server", False):
        return

    def default_headers(self):
        return [line for line in writes(self) if not line.lower().startswith("server:")]

    default_headers.names_no_server = True
    Response.default_headers = default_headers


_answer_without_naming_the_server()


def when_ready(server) -> None:
    """With preload_app, the master brings the planner's statistics up to date, compiles every
    template and asks for the public feed once before the first fork (csp_events.ops.warming)."""
    if not server.cfg.preload_app:
        return
    application = server.app.wsgi()
    if "sqlalchemy" not in getattr(application, "extensions", {}):  # the bench's hello world
        return
    from csp_events.ops.warming import (
        refresh_planner_statistics,
        warm_before_forking,
        warm_public_feed,
    )

    analyzed = refresh_planner_statistics(application)
    server.log.info("planner statistics gathered for %d tables", len(analyzed))
    server.log.info("compiled %d templates before forking", warm_before_forking(application))
    server.log.info("public feed before forking: %s", warm_public_feed(application))


def pre_fork(server, worker) -> None:
    """With preload_app, everything the master imported is long-lived: frozen, the cycle
    collector never walks it again in the workers (each full pass over ~160,000 objects cost
    milliseconds on every feed build), and the pages it sits in stay shared between them."""
    if server.cfg.preload_app:
        gc.freeze()


def post_fork(server, worker) -> None:
    """With preload_app the master built the app, and with it the SQLAlchemy engine, before
    forking: each worker forgets the pool it inherited (without closing the master's
    connections), so no database connection is ever shared between processes. Redis clients
    (cache, rate limits) reconnect by themselves in a new process; the resident-data key is
    plain data and is inherited as it is. Then the worker rebuilds the public feed once, before
    its first request (csp_events.ops.warming.rehearse_public_feed_rebuild)."""
    if not server.cfg.preload_app:
        return
    application = server.app.wsgi()
    database = getattr(application, "extensions", {}).get("sqlalchemy")
    if database is None:  # not this app (e.g. the benchmark's hello world)
        return
    with application.app_context():
        for engine in database.engines.values():
            engine.dispose(close=False)
    from csp_events.ops.warming import rehearse_public_feed_rebuild

    spent = rehearse_public_feed_rebuild(application)
    if spent is not None:
        server.log.info("worker %s rehearsed a public feed rebuild: %.0f ms", worker.pid, spent)
