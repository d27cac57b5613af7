"""Notices: whoever a change concerns hears of it once, at once, with the updated event."""

from dataclasses import replace
from datetime import timedelta

import pytest
from factories import at, make_coordinator, make_event, make_user, make_venue, next_weekday
from icalendar import Calendar
from mailserver import body
from plans import racing_processes, send_notices_in_another_process
from web.test_feeds_follow_every_change import _fields

from csp_events.auth.roles import Role
from csp_events.engagement.models import EventOutcome
from csp_events.errors import DomainError
from csp_events.events.services import set_status, update_event
from csp_events.events.vocabulary import EventKind, EventStatus
from csp_events.extensions import db
from csp_events.notices.enums import NoticeKind, NoticeStatus
from csp_events.notices.models import Notice
from csp_events.notices.services import send_pending
from csp_events.reminders.services import save_choices
from csp_events.signups.models import Signup
from csp_events.signups.services import sign_up, withdraw
from csp_events.signups.vocabulary import SignupStatus
from csp_events.timezones import utcnow

pytestmark = pytest.mark.usefixtures("app_context")


@pytest.fixture
def session_with_people():
    """A full session (one place), one on the waiting list, and a partner named on it."""
    coordinator = make_coordinator(email="co@example.org")
    ann = make_user(name="Ann", email="ann@example.org")
    bob = make_user(name="Bob", email="bob@example.org")
    pat = make_user(Role.PARTNER, name="Pat", email="pat@example.org")
    event = make_event(title="Roadshow", starts_at=at(next_weekday(3, 2), 10), max_volunteers=1)
    event.partner_officers.append(pat)
    db.session.commit()
    sign_up(event, ann, by=ann)
    sign_up(event, bob, by=bob)
    return event, coordinator, ann, bob, pat


def _ics(message) -> Calendar:
    (part,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    return Calendar.from_ical(part.get_content())


def test_cancelling_tells_everyone_on_the_session_once_with_the_cancelled_event(
    session_with_people, smtp
):
    event, coordinator, _ann, _bob, _pat = session_with_people
    set_status(event, EventStatus.CANCELLED, by=coordinator)
    assert len(send_pending(utcnow()).sent) == 3
    assert send_pending(utcnow()).sent == []  # never twice
    for address in ("ann@example.org", "bob@example.org", "pat@example.org"):
        (message,) = smtp.to(address)
        assert message["Subject"].strip().startswith("Cancelled: Roadshow")
        (vevent,) = _ics(message).walk("VEVENT")
        assert str(vevent["STATUS"]) == "CANCELLED" and int(vevent["SEQUENCE"]) >= 1
    assert smtp.to("co@example.org") == []  # who made the change is not told of it


def test_moving_a_session_says_what_it_was_and_what_it_is(session_with_people, smtp):
    event, coordinator, _ann, *_ = session_with_people
    fields = _fields(event)
    later = replace(
        fields,
        starts_at=fields.starts_at + timedelta(hours=2),
        ends_at=fields.ends_at + timedelta(hours=2),
    )
    update_event(event, later, by=coordinator)
    send_pending(utcnow())
    (message,) = smtp.to("ann@example.org")
    assert message["Subject"].strip().startswith("Changed: Roadshow")
    assert "It was:" in body(message) and "12:00" in body(message)


def test_moving_a_session_to_another_venue_tells_everyone_where_it_was_and_is_now(
    session_with_people, smtp
):
    event, coordinator, *_ = session_with_people
    old_place, new_place = make_venue("Old Library"), make_venue("Bay Tree Centre")
    update_event(event, replace(_fields(event), venue_id=old_place.id), by=coordinator)
    send_pending(utcnow())
    smtp.messages.clear()
    update_event(event, replace(_fields(event), venue_id=new_place.id), by=coordinator)
    assert len(send_pending(utcnow()).sent) == 3
    for address in ("ann@example.org", "bob@example.org", "pat@example.org"):
        (message,) = smtp.to(address)
        assert message["Subject"].strip().startswith("Changed: Roadshow")
        assert "It was at: Old Library. It is now at: Bay Tree Centre," in body(message)
        (vevent,) = _ics(message).walk("VEVENT")
        assert str(vevent["LOCATION"]).startswith("Bay Tree Centre")


def test_a_later_end_alone_is_told_with_both_times(session_with_people, smtp):
    event, coordinator, *_ = session_with_people
    fields = _fields(event)
    update_event(
        event, replace(fields, ends_at=fields.ends_at + timedelta(hours=1)), by=coordinator
    )
    send_pending(utcnow())
    (message,) = smtp.to("ann@example.org")
    text = body(message)
    assert (
        "It was: " in text and "10:00 to 12:00. It is now: " in text and "10:00 to 13:00." in text
    )
    assert "When: " in text and "10:00 to 13:00\n" in text


def test_someone_who_turned_changes_off_is_not_told(session_with_people, smtp):
    event, coordinator, ann, *_ = session_with_people
    save_choices(ann, {"session_first"})
    set_status(event, EventStatus.CANCELLED, by=coordinator)
    send_pending(utcnow())
    assert smtp.to("ann@example.org") == []
    assert len(smtp.to("bob@example.org")) == 1


def test_the_next_on_the_waiting_list_hears_at_once_when_a_place_comes_up(
    session_with_people, client, smtp
):
    event, _coordinator, ann, bob, _pat = session_with_people
    withdraw(event, ann, by=ann)
    (notice,) = db.session.scalars(db.select(Notice)).all()
    assert (notice.kind, notice.recipient_id) == (NoticeKind.PLACE_PROMOTED, bob.id)
    send_pending(utcnow())
    assert smtp.to("bob@example.org")[0]["Subject"].strip().startswith("You have a place: Roadshow")


def test_a_notice_made_through_the_pages_is_sent_when_the_response_is_done(
    session_with_people, client, smtp
):
    from conftest import login_as, post

    event, coordinator, _ann, *_ = session_with_people
    login_as(client, coordinator)
    post(client, f"/events/{event.id}/status", {"status": "cancelled"})
    assert len(smtp.to("ann@example.org")) == 1
    statuses = set(db.session.scalars(db.select(Notice.status)))
    assert statuses == {NoticeStatus.SENT}


def test_a_removed_volunteer_hears_why(session_with_people, smtp):
    event, coordinator, ann, *_ = session_with_people
    withdraw(event, ann, by=coordinator, reason="Double-booked with the fair")
    send_pending(utcnow())
    (message,) = smtp.to("ann@example.org")
    assert "Double-booked with the fair" in body(message)


def test_a_partner_named_on_an_event_hears_of_it(smtp):
    coordinator = make_coordinator()
    pat = make_user(Role.PARTNER, email="pat@example.org")
    event = make_event(title="Roadshow")
    update_event(event, replace(_fields(event), partner_officer_ids=[pat.id]), by=coordinator)
    send_pending(utcnow())
    assert smtp.to("pat@example.org")[0]["Subject"].strip().startswith("You are named as attending")


def test_a_home_visit_notice_names_only_the_area(smtp):
    coordinator = make_coordinator()
    ann = make_user(email="ann@example.org")
    visit = make_event(kind=EventKind.HOME_VISIT, title="Mrs Sentinel-Smith", max_volunteers=2)
    db.session.add(Signup(event=visit, user=ann, status=SignupStatus.CONFIRMED))
    db.session.commit()
    set_status(visit, EventStatus.CANCELLED, by=coordinator)
    send_pending(utcnow())
    (message,) = smtp.to("ann@example.org")
    whole = message.as_string()
    assert "Home visit – CM15" in message["Subject"]
    assert "Sentinel" not in whole


def test_an_event_whose_id_matches_another_events_outcome_can_be_cancelled():
    """The regression: the outcome was looked up by its own id, not by the event's."""
    first, second = make_event(title="First"), make_event(title="Second")
    db.session.add(EventOutcome(event_id=second.id, people_engaged=4))
    db.session.commit()
    outcome_id = db.session.scalar(db.select(EventOutcome.id))
    assert outcome_id == first.id != second.id
    set_status(first, EventStatus.CANCELLED)
    assert first.status == EventStatus.CANCELLED
    with pytest.raises(DomainError, match="This event happened"):
        set_status(second, EventStatus.CANCELLED)
    assert second.status != EventStatus.CANCELLED


def test_two_senders_at_once_send_each_notice_once(app, tmp_path, smtp, session_with_people):
    event, coordinator, *_ = session_with_people
    set_status(event, EventStatus.CANCELLED, by=coordinator)
    db.session.rollback()
    port = app.extensions["mailman"].port
    context = racing_processes()
    barrier, results = context.Barrier(3), context.Queue()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    runs = [
        context.Process(
            target=send_notices_in_another_process,
            args=(url, str(tmp_path), port, barrier, results),
        )
        for _ in range(3)
    ]
    for run in runs:
        run.start()
    sent = [results.get(timeout=120) for _ in runs]
    for run in runs:
        run.join(timeout=60)
    assert sum(sent) == 3
    assert sorted(len(smtp.to(a)) for a in ("ann@example.org", "bob@example.org")) == [1, 1]


def test_someone_the_coordinator_adds_to_a_roster_hears_of_it(smtp):
    coordinator = make_coordinator()
    ann = make_user(email="ann@example.org")
    event = make_event(title="Roadshow")
    sign_up(event, ann, by=coordinator)
    sign_up(event, make_user(email="bob@example.org"), by=coordinator)
    send_pending(utcnow())
    assert smtp.to("ann@example.org")[0]["Subject"].strip().startswith("You are on: Roadshow")
    save_choices(ann, set())
    withdraw(event, ann, by=coordinator)
    send_pending(utcnow())
    assert len(smtp.to("ann@example.org")) == 1  # turned off: the removal is not sent


def test_someone_moved_up_by_the_same_change_hears_only_that_they_have_a_place(
    session_with_people, smtp
):
    event, coordinator, _ann, _bob, _pat = session_with_people
    fields = _fields(event)
    bigger_and_later = replace(
        fields,
        max_volunteers=2,
        starts_at=fields.starts_at + timedelta(hours=1),
        ends_at=fields.ends_at + timedelta(hours=1),
    )
    update_event(event, bigger_and_later, by=coordinator)
    send_pending(utcnow())
    assert [m["Subject"].strip()[:17] for m in smtp.to("bob@example.org")] == ["You have a place:"]
    assert smtp.to("ann@example.org")[0]["Subject"].strip().startswith("Changed:")


def test_someone_added_to_a_full_session_hears_they_are_waiting(smtp):
    coordinator = make_coordinator()
    event = make_event(title="Roadshow", max_volunteers=1)
    sign_up(event, make_user(), by=coordinator)
    sign_up(event, make_user(email="bob@example.org"), by=coordinator)
    send_pending(utcnow())
    (message,) = smtp.to("bob@example.org")
    assert message["Subject"].strip().startswith("On the waiting list: Roadshow")


def test_a_reason_typed_about_a_home_visit_stays_on_the_roster(smtp):
    coordinator = make_coordinator()
    ann = make_user(email="ann@example.org")
    visit = make_event(kind=EventKind.HOME_VISIT, max_volunteers=2)
    db.session.add(Signup(event=visit, user=ann, status=SignupStatus.CONFIRMED))
    db.session.commit()
    withdraw(visit, ann, by=coordinator, reason="Mrs Sentinel-Smith asked for someone else")
    send_pending(utcnow())
    (message,) = smtp.to("ann@example.org")
    assert "Sentinel" not in message.as_string()
    assert visit.signups[0].removal_reason.startswith("Mrs Sentinel-Smith")


def test_a_qualification_removed_gives_up_the_places_it_was_needed_for(smtp):
    from factories import far_future, speedwatch_volunteer

    from csp_events.people.services import remove_qualification
    from csp_events.people.vocabulary import QualificationKind

    coordinator = make_coordinator()
    sam = speedwatch_volunteer(email="sam@example.org")
    speedwatch = make_event(kind=EventKind.SPEEDWATCH, title="Speedwatch", max_volunteers=1)
    popup = make_event(title="Pop-up", starts_at=at(next_weekday(4, 3), 10))
    sign_up(speedwatch, sam, by=sam)
    sign_up(popup, sam, by=sam)
    waiting = make_user(qualifications={QualificationKind.SPEEDWATCH: far_future()})
    sign_up(speedwatch, waiting, by=waiting)
    (training,) = sam.qualifications
    remove_qualification(sam, training.id, by=coordinator)
    statuses = {
        s.event.title: s.status
        for s in db.session.scalars(db.select(Signup))
        if s.user_id == sam.id
    }
    assert statuses == {"Speedwatch": SignupStatus.REMOVED, "Pop-up": SignupStatus.CONFIRMED}
    assert {s.user_id for s in speedwatch.signups if s.status == SignupStatus.CONFIRMED} == {
        waiting.id
    }
    send_pending(utcnow())
    (message,) = smtp.to("sam@example.org")
    assert "No longer has Community Speedwatch training" in body(message)


@pytest.fixture
def series_with_ann():
    """A monthly surgery next year with Ann on its first three sessions."""
    from plans import surgery_plan

    from csp_events.series.services import create_series

    ann = make_user(name="Ann", email="ann@example.org")
    plan = surgery_plan(make_venue("Shenfield Library"))
    series = create_series(plan)
    for session in sorted(series.events, key=lambda e: e.starts_at)[:3]:
        sign_up(session, ann, by=ann)
    return series, plan, make_coordinator(email="co@example.org")


def test_changing_a_whole_series_tells_each_person_once_of_every_session_of_theirs(
    series_with_ann, smtp
):
    from csp_events.series.services import update_series

    series, plan, coordinator = series_with_ann
    later = replace(
        plan, pattern=replace(plan.pattern, starts_at=plan.pattern.starts_at.replace(hour=11))
    )
    update_series(series, later, by=coordinator)

    assert len(send_pending(utcnow()).sent) == 1
    (message,) = smtp.to("ann@example.org")
    assert message["Subject"].strip().startswith("Changed: NHW surgery, 3 sessions")
    changes = [line for line in body(message).splitlines() if line.startswith("- ")]
    assert len(changes) == 3
    assert all("11:00 to 13:00 (it was " in line and "10:00 to 12:00)" in line for line in changes)
    vevents = _ics(message).walk("VEVENT")
    assert len(vevents) == 3
    # As her own feed carries them (her places): the same UIDs, a higher SEQUENCE.
    hers = sorted(series.events, key=lambda e: e.starts_at)[:3]
    assert {str(v["UID"]).split("@")[0] for v in vevents} == {f"event-{e.id}" for e in hers}
    assert all(int(v["SEQUENCE"]) >= 1 for v in vevents)


def test_cancelling_a_whole_series_tells_each_person_once(series_with_ann, smtp):
    from csp_events.series.services import cancel_series

    series, _plan, coordinator = series_with_ann
    cancel_series(series, by=coordinator)

    send_pending(utcnow())
    (message,) = smtp.to("ann@example.org")
    assert message["Subject"].strip().startswith("Cancelled: NHW surgery, 3 sessions")
    assert "These 3 sessions you are part of have been cancelled." in body(message)
    assert [str(v["STATUS"]) for v in _ics(message).walk("VEVENT")] == ["CANCELLED"] * 3


def test_changing_one_session_of_a_series_tells_of_that_session_alone(series_with_ann, smtp):
    series, _plan, coordinator = series_with_ann
    first = min(series.events, key=lambda e: e.starts_at)
    fields = _fields(first)
    update_event(
        first, replace(fields, ends_at=fields.ends_at + timedelta(hours=1)), by=coordinator
    )

    send_pending(utcnow())
    (message,) = smtp.to("ann@example.org")
    assert message["Subject"].strip().startswith("Changed: NHW surgery, ")
    assert "3 sessions" not in message["Subject"]
    assert "10:00 to 13:00" in body(message)


def test_a_notice_that_cannot_be_written_is_marked_failed_and_the_rest_still_go(
    session_with_people, smtp, monkeypatch, caplog
):
    from csp_events.notices import services

    event, coordinator, *_ = session_with_people
    set_status(event, EventStatus.CANCELLED, by=coordinator)
    first = db.session.scalars(db.select(Notice).order_by(Notice.id)).first()
    write = services.compose

    def failing_for_the_first(notice, recipient, now):
        if notice.id == first.id:
            raise RuntimeError("a template that cannot be rendered")
        return write(notice, recipient, now)

    monkeypatch.setattr(services, "compose", failing_for_the_first)
    report = send_pending(utcnow())

    assert len(report.sent) == 2 and [n for n, _ in report.failed] == [first.id]
    assert db.session.get(Notice, first.id).status == NoticeStatus.FAILED
    assert len(smtp.messages) == 2


def test_a_partner_taken_off_an_event_is_told_without_a_copy_to_add(session_with_people, smtp):
    event, coordinator, *_ = session_with_people
    update_event(event, replace(_fields(event), partner_officer_ids=[]), by=coordinator)

    assert len(send_pending(utcnow()).sent) == 1
    (message,) = smtp.to("pat@example.org")
    assert message["Subject"].strip().startswith("No longer named as attending: Roadshow")
    assert "you are no longer named as attending it" in body(message)
    assert not [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert smtp.to("ann@example.org") == []  # nothing changed for the volunteers


def test_a_series_notice_leaves_out_a_session_deleted_since(series_with_ann, smtp):
    from csp_events.events.models import Event
    from csp_events.series.services import update_series

    series, plan, coordinator = series_with_ann
    later = replace(
        plan, pattern=replace(plan.pattern, starts_at=plan.pattern.starts_at.replace(hour=11))
    )
    update_series(series, later, by=coordinator)
    last = max((e for e in series.events), key=lambda e: e.starts_at)
    hers = sorted(series.events, key=lambda e: e.starts_at)[:3]
    db.session.execute(db.delete(Event).where(Event.id == hers[2].id))
    db.session.commit()
    assert last.id != hers[2].id

    send_pending(utcnow())
    (message,) = smtp.to("ann@example.org")
    assert message["Subject"].strip().startswith("Changed: NHW surgery, 2 sessions")
    assert len(_ics(message).walk("VEVENT")) == 2


def test_a_notice_the_busy_database_kept_from_being_written_is_tried_again(
    session_with_people, smtp, monkeypatch
):
    from sqlalchemy.exc import OperationalError

    from csp_events.notices import services

    event, coordinator, *_ = session_with_people
    set_status(event, EventStatus.CANCELLED, by=coordinator)

    def busy(notice, recipient, now):
        raise OperationalError("SELECT 1", {}, Exception("database is locked"))

    monkeypatch.setattr(services, "compose", busy)
    send_pending(utcnow())
    statuses = db.session.scalars(db.select(Notice.status)).all()
    assert statuses and set(statuses) == {NoticeStatus.PENDING}
    monkeypatch.undo()
    assert len(send_pending(utcnow()).sent) == len(statuses)
