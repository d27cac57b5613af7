"""What a piece of work read is derived from the statements it ran, and the change log tells
which tables changed since a version, or says that it cannot tell."""

import pytest
from factories import make_event, make_user, make_venue
from sqlalchemy import text

from csp_events.changes.reads import reading_part, recording_reads
from csp_events.changes.scopes import overlaps
from csp_events.changes.services import (
    prune,
    read_version,
    start_new_epoch,
    tables_changed_since,
)
from csp_events.events.models import Event
from csp_events.extensions import db
from csp_events.places.models import Venue
from csp_events.signups.models import Signup
from csp_events.signups.services import sign_up, withdraw
from csp_events.signups.vocabulary import SignupStatus

pytestmark = pytest.mark.usefixtures("app_context")


def test_the_tables_later_commits_wrote_are_named():
    make_event()
    version = read_version()
    make_venue("Shenfield Hall")
    make_event(title="Another pop-up")
    changed = tables_changed_since(version)
    assert changed is not None and {"venues", "events"} <= changed
    assert "signups" not in changed


def test_a_partner_officer_named_is_a_change_to_the_link_table_and_the_event():
    """What loaded the event's officers earlier in a request holds the event, not the link."""
    event, officer = make_event(), make_user(role="partner")
    version = read_version()
    event.partner_officers.append(officer)
    db.session.commit()
    assert tables_changed_since(version) == {"event_partner_officers", "events"}


def test_a_loaded_but_unchanged_officers_list_is_no_change_to_the_event():
    event, officer, volunteer = make_event(), make_user(role="partner"), make_user()
    event.partner_officers.append(officer)
    db.session.commit()
    assert event.partner_officers == [officer]  # loaded, and left as it is
    version = read_version()
    db.session.add(Signup(event=event, user=volunteer, status=SignupStatus.CONFIRMED))
    db.session.commit()
    assert tables_changed_since(version) == {f"signups@{volunteer.id}"}


def test_a_restored_backup_starts_a_new_epoch_that_no_earlier_version_matches():
    make_event()
    before = read_version()
    start_new_epoch("restored from test.dump")
    assert read_version().split(".")[0] != before.split(".")[0]
    assert tables_changed_since(before) is None


def test_a_sign_up_is_not_a_change_to_its_event():
    event, volunteer = make_event(), make_user()
    version = read_version()
    sign_up(event, volunteer, by=volunteer)
    changed = tables_changed_since(version)
    assert changed is not None and f"signups@{volunteer.id}" in changed and "events" not in changed


def test_a_sign_up_is_a_change_to_that_persons_sign_ups_only():
    event, volunteer = make_event(), make_user()
    version = read_version()
    sign_up(event, volunteer, by=volunteer)
    assert tables_changed_since(version) == {f"signups@{volunteer.id}"}


def test_a_place_freed_is_a_change_to_the_sign_ups_of_whoever_moves_up_too():
    event = make_event(max_volunteers=1)
    first, waiting = make_user(), make_user()
    sign_up(event, first, by=first)
    sign_up(event, waiting, by=waiting)
    version = read_version()
    withdraw(event, first, by=first)
    assert tables_changed_since(version) == {f"signups@{first.id}", f"signups@{waiting.id}"}


def test_a_sign_up_moved_to_someone_else_is_a_change_to_both_peoples():
    event, one, other = make_event(), make_user(), make_user()
    signup = sign_up(event, one, by=one)
    version = read_version()
    assert signup.user_id == one.id  # loaded: the old owner is known
    signup.user_id = other.id
    db.session.commit()
    assert tables_changed_since(version) == {f"signups@{one.id}", f"signups@{other.id}"}


def test_a_sign_up_moved_from_an_owner_never_loaded_is_a_change_to_everyones():
    event, one, other = make_event(), make_user(), make_user()
    signup = sign_up(event, one, by=one)  # committed: every attribute has expired
    version = read_version()
    signup.user_id = other.id
    db.session.commit()
    assert tables_changed_since(version) == {"signups"}


def test_a_bulk_update_of_sign_ups_is_a_change_to_everyones():
    event, volunteer = make_event(), make_user()
    sign_up(event, volunteer, by=volunteer)
    version = read_version()
    db.session.execute(db.update(Signup).values(override_reason="checked"))
    db.session.commit()
    assert tables_changed_since(version) == {"signups"}


@pytest.mark.parametrize(
    ("changed", "read", "meets"),
    [
        ({"signups@1"}, {"signups@1"}, True),
        ({"signups@1"}, {"signups@2", "events"}, False),
        ({"signups@1"}, {"signups"}, True),  # whoever read every sign-up
        ({"signups"}, {"signups@2"}, True),  # a change to every sign-up
        ({"events"}, {"signups@2"}, False),
        ({"events"}, {"events", "signups@2"}, True),
    ],
)
def test_a_change_meets_what_read_the_same_rows(changed, read, meets):
    assert overlaps(changed, frozenset(read)) is meets


def test_a_statement_promised_to_one_persons_rows_is_recorded_as_theirs_alone():
    with recording_reads(db.session) as reads:
        with reading_part("signups", 7):
            db.session.execute(db.select(Signup.id).where(Signup.user_id == 7)).all()
        db.session.execute(db.select(Venue.id)).all()
    assert reads.result() == {"signups@7", "venues"}


def test_a_statement_outside_the_promise_reads_the_whole_table():
    with recording_reads(db.session) as reads:
        with reading_part("signups", 7):
            pass
        db.session.execute(db.select(Signup.id)).all()
    assert reads.result() == {"signups"}


def test_nothing_has_changed_since_the_current_version():
    make_event()
    assert tables_changed_since(read_version()) == frozenset()


def test_another_databases_version_cannot_be_told():
    make_event()
    _epoch, latest, count = read_version().rsplit(".", 2)
    assert tables_changed_since(f"0123456789abcdef.{latest}.{count}") is None


def test_a_commit_that_landed_late_inside_the_versions_window_cannot_be_told():
    """As if one of the two had committed after the version was read, under an older id."""
    make_event()
    make_event()
    epoch, latest, count = read_version().rsplit(".", 2)
    assert tables_changed_since(f"{epoch}.{latest}.{int(count) - 1}") is None


def test_after_pruning_what_changed_cannot_be_told():
    make_event()
    version = read_version()
    make_event()
    make_event()
    prune(keep=1)
    assert tables_changed_since(version) is None


def test_the_tables_a_statement_reads_are_recorded_with_those_it_looks_into():
    with recording_reads(db.session) as reads:
        db.session.execute(db.select(Event.id).where(Event.venue.has(Venue.ward == "x"))).all()
    assert reads.result() == {"events", "venues"}


def test_reading_a_table_of_links_counts_as_reading_the_tables_it_links():
    with recording_reads(db.session) as reads:
        db.session.execute(db.select(Event.id).join(Event.partner_officers)).all()
    assert reads.result() == {"users", "events", "event_partner_officers"}


def test_an_object_the_session_already_holds_counts_as_read():
    venue = make_venue("Shenfield Hall")
    assert venue.name == "Shenfield Hall"  # loaded before the block: no statement in it
    with recording_reads(db.session) as reads:
        assert venue.name == "Shenfield Hall"
    assert "venues" in (reads.result() or ())


def test_raw_sql_counts_the_tables_it_names():
    with recording_reads(db.session) as reads:
        db.session.execute(text("SELECT count(*) FROM venues")).all()
    assert reads.result() == {"venues"}


def test_a_select_of_no_table_leaves_what_was_read_unknown():
    with recording_reads(db.session) as reads:
        db.session.execute(text("SELECT 1")).all()
    assert reads.result() is None


def test_writes_inside_the_block_are_not_reads():
    with recording_reads(db.session) as reads:
        db.session.execute(db.update(Event).values(title="x").where(Event.id == 0))
    assert reads.result() == frozenset()
