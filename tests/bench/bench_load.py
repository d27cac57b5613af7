"""Load run: gunicorn on 127.0.0.1 under locust, a mix of feed polls (mostly conditional),
calendar pages and sign-ups, with the trivial route's rate measured in the same run as the
ceiling. Prints requests per second and p50/p99 latency per kind of request.

Database: PostgreSQL (database `csp_events_bench`, created if missing) when it answers on
127.0.0.1:5432, else a SQLite file; BENCH_DATABASE_URL overrides. Never the `test` database.
"""

import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parents[1]))

SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
USERS = int(os.environ.get("BENCH_USERS", "16"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
PASSWORD = "bench password 2026"


def database_url(folder: Path) -> str:
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    try:
        socket.create_connection(("127.0.0.1", 5432), 1).close()
    except OSError:
        return f"sqlite:///{folder / 'bench.sqlite'}"
    from sqlalchemy import create_engine, text

    admin = create_engine(
        "postgresql+psycopg://postgres@127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS csp_events_bench WITH (FORCE)"))
        connection.execute(text("CREATE DATABASE csp_events_bench"))
    admin.dispose()
    return "postgresql+psycopg://postgres@127.0.0.1:5432/csp_events_bench"


def seed(url: str, folder: Path | None) -> dict:
    """The Brentwood demo, 40 more volunteers who sign in, and some personal feed addresses.

    `folder` is the instance folder (resident-data key, secret key); None: the repository's
    `instance/`, the one `make serve` uses."""
    from werkzeug.security import generate_password_hash

    from csp_events import create_app
    from csp_events.auth.models import User
    from csp_events.auth.roles import Role
    from csp_events.auth.rules import PASSWORD_HASH_METHOD
    from csp_events.demo.data import load_demo
    from csp_events.events.models import Event
    from csp_events.extensions import db
    from csp_events.feeds.models import FeedScope
    from csp_events.feeds.services import issue_token
    from csp_events.timezones import utcnow

    instance = {"INSTANCE_PATH": str(folder)} if folder else {}
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, **instance})
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_demo()
        hashed = generate_password_hash(PASSWORD, method=PASSWORD_HASH_METHOD)
        people = [
            User(
                name=f"Bench Volunteer {n}",
                email=f"bench{n}@example.org",
                role=Role.VOLUNTEER,
                password_hash=hashed,
            )
            for n in range(40)
        ]
        db.session.add_all(people)
        db.session.commit()
        feeds = [f"/feeds/u/{issue_token(p, FeedScope.PERSONAL)}.ics" for p in people[:10]]
        events = list(
            db.session.execute(
                db.select(Event.id).where(
                    Event.starts_at > utcnow() + timedelta(days=2), Event.kind == "pop_up"
                )
            ).scalars()
        )
        plan = {"feeds": feeds, "events": events, "people": [p.email for p in people]}
        db.session.remove()
        db.engine.dispose()
    return plan


def run_locust(base: str, users: list[str], plan: dict, prefix: Path) -> list[dict]:
    env = {**os.environ, "BENCH_PLAN": json.dumps(plan), "BENCH_PASSWORD": PASSWORD}
    command = [
        str(Path(sys.executable).parent / "locust"),
        "-f",
        str(HERE / "locustfile.py"),
        "--headless",
        "-u",
        str(USERS),
        "-r",
        str(USERS),
        "-t",
        f"{SECONDS}s",
        "--host",
        base,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        *users,
    ]
    subprocess.run(command, env=env, check=False, capture_output=True, timeout=SECONDS + 120)
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def show(title: str, rows: list[dict]) -> None:
    print(f"\n{title}")
    print(f"  {'request':<34} {'count':>7} {'fail':>5} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7}")
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "ALL"
        print(
            f"  {(row['Type'] + ' ' + name).strip():<34} "
            f"{row['Request Count']:>7} {row['Failure Count']:>5} "
            f"{float(row['Requests/s']):>8.1f} {row['50%']:>7} {row['99%']:>7}"
        )


def main() -> None:
    if shutil.which("locust", path=str(Path(sys.executable).parent)) is None:
        print("Load run skipped: locust is not installed (it is in the dev extras: `make setup`).")
        return
    from gunicorn_server import gunicorn

    folder = Path(tempfile.mkdtemp(prefix="csp-bench-"))
    url = database_url(folder)
    engine = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(
        f"== Load run: gunicorn ({WORKERS} sync workers) on 127.0.0.1, {engine}, "
        f"{USERS} locust users, {SECONDS} s per phase =="
    )
    plan = seed(url, folder)
    redis_url = os.environ.get("BENCH_REDIS_URL", "")
    with gunicorn(url, folder, workers=WORKERS, redis_url=redis_url) as server:
        ceiling = run_locust(server.base, ["CeilingUser"], plan, folder / "ceiling")
        mix = run_locust(server.base, ["FeedPoller", "Volunteer"], plan, folder / "mix")
    show("Ceiling: the trivial route alone (/healthz)", ceiling)
    show("Mix: feed polls (9 in 10 conditional), calendar pages, sign-ups", mix)
    top = float(ceiling[-1]["Requests/s"])
    total = float(mix[-1]["Requests/s"])
    print(
        f"\n  mix throughput is {total / top:.2f}x the trivial route's "
        f"({total:.0f} vs {top:.0f} req/s)"
    )
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
