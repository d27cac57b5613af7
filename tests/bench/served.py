"""Serving and loading for tests/bench/bench_served.py: gunicorn started exactly as `make serve`
starts it, wrk with 16 connections, and gunicorn's error log read for worker boots and timeouts."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
WRK = os.environ.get("BENCH_WRK", "/usr/bin/wrk")
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Served:
    name: str
    base: str
    log: Path
    process: subprocess.Popen

    def worker_events(self) -> tuple[int, int]:
        """(workers booted, worker timeouts) so far, from gunicorn's own log lines."""
        text = self.log.read_text(errors="replace")
        return text.count("Booting worker with pid"), text.count("WORKER TIMEOUT")


@contextmanager
def gunicorn(name: str, module: str, folder: Path, env: dict, *, pythonpath: str = ""):
    """`.venv/bin/gunicorn --config gunicorn.conf.py app:app` from the repository, with the
    environment `make serve` passes (DATABASE_URL, REDIS_URL) and a free port as BIND."""
    port = free_port()
    log = folder / f"gunicorn-{name}.log"
    command = [GUNICORN, "--config", "gunicorn.conf.py", module]
    if pythonpath:
        command[3:3] = ["--pythonpath", pythonpath]
    with log.open("w") as output:
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env={**os.environ, **env, "BIND": f"127.0.0.1:{port}"},
            stdout=output,
            stderr=output,
        )
    served = Served(name, f"http://127.0.0.1:{port}", log, process)
    try:
        wait_until_up(served)
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_until_up(served: Served, path: str = "/") -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            raise RuntimeError(f"gunicorn ({served.name}) stopped:\n{served.log.read_text()}")
        try:
            with urllib.request.urlopen(served.base + path, timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn ({served.name}) did not answer within 120 s")


@dataclass
class Load:
    rate: float  # requests a second
    p50_ms: float
    p99_ms: float
    errors: int  # socket errors and answers other than 2xx/3xx
    requests: int


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(url: str, seconds: int, headers: dict | None = None, connections: int = CONNECTIONS):
    """wrk against one URL: rate, latency percentiles and errors."""
    command = [WRK, f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    command += ["--timeout", "30s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 60, check=True
    ).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.MULTILINE))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = (sum(map(int, socket_errors.groups())) if socket_errors else 0) + (
        int(bad[1]) if bad else 0
    )
    return Load(
        rate=float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        p50_ms=_ms(latency["50"]) if latency else float("nan"),  # nothing answered
        p99_ms=_ms(latency["99"]) if latency else float("nan"),
        errors=errors,
        requests=int(re.search(r"(\d+) requests in", out)[1]),
    )


def timed_get(url: str, headers: dict | None = None) -> tuple[float, int, dict, bytes]:
    """One GET: seconds to the last byte, status (0: no answer within a worker's timeout and
    a margin, or the connection dropped), headers, body."""
    request = urllib.request.Request(url, headers=headers or {})
    began = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=35) as answer:
            body = answer.read()
            status, got = answer.status, dict(answer.headers.items())
    except urllib.error.HTTPError as answer:
        body, status, got = answer.read(), answer.code, dict(answer.headers.items())
    except OSError:
        body, status, got = b"", 0, {}
    return time.perf_counter() - began, status, got, body
