"""Consistent copies of the database while the app runs, and bringing one back.

SQLite: the online backup API (a consistent snapshot even while other processes write).
PostgreSQL: pg_dump in its custom format (one snapshot transaction), restored with pg_restore.
"""

import os
import shutil
import sqlite3

# pg_dump and pg_restore only, run with argument lists, never through a shell.
import subprocess  # nosec B404
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, inspect
from sqlalchemy.engine import URL, Engine

from ..changes.services import start_new_epoch
from ..errors import DomainError
from ..extensions import db

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


def default_path(instance_path: Path, engine: Engine) -> Path:
    suffix = "sqlite" if engine.dialect.name == "sqlite" else "pgdump"
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return instance_path / "backups" / f"csp-events-{stamp}.{suffix}"


def row_counts() -> dict[str, int]:
    """Rows in each of the app's tables that exist in the database."""
    present = set(inspect(db.engine).get_table_names())
    counts = {}
    for table in db.metadata.sorted_tables:
        if table.name in present:
            counts[table.name] = db.session.scalar(db.select(func.count()).select_from(table))
    db.session.rollback()
    return counts


def backup(path: Path) -> Path:
    engine = db.engine
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        raise DomainError(f"{path} already exists: choose another name.")
    if engine.dialect.name == "sqlite":
        _sqlite_copy(_sqlite_file(engine), path)
    else:
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={path}"], engine.url)
    path.chmod(0o600)  # personal data: readable by the service account only
    return path


def restore(path: Path, *, force: bool) -> None:
    if not path.is_file():
        raise DomainError(f"{path} is not a file.")
    engine = db.engine
    header = path.read_bytes()[:16]
    sqlite = engine.dialect.name == "sqlite"
    if sqlite and not header.startswith(SQLITE_MAGIC):
        raise DomainError(f"{path} is not a SQLite backup, and this database is SQLite.")
    if not sqlite and not header.startswith(PGDUMP_MAGIC):
        raise DomainError(f"{path} is not a pg_dump (custom format) backup.")
    if not force and any(row_counts().values()):
        raise DomainError(
            "The database is not empty. Restoring replaces everything in it: "
            "add --force if that is what you want."
        )
    db.session.remove()
    engine.dispose()
    if sqlite:
        _sqlite_copy(path, _sqlite_file(engine))
    else:
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
            ],
            engine.url,
            path,
        )
    engine.dispose()
    start_new_epoch(f"restored from {path.name}")


def _sqlite_file(engine: Engine) -> Path:
    if not engine.url.database:
        raise DomainError("This SQLite database is in memory: it has no file to copy.")
    return Path(engine.url.database)


def _sqlite_copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _run(command: list[str], url: URL, *paths: Path) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise DomainError(
            f"{command[0]} is not installed: install PostgreSQL's client tools "
            "(Debian: apt-get install postgresql-client) at the server's version or newer."
        )
    plain = url.set(drivername="postgresql", password=None)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)  # not on the command line, where `ps` shows it
    argv = [tool, *command[1:], f"--dbname={plain.render_as_string(hide_password=False)}"]
    argv += [str(p) for p in paths]
    result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # nosec B603
    if result.returncode != 0:
        raise DomainError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")
