"""Behind a reverse proxy: trusted X-Forwarded-* headers, and one JSON log line per request."""

import json
import logging
import os
import sys
import time
from datetime import UTC, datetime

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .log_redaction import redact

request_log = logging.getLogger("csp_events.requests")
# Set on the request gunicorn's master makes of itself before forking (ops/warming.py): its
# own line in gunicorn's log says how it went, so it is not logged as a client's request.
WARM_UP = "csp_events.warm_up"
STDERR_HANDLER = "csp_events.requests.stderr"  # the handler's name: added once, however often


def install(app: Flask) -> None:
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies > 0:
        # Only as many hops as there are proxies we run: a client cannot forge its address.
        # Flask documents wrapping wsgi_app like this, but types it as a method.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
    if app.config["REQUEST_LOG"]:
        _log_to_stderr()
        app.wsgi_app = RequestLog(app.wsgi_app)  # type: ignore[method-assign]  # as above


def _log_to_stderr() -> None:
    request_log.setLevel(logging.INFO)
    request_log.propagate = False
    if not any(h.name == STDERR_HANDLER for h in request_log.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        handler.name = STDERR_HANDLER
        request_log.addHandler(handler)


class RequestLog:
    """WSGI middleware (inside ProxyFix, so it sees the client's address): one line per request,
    written when the response is finished, errors and refusals included."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        started = (time.perf_counter(), time.thread_time())
        seen: dict = {}

        def recording_start_response(status, headers, exc_info=None):
            seen["status"] = int(status.split(" ", 1)[0])
            seen["bytes"] = next((v for k, v in headers if k.lower() == "content-length"), None)
            return start_response(status, headers, exc_info)

        body = self.app(environ, recording_start_response)
        try:
            yield from body
        finally:
            if hasattr(body, "close"):
                body.close()
            if not environ.get(WARM_UP):
                request_log.info(json.dumps(line(environ, seen, started), separators=(",", ":")))


def line(environ: dict, seen: dict, started: tuple[float, float]) -> dict:
    """`ms` is the time this process spent on the request (a feed it built includes sharing
    the build after the answer was sent); `cpu_ms` the CPU it spent on it. Far apart, the
    worker was waiting: for the database, or for a busy CPU."""
    path = environ.get("PATH_INFO", "")
    query = environ.get("QUERY_STRING", "")
    return {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "method": environ.get("REQUEST_METHOD"),
        "path": redact(path + (f"?{query}" if query else "")),
        "status": seen.get("status"),
        "ms": round((time.perf_counter() - started[0]) * 1000, 1),
        "cpu_ms": round((time.thread_time() - started[1]) * 1000, 1),
        "bytes": int(seen["bytes"]) if seen.get("bytes") else None,
        "ip": environ.get("REMOTE_ADDR"),
        "user": environ.get("csp_events.user_id"),
        "pid": os.getpid(),
    }
