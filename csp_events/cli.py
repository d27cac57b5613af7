"""Command-line tasks: the first coordinator, demo data, reminders, backups, resident data care."""

from datetime import datetime
from pathlib import Path

import click
from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from .errors import DomainError


def register_cli(app: Flask) -> None:
    from .referrals.commands import register_resident_commands

    register_resident_commands(app)

    @app.cli.command("create-coordinator")
    @click.option("--name", prompt="Full name")
    @click.option("--email", prompt="Email address")
    @click.password_option("--password", prompt="Password (at least 8 characters)")
    def create_coordinator_command(name: str, email: str, password: str) -> None:
        """Create a coordinator account (the coordinator then invites everyone else)."""
        from .auth.services import create_coordinator

        try:
            user = create_coordinator(name, email, password)
        except DomainError as error:
            raise click.ClickException(error.message) from None
        click.echo(f"Coordinator {user.email} created. Sign in at /login.")

    @app.cli.command("load-demo")
    def load_demo_command() -> None:
        """Load the Brentwood demo data into an empty database (does nothing otherwise)."""
        from .demo.data import DEMO_LOGINS, database_is_empty, load_demo
        from .ops.statistics import refresh_statistics

        if not database_is_empty():
            click.echo("The database already has data: demo data not loaded.")
            return
        load_demo()
        refresh_statistics()
        click.echo("Brentwood demo data loaded.")
        for role, (email, password) in DEMO_LOGINS.items():
            click.echo(f"  {role:<12} {email}  password: {password}")

    register_operations(app)
    register_statistics(app)


def register_operations(app: Flask) -> None:
    @app.cli.command("send-reminders")
    @click.option("--now", "at", help="Pretend it is this time (ISO 8601, e.g. 2026-05-01T09:00Z).")
    @click.option("--dry-run", is_flag=True, help="List what is due without sending or recording.")
    def send_reminders_command(at: str | None, dry_run: bool) -> None:
        """Email every reminder that is due; never the same one twice (run it every 5 minutes)."""
        from .reminders.services import due_now, send_due
        from .timezones import utcnow

        now = _parse_moment(at) if at else utcnow()
        if dry_run:
            for due in due_now(now, app.config):
                click.echo(f"due: {due.kind} about #{due.subject_id} to user #{due.recipient_id}")
            return
        report = send_due(now)
        click.echo(
            f"{len(report.sent)} sent, {len(report.failed)} failed, "
            f"{report.already} sent before, {report.not_wanted} turned off by the person."
        )
        _send_notices(now)
        for due, error in report.failed:
            click.echo(f"failed: {due.kind} to user #{due.recipient_id}: {error}", err=True)
        if report.lost:
            click.echo(
                f"{report.lost} reminder(s) were claimed by a run that stopped before sending "
                "them; they are not sent again (see README, Reminders).",
                err=True,
            )
        if report.failed:
            raise SystemExit(1)

    @app.cli.command("backup")
    @click.argument("path", required=False, type=click.Path(path_type=Path))
    def backup_command(path: Path | None) -> None:
        """Write a consistent copy of the database (safe while the app is running)."""
        from .extensions import db
        from .ops.backups import backup, default_path, row_counts

        target = path or default_path(Path(app.instance_path), db.engine)
        try:
            written = backup(target)
        except DomainError as error:
            raise click.ClickException(error.message) from None
        rows = sum(row_counts().values())
        click.echo(
            f"Backup written to {written} ({written.stat().st_size:,} bytes; {rows:,} rows now)."
        )

    @app.cli.command("restore")
    @click.argument("path", type=click.Path(path_type=Path))
    @click.option("--force", is_flag=True, help="Replace a database that already has data.")
    def restore_command(path: Path, force: bool) -> None:
        """Bring a backup back into this database (stop the app first)."""
        from .ops.backups import restore, row_counts
        from .ops.statistics import refresh_statistics
        from .referrals.commands import note_erasures_before_restoring, reapply_erasures

        note_erasures_before_restoring()
        try:
            restore(path, force=force)
        except DomainError as error:
            raise click.ClickException(error.message) from None
        refresh_statistics()
        counts = row_counts()
        click.echo(f"Restored {sum(counts.values()):,} rows in {len(counts)} tables from {path}.")
        click.echo("If the backup is from an older version, run `flask db upgrade` next.")
        reapply_erasures()


def register_statistics(app: Flask) -> None:
    @app.cli.command("refresh-statistics")
    def refresh_statistics_command() -> None:
        """ANALYZE the tables whose planner statistics are missing or stale (PostgreSQL; for
        a server whose autovacuum is off, or straight after loading data in bulk)."""
        from .extensions import db
        from .ops.statistics import analyze_stale_tables

        if db.engine.dialect.name != "postgresql":
            click.echo("Nothing to do: only PostgreSQL keeps planner statistics of this kind.")
            return
        try:
            analyzed = analyze_stale_tables()
        except SQLAlchemyError as error:
            reason = str(error).splitlines()[0]
            raise click.ClickException(f"Statistics not gathered: {reason}") from None
        click.echo(
            f"Planner statistics gathered for {len(analyzed)} tables: {', '.join(analyzed)}"
            if analyzed
            else "Planner statistics are up to date."
        )


def _send_notices(now: datetime) -> None:
    """Notices still in the outbox (normally sent as the change is made; this is the backstop),
    and a trim of the change log."""
    from .changes.services import prune
    from .messaging.services import follow_up_texts
    from .messaging.services import send_pending as send_messages
    from .notices.services import send_pending

    report = send_pending(now)
    click.echo(f"Notices: {len(report.sent)} sent, {len(report.failed)} not sent.")
    messages = send_messages(now)
    click.echo(
        f"Messages: {messages.sent} sent, {messages.failed} not sent; "
        f"{follow_up_texts()} texts confirmed delivered or failed by Notify."
    )
    for notice_id, error in report.failed:
        click.echo(f"failed: notice #{notice_id}: {error}", err=True)
    if report.lost:
        click.echo(
            f"{report.lost} notice(s) were claimed by a sender that stopped before sending "
            "them; they are not sent again.",
            err=True,
        )
    prune()


def _parse_moment(text: str) -> datetime:
    from datetime import UTC

    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not an ISO 8601 time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
