"""gunicorn settings for `make serve` and the systemd unit (environment overrides in brackets)."""

import multiprocessing
import os

# [BIND] nginx proxies to this; keep it on the loopback unless nginx is elsewhere.
bind = os.environ.get("BIND", "127.0.0.1:8000")
# [WEB_CONCURRENCY] sync workers: each handles one request at a time, so several run at once.
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# A worker is replaced after this many requests, so a slow leak cannot grow for ever.
max_requests = 2000
max_requests_jitter = 200
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
