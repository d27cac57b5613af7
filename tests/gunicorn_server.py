"""gunicorn with several workers on a free 127.0.0.1 port, against the test database, and a
small cookie-keeping HTTP client (standard library only) to talk to it."""

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

from mailserver import free_port

REPO = Path(__file__).resolve().parent.parent
CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


@contextmanager
def gunicorn(database_url: str, tmp_path: Path, *, workers: int = 2, redis_url: str = ""):
    port = free_port()
    log = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "test-secret-key-for-gunicorn-workers",
        "WEB_CONCURRENCY": str(workers),
        "BIND": f"127.0.0.1:{port}",
        "REQUEST_LOG": "1",
    }
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--config",
        "gunicorn.conf.py",
        "app:app",
    ]
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=REPO, env=env, stdout=output, stderr=output)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base, server, log)
        yield Server(base, log)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_until_up(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within 60 s:\n{log.read_text()}")


class Server:
    def __init__(self, base: str, log: Path):
        self.base, self.log = base, log

    def request_lines(self) -> list[dict]:
        return [
            json.loads(line) for line in self.log.read_text().splitlines() if line.startswith("{")
        ]

    def headers(self, path: str) -> dict[str, str]:
        with urllib.request.urlopen(self.base + path, timeout=30) as answer:
            return dict(answer.headers.items())

    def browser(self) -> "Browser":
        return Browser(self.base)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's browser: cookies kept, redirects not followed, status codes returned."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirects()
        )

    def open(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, path: str, data: dict | None = None, *, form_page: str = "/login") -> int:
        _status, page = self.open(form_page)
        match = CSRF.search(page)
        return self.open(path, {**(data or {}), "csrf_token": match[1] or match[2]})[0]

    def sign_in(self, email: str, password: str) -> int:
        return self.post("/login", {"email": email, "password": password})
