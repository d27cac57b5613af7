"""`flask backup` and `flask restore`: every row of every table comes back."""

import pytest
from factories import fill_every_table
from sqlalchemy import text

from csp_events.extensions import db

pytestmark = pytest.mark.usefixtures("app_context")


# A restore starts the change log's new epoch (changes.services.start_new_epoch).
CHANGE_LOG = {"change_log_epoch", "change_records"}


def everything() -> dict[str, list[tuple]]:
    snapshot = {}
    for table in db.metadata.sorted_tables:
        if table.name in CHANGE_LOG:
            continue
        order = [c for c in table.primary_key.columns] or list(table.columns)
        rows = db.session.execute(table.select().order_by(*order)).all()
        snapshot[table.name] = [tuple(row) for row in rows]
    db.session.rollback()
    return snapshot


def empty_every_table() -> None:
    db.session.remove()
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))


def cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_every_table_has_rows_before_the_backup(app, outbox):
    counts = fill_every_table()
    empty = sorted(name for name, rows in counts.items() if rows == 0)
    assert not empty, f"fill_every_table() leaves these tables empty: {empty}"


def test_a_backup_restores_every_row_into_an_empty_database(app, tmp_path, outbox):
    fill_every_table()
    before = everything()
    target = tmp_path / "backup.dump"
    made = cli(app, "backup", str(target))
    assert made.exit_code == 0, made.output
    assert target.stat().st_mode & 0o777 == 0o600
    empty_every_table()
    assert not any(everything().values())
    restored = cli(app, "restore", str(target))
    assert restored.exit_code == 0, restored.output
    assert everything() == before


def test_a_restore_gives_the_change_log_a_new_epoch(app, tmp_path, outbox):
    """Ids count again from the backup's: no version, cache entry or feed made before the
    restore may match one made after."""
    from csp_events.changes.services import read_version

    fill_every_table()
    epoch = read_version().split(".")[0]
    target = tmp_path / "backup.dump"
    cli(app, "backup", str(target))
    restored = cli(app, "restore", "--force", str(target))
    assert restored.exit_code == 0, restored.output
    assert read_version().split(".")[0] != epoch


def test_restore_refuses_a_database_with_data_unless_forced(app, tmp_path, outbox):
    fill_every_table()
    target = tmp_path / "backup.dump"
    cli(app, "backup", str(target))
    refused = cli(app, "restore", str(target))
    assert refused.exit_code == 1 and "The database is not empty" in refused.output
    forced = cli(app, "restore", "--force", str(target))
    assert forced.exit_code == 0, forced.output


def test_restore_refuses_a_file_that_is_not_a_backup(app, tmp_path):
    wrong = tmp_path / "notes.txt"
    wrong.write_text("not a backup")
    result = cli(app, "restore", str(wrong))
    assert result.exit_code == 1 and "backup" in result.output


def test_a_backup_never_overwrites_another(app, tmp_path):
    target = tmp_path / "backup.dump"
    target.write_text("an older backup")
    result = cli(app, "backup", str(target))
    assert result.exit_code == 1 and "already exists" in result.output
    assert target.read_text() == "an older backup"


def test_a_resident_erased_after_the_backup_stays_erased_when_it_is_restored(app, tmp_path):
    from factories import make_coordinator
    from visit_factories import SENTINELS, make_referral

    from csp_events.referrals.audit import AuditRecord
    from csp_events.referrals.erasure import erase_resident
    from csp_events.referrals.models import ResidentDetails

    erased_later, kept = make_referral(), make_referral(name="Someone Else")
    erased_id, erased_reference, kept_id = erased_later.id, erased_later.reference, kept.id
    db.session.rollback()  # hold no lock while the backup reads
    target = tmp_path / "backup.dump"
    assert cli(app, "backup", str(target)).exit_code == 0
    erase_resident(erased_later, by=make_coordinator())
    db.session.rollback()

    restored = cli(app, "restore", "--force", str(target))

    assert restored.exit_code == 0, restored.output
    assert f"Erased again 1 resident(s) erased since the backup: {erased_reference}" in (
        restored.output
    )
    db.session.expire_all()
    assert db.session.get(ResidentDetails, erased_id) is None
    assert db.session.get(ResidentDetails, kept_id).name == "Someone Else"
    assert SENTINELS["name"] not in str(everything())
    again = db.session.execute(
        db.select(AuditRecord).where(AuditRecord.detail == "again, after a restore")
    ).scalar_one()
    assert again.referral_id == erased_id and again.actor_id is None


def test_an_erasure_on_record_never_touches_a_different_referral_with_the_same_id(app):
    from datetime import datetime

    from visit_factories import make_referral

    from csp_events.referrals import erasure_register as erasures
    from csp_events.referrals.models import ResidentDetails

    referral = make_referral()
    erasures.remember(app.instance_path, referral.id, datetime(2020, 1, 1))

    result = cli(app, "reapply-erasures")

    assert result.exit_code == 0, result.output
    assert "Erased again 0 resident(s)" in result.output
    assert db.session.get(ResidentDetails, referral.id) is not None


def test_an_erasure_made_before_the_register_existed_is_honoured_by_a_restore_over_it(
    app, tmp_path
):
    from factories import make_coordinator
    from visit_factories import make_referral

    from csp_events.referrals.erasure import erase_resident
    from csp_events.referrals.erasure_register import register_path
    from csp_events.referrals.models import ResidentDetails

    referral = make_referral()
    referral_id = referral.id
    db.session.rollback()
    target = tmp_path / "backup.dump"
    assert cli(app, "backup", str(target)).exit_code == 0
    erase_resident(referral, by=make_coordinator())
    register_path(app.instance_path).unlink()  # as on an installation older than the register
    db.session.rollback()

    restored = cli(app, "restore", "--force", str(target))

    assert restored.exit_code == 0, restored.output
    assert "Noted 1 erasure(s) from this database's audit trail." in restored.output
    db.session.expire_all()
    assert db.session.get(ResidentDetails, referral_id) is None
