"""Who sees a resident's details: the access matrix, sentinels kept out of everything else,
audit."""

import logging
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import login_as, post
from factories import at, days_ahead, make_coordinator, make_user
from visit_factories import SENTINELS, home_visit_volunteer, make_referral, make_visit

from csp_events.auth.roles import Role
from csp_events.extensions import db
from csp_events.referrals.audit import AuditIsAppendOnly, AuditRecord
from csp_events.referrals.vocabulary import AuditAction
from csp_events.timezones import utcnow

NAME = SENTINELS["name"].encode()


def sentinel_in(body: bytes) -> list[str]:
    return [key for key, value in SENTINELS.items() if value.encode() in body]


@pytest.fixture
def case(app_context):
    """A referral by a police partner, with a visit by two volunteers in a chosen window."""
    referrer = make_user(Role.PARTNER, name="PC Referrer")
    referral = make_referral(referrer)
    pair = [home_visit_volunteer(name="Vi One"), home_visit_volunteer(name="Vi Two")]
    return {
        "referral": referral,
        "referrer": referrer,
        "pair": pair,
        "coordinator": make_coordinator(),
        "other_volunteer": home_visit_volunteer(name="Nosy Volunteer"),
        "other_partner": make_user(Role.PARTNER, name="PC Other"),
    }


def visit_starting(case, offset: timedelta):
    return make_visit(case["referral"], case["pair"], starts_at=utcnow() + offset, hours=1)


def outcome_of(client, url: str) -> str:
    response = client.get(url)
    if response.status_code == 302 and "/login" in response.location:
        return "sign in"
    if response.status_code == 200:
        return "shown" if NAME in response.get_data() else "status only"
    return str(response.status_code)


# who, when the visit starts relative to now, then what view / edit / export give
# (an export is as absent as the referral to anyone who may not export it: 404, never 403)
MATRIX = [
    ("coordinator", timedelta(days=3), ("shown", "shown", "200")),
    ("assigned volunteer, well before", timedelta(hours=13), ("404", "403", "404")),
    ("assigned volunteer, just inside", timedelta(hours=11), ("shown", "403", "404")),
    ("assigned volunteer, during", timedelta(minutes=-30), ("shown", "403", "404")),
    ("assigned volunteer, soon after", timedelta(hours=-4), ("shown", "403", "404")),
    ("assigned volunteer, long after", timedelta(hours=-6), ("404", "403", "404")),
    ("other volunteer", timedelta(minutes=-30), ("404", "403", "404")),
    ("partner who referred", timedelta(minutes=-30), ("status only", "403", "404")),
    ("other partner", timedelta(minutes=-30), ("404", "403", "404")),
    ("anonymous", timedelta(minutes=-30), ("sign in", "sign in", "sign in")),
]


@pytest.mark.parametrize(("who", "offset", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
def test_resident_details_are_seen_only_by_the_right_people_at_the_right_time(
    client, case, who, offset, expected
):
    visit_starting(case, offset)
    person = {
        "coordinator": case["coordinator"],
        "other volunteer": case["other_volunteer"],
        "partner who referred": case["referrer"],
        "other partner": case["other_partner"],
        "anonymous": None,
    }.get(who, case["pair"][0])
    if person is not None:
        login_as(client, person)
    rid = case["referral"].id
    seen = (
        outcome_of(client, f"/referrals/{rid}"),
        outcome_of(client, f"/referrals/{rid}/correct"),
        str(client.get(f"/referrals/{rid}/export.json").status_code)
        if person is not None
        else outcome_of(client, f"/referrals/{rid}/export.json"),
    )
    assert seen == expected


def test_the_referring_partner_sees_the_status_but_not_what_was_added_since(client, case):
    visit_starting(case, timedelta(days=2))
    login_as(client, case["referrer"])
    page = client.get(f"/referrals/{case['referral'].id}").get_data(as_text=True)
    assert "Visit scheduled" in page and "CAD 123" in page
    assert "Vi One" not in page and SENTINELS["phone"] not in page


def test_a_volunteer_cannot_reach_a_referral_by_guessing_its_address(client, case):
    visit_starting(case, timedelta(minutes=-10))
    login_as(client, case["other_volunteer"])
    for rid in (case["referral"].id, case["referral"].id + 1, 999):
        assert client.get(f"/referrals/{rid}").status_code == 404
    assert client.get("/referrals").status_code == 403


def test_sentinel_details_stay_out_of_every_list_calendar_feed_and_log(client, case, caplog):
    caplog.set_level(logging.DEBUG)
    visit = visit_starting(case, timedelta(minutes=-10))
    volunteer = case["pair"][0]
    login_as(client, volunteer)
    feed_page = post(client, "/feeds/personal").get_data(as_text=True)
    personal_feed = feed_page.split("http://csp.test", 1)[1].split(".ics", 1)[0] + ".ics"
    volunteer_pages = [
        f"/events/{visit.id}",
        "/calendar",
        "/calendar?view=agenda",
        "/my-sessions",
        "/sessions",
        f"/events/{visit.id}.ics",
        personal_feed,
        "/feeds/public.ics",
    ]
    for path in volunteer_pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert sentinel_in(response.get_data()) == [], path
    login_as(client, case["coordinator"])
    for path in ["/dashboard", "/calendar", "/referrals", "/audit", f"/events/{visit.id}"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert sentinel_in(response.get_data()) == [], path
    # The one page that may show them does, and what it shows is not logged.
    assert NAME in client.get(f"/referrals/{case['referral'].id}").get_data()
    assert all(value not in caplog.text for value in SENTINELS.values())


@pytest.fixture
def case_in_a_clean_file(app, request):
    """`case`, written to a SQLite file holding nothing of earlier tests. A DELETE leaves old
    rows in free pages and in the write-ahead log, and an earlier test in the same file
    (test_public_outputs_privacy.py) stores a resident's name in clear on purpose: in that order
    the file held it, whether or not this test's data did. VACUUM rewrites the file from live
    rows only, and the checkpoint empties the log."""
    with app.app_context():
        db.session.remove()
        if db.engine.dialect.name == "sqlite":
            connection = db.engine.raw_connection()
            try:
                connection.execute("VACUUM")
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                connection.close()
    return request.getfixturevalue("case")


def test_the_database_holds_no_resident_detail_in_clear_text(app, case_in_a_clean_file):
    db.session.commit()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite:///"):
        database = Path(url.removeprefix("sqlite:///"))
        # The file and its write-ahead log, where recent writes may still be. Read by another
        # process: closing any handle on the file in this one would drop SQLite's locks on it.
        files = sorted(str(p) for p in database.parent.glob(database.name + "*"))
        stored = subprocess.run(["cat", *files], capture_output=True, check=True).stdout
    else:
        with db.engine.connect() as connection:
            rows = connection.exec_driver_sql(
                "SELECT r::text FROM resident_details r UNION ALL SELECT r::text FROM referrals r"
            ).scalars()
            stored = "\n".join(rows).encode()
    assert b"CM15" in stored, "the referral's plain postcode district should have been read"
    assert sentinel_in(stored) == []
    assert b"CAD 123" not in stored, "the referrer's reference leads to the resident"
    assert b"Sentinel" not in stored and b"CM15 8QZ" not in stored


def test_every_look_at_resident_details_is_audited_and_the_audit_cannot_be_changed(client, case):
    visit_starting(case, timedelta(minutes=-10))
    rid = case["referral"].id
    login_as(client, case["pair"][0])
    client.get(f"/referrals/{rid}")
    login_as(client, case["coordinator"])
    client.get(f"/referrals/{rid}")
    client.get(f"/referrals/{rid}/export.json")
    records = (
        db.session.execute(
            db.select(AuditRecord).where(AuditRecord.referral_id == rid).order_by(AuditRecord.id)
        )
        .scalars()
        .all()
    )
    trail = [(r.action, r.actor_id) for r in records]
    assert trail == [
        (AuditAction.CREATE, case["referrer"].id),
        (AuditAction.VIEW, case["pair"][0].id),
        (AuditAction.VIEW, case["coordinator"].id),
        (AuditAction.EXPORT, case["coordinator"].id),
    ]
    page = client.get(f"/audit?user={case['pair'][0].id}").get_data(as_text=True)
    assert "Viewed resident details" in page and "Vi One" in page
    records[0].detail = "tampered"
    with pytest.raises(AuditIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(records[0])
    with pytest.raises(AuditIsAppendOnly):
        db.session.commit()
    db.session.rollback()


def test_details_open_for_the_visiting_pair_only_around_the_visit_on_the_event_page(client, case):
    visit = make_visit(case["referral"], case["pair"], starts_at=at(days_ahead(5), 10))
    login_as(client, case["pair"][0])
    page = client.get(f"/events/{visit.id}").get_data(as_text=True)
    assert "will be shown here from" in page
    assert f"/referrals/{case['referral'].id}" not in page
