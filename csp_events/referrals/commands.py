"""Commands for resident data: the retention purge and rotating the encryption key."""

from datetime import timedelta

import click
from cryptography.fernet import Fernet
from flask import Flask, current_app
from sqlalchemy import Text, bindparam, column, table
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..timezones import utcnow
from ..visits.keyring import (
    EncryptedText,
    KeyProblem,
    ResidentKeyring,
    key_file,
    keyring,
    write_key_file,
)
from .audit import audit
from .erasure import erase_again_after_restore, note_erasures_on_record, purge_expired
from .vocabulary import AuditAction


def encrypted_columns() -> dict[str, list[str]]:
    """Every table's encrypted columns, found from the models so none can be forgotten."""
    found: dict[str, list[str]] = {}
    for model_table in db.metadata.sorted_tables:
        names = [c.name for c in model_table.columns if isinstance(c.type, EncryptedText)]
        if names:
            found[model_table.name] = names
    return found


def reencrypt_everything(with_keys: ResidentKeyring) -> int:
    """Re-encrypt every encrypted value with the first key, in one transaction; returns a count.

    Raw SQL on purpose: the ORM would decrypt and re-encrypt through the app's current keyring.
    """
    changed = 0
    for table_name, names in encrypted_columns().items():
        model_table = db.metadata.tables[table_name]
        key_columns = [c.name for c in model_table.primary_key.columns]
        raw = table(
            table_name,
            *[column(n, model_table.c[n].type) for n in key_columns],
            *[column(n, Text) for n in names],
        )
        for row in db.session.execute(raw.select()).mappings().all():
            values = {n: with_keys.rotate(row[n]) for n in names if row[n] is not None}
            if not values:
                continue
            update = raw.update().values(values)
            for key_column in key_columns:
                update = update.where(raw.c[key_column] == bindparam(f"pk_{key_column}"))
            db.session.execute(update, {f"pk_{k}": row[k] for k in key_columns})
            changed += 1
    return changed


def register_resident_commands(app: Flask) -> None:
    @app.cli.command("purge-resident-data")
    @click.option("--days", type=int, default=None, help="Override the retention period in days.")
    def purge_command(days: int | None) -> None:
        """Remove resident details the retention period after their referral closed."""
        keep_for = timedelta(
            days=days if days is not None else current_app.config["RESIDENT_DATA_RETENTION_DAYS"]
        )
        purged = purge_expired(utcnow(), keep_for)
        click.echo(
            f"Removed resident details from {len(purged)} closed referral(s) "
            f"older than {keep_for.days} days{': ' + ', '.join(purged) if purged else ''}."
        )

    @app.cli.command("reapply-erasures")
    def reapply_erasures_command() -> None:
        """Erase again any resident erased since a restored backup was taken."""
        reapply_erasures()

    @app.cli.command("rotate-resident-key")
    @click.option(
        "--retire-old-keys",
        is_flag=True,
        help="No new key: re-encrypt with the current key and forget the older ones.",
    )
    def rotate_command(retire_old_keys: bool) -> None:
        """Encrypt every resident detail with a new key (older keys stay, to read old backups)."""
        current = keyring()
        path = key_file(current_app.instance_path)
        from_file = current.source == str(path)
        if retire_old_keys:
            keys = current.keys
        elif from_file:
            keys = [Fernet.generate_key().decode(), *current.keys]
            write_key_file(path, keys)  # written first: an interrupted run loses nothing
        elif len(current.keys) < 2:
            raise click.ClickException(
                "The key comes from RESIDENT_DATA_KEY. Put a new key first, then the old one, "
                "separated by a comma, and run this again. A new key:\n  "
                + Fernet.generate_key().decode()
            )
        else:
            keys = current.keys
        changed = _reencrypt(ResidentKeyring(keys, current.source))
        kept = keys[:1] if retire_old_keys else keys
        current_app.extensions["resident_keyring"] = ResidentKeyring(kept, current.source)
        if from_file:
            write_key_file(path, kept)
        click.echo(_rotation_message(changed, from_file, retire_old_keys, path))


def _reencrypt(keys: ResidentKeyring) -> int:
    try:
        changed = reencrypt_everything(keys)
    except KeyProblem as problem:
        db.session.rollback()
        raise click.ClickException(str(problem)) from None
    audit(AuditAction.REENCRYPT, actor=None, referral_id=None, detail=f"{changed} rows")
    db.session.commit()
    return changed


def _rotation_message(changed: int, from_file: bool, retired: bool, path) -> str:
    where = str(path) if from_file else "RESIDENT_DATA_KEY"
    if retired:
        done = f"Re-encrypted {changed} record(s) with the current key; older keys are forgotten"
        advice = "." if from_file else ": remove them from RESIDENT_DATA_KEY and restart the app."
        return done + advice + " Backups made before the last rotation can no longer be read."
    return (
        f"Re-encrypted {changed} record(s) with a new key (first in {where}). Restart the app "
        "now (every worker) so it writes with the new key. The older key is kept only to read "
        "older backups and anything a worker still running wrote; once those are no longer "
        "needed, run `flask rotate-resident-key --retire-old-keys`."
    )


def note_erasures_before_restoring() -> None:
    """The database about to be replaced may record erasures the register lacks (made
    before it existed): note them, so the restore honours them. A database without the
    tables yet has nothing to note."""

    try:
        added = note_erasures_on_record()
    except SQLAlchemyError:
        db.session.rollback()
        return
    if added:
        click.echo(f"Noted {added} erasure(s) from this database's audit trail.")


def reapply_erasures() -> None:
    """After a restore: erase anew whoever was erased since the backup, then purge what the
    retention period has overtaken. Run by `flask restore`, or on its own after upgrading."""
    try:
        erased = erase_again_after_restore(current_app.instance_path)
        keep_for = timedelta(days=current_app.config["RESIDENT_DATA_RETENTION_DAYS"])
        purged = purge_expired(utcnow(), keep_for)
    except KeyProblem:
        db.session.rollback()
        raise click.ClickException(
            "Erasures made since this backup could not be applied: its resident details need "
            "a key this app no longer has. Add that key to the key file (or RESIDENT_DATA_KEY), "
            "then run `flask reapply-erasures`: until then, residents erased since the backup "
            "are back in the database."
        ) from None
    except SQLAlchemyError:
        db.session.rollback()
        raise click.ClickException(
            "Erasures made since this backup could not be applied yet. Run `flask db upgrade`, "
            "then `flask reapply-erasures`: until then, residents erased since the backup are "
            "back in the database."
        ) from None
    click.echo(
        f"Erased again {len(erased)} resident(s) erased since the backup"
        f"{': ' + ', '.join(erased) if erased else ''}; removed details past the retention "
        f"period from {len(purged)} referral(s)."
    )
