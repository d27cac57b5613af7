"""The resident-data key: held outside the database, rotated by a command, required to read."""

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text
from visit_factories import SENTINELS, make_referral

from csp_events.extensions import db
from csp_events.referrals.models import ResidentDetails
from csp_events.visits.keyring import KeyProblem, ResidentKeyring, key_file, read_key_file


def stored_name(referral_id: int) -> str:
    return db.session.execute(
        text("SELECT name FROM resident_details WHERE referral_id = :id"), {"id": referral_id}
    ).scalar_one()


def test_rotating_the_key_re_encrypts_everything_and_retires_the_old_key(app, app_context):
    referral = make_referral()
    old_keys = read_key_file(key_file(app.instance_path))
    before = stored_name(referral.id)
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["rotate-resident-key"])
    assert result.exit_code == 0, result.output
    assert "Re-encrypted 2 record(s)" in result.output  # the details; the referrer's reference

    new_keys = read_key_file(key_file(app.instance_path))
    assert new_keys[0] not in old_keys and new_keys[1:] == old_keys  # old: for older backups
    after = stored_name(referral.id)
    assert after != before and SENTINELS["name"] not in after
    db.session.expire_all()
    assert db.session.get(ResidentDetails, referral.id).name == SENTINELS["name"]
    with pytest.raises(KeyProblem, match="cannot be decrypted"):
        ResidentKeyring(old_keys, "the old key").decrypt(after)

    retired = app.test_cli_runner().invoke(args=["rotate-resident-key", "--retire-old-keys"])
    assert retired.exit_code == 0 and "older keys are forgotten" in retired.output
    assert read_key_file(key_file(app.instance_path)) == new_keys[:1]
    db.session.expire_all()
    assert db.session.get(ResidentDetails, referral.id).name == SENTINELS["name"]


def test_the_referrers_reference_is_stored_encrypted(app_context):
    referral = make_referral()  # referred as "CAD 123"
    stored = db.session.execute(
        text("SELECT partner_reference FROM referrals WHERE id = :id"), {"id": referral.id}
    ).scalar_one()
    assert "CAD" not in stored and "123" not in stored
    db.session.expire_all()
    assert db.session.get(type(referral), referral.id).partner_reference == "CAD 123"


def test_a_value_no_key_can_read_stops_the_rotation_with_nothing_changed(app, app_context):
    referral = make_referral()
    before = stored_name(referral.id)
    db.session.commit()
    current = app.extensions["resident_keyring"]
    app.extensions["resident_keyring"] = ResidentKeyring([Fernet.generate_key().decode()], "test")
    try:
        result = app.test_cli_runner().invoke(args=["rotate-resident-key", "--retire-old-keys"])
        assert result.exit_code != 0 and "nothing was changed" in result.output
    finally:
        app.extensions["resident_keyring"] = current
    assert stored_name(referral.id) == before


def test_a_key_from_the_environment_is_rotated_by_listing_the_new_key_first(app, app_context):
    referral = make_referral()
    current = app.extensions["resident_keyring"]
    newer = Fernet.generate_key().decode()
    try:
        app.extensions["resident_keyring"] = ResidentKeyring(
            current.keys, "the RESIDENT_DATA_KEY environment variable"
        )
        refused = app.test_cli_runner().invoke(args=["rotate-resident-key"])
        assert refused.exit_code != 0 and "Put a new key first" in refused.output
        app.extensions["resident_keyring"] = ResidentKeyring(
            [newer, *current.keys], "the RESIDENT_DATA_KEY environment variable"
        )
        done = app.test_cli_runner().invoke(args=["rotate-resident-key"])
        assert done.exit_code == 0 and "first in RESIDENT_DATA_KEY" in done.output
        assert (
            ResidentKeyring([newer], "new").decrypt(stored_name(referral.id)) == SENTINELS["name"]
        )
    finally:
        app.extensions["resident_keyring"] = ResidentKeyring([newer, *current.keys], "restored")


def test_without_the_right_key_resident_details_cannot_be_read():
    wrong = ResidentKeyring([Fernet.generate_key().decode()], "instance/resident_data.key")
    right = ResidentKeyring([Fernet.generate_key().decode()], "elsewhere")
    with pytest.raises(KeyProblem, match="Restore the key"):
        wrong.decrypt(right.encrypt("Zebedee"))


def test_a_malformed_key_is_reported_clearly():
    with pytest.raises(KeyProblem, match="not a valid key"):
        ResidentKeyring(["not-a-key"], "RESIDENT_DATA_KEY")


def test_a_server_with_the_wrong_key_says_so_instead_of_failing(app, client, app_context):
    from conftest import login_as
    from factories import make_coordinator

    referral_id = make_referral().id  # read now: the referral row is encrypted too
    coordinator = make_coordinator()
    right = app.extensions["resident_keyring"]
    app.extensions["resident_keyring"] = ResidentKeyring([Fernet.generate_key().decode()], "test")
    try:
        login_as(client, coordinator)
        response = client.get(f"/referrals/{referral_id}")
        assert response.status_code == 503
        assert "key that unlocks residents’ details" in response.get_data(as_text=True)
    finally:
        app.extensions["resident_keyring"] = right
