"""Reminders: what is due goes out once, to whoever wants it, and never twice."""

from datetime import timedelta

import pytest
import recurring_ical_events
from factories import at, days_ahead, make_coordinator, make_event, make_item, make_user
from icalendar import Calendar
from mailserver import body, free_port, mail_through

from csp_events.auth.roles import Role
from csp_events.equipment.custody import check_out
from csp_events.equipment.models import EquipmentCheckout
from csp_events.equipment.vocabulary import Condition
from csp_events.events.vocabulary import EventKind
from csp_events.extensions import db
from csp_events.notices.services import send_pending
from csp_events.reminders.models import SentReminder
from csp_events.reminders.services import save_choices, send_due, stop
from csp_events.signups.services import sign_up, withdraw
from csp_events.timezones import utcnow

pytestmark = pytest.mark.usefixtures("app_context")


def soon(hours: float = 30):
    return (utcnow() + timedelta(hours=hours)).replace(second=0, microsecond=0)


def test_a_volunteer_signed_up_for_tomorrow_is_reminded_once(smtp):
    ann = make_user(name="Ann Smith", email="ann@example.org")
    event = make_event(title="Bike marking", starts_at=soon(30), min_volunteers=1)
    sign_up(event, ann, by=ann)
    first = send_due(utcnow())
    assert [d.kind for d in first.sent] == ["session_first"]
    [message] = smtp.to("ann@example.org")
    assert message["Subject"].strip().startswith("Reminder: Bike marking,")
    assert "Stop this kind of email: http://127.0.0.1:5000/emails/stop/" in body(message)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    again = send_due(utcnow())
    assert again.sent == [] and again.already == 1
    assert len(smtp.messages) == 1


def test_the_reminder_carries_the_session_as_a_calendar_file(smtp):
    ann = make_user(email="ann@example.org")
    event = make_event(title="Bike marking", starts_at=soon(30))
    sign_up(event, ann, by=ann)
    send_due(utcnow())
    [attachment] = list(smtp.messages[0].iter_attachments())
    assert attachment.get_filename() == f"event-{event.id}.ics"
    calendar = Calendar.from_ical(attachment.get_content())
    [occurrence] = recurring_ical_events.of(calendar).between(utcnow(), soon(72))
    assert occurrence["DTSTART"].dt == event.starts_at
    assert str(occurrence["SUMMARY"]) == "Bike marking"


def test_a_session_further_off_than_48_hours_is_not_reminded_yet(smtp):
    ann = make_user()
    sign_up(make_event(starts_at=soon(50)), ann, by=ann)
    assert send_due(utcnow()).sent == []
    assert [d.kind for d in send_due(utcnow() + timedelta(hours=3)).sent] == ["session_first"]


def test_a_moved_session_is_reminded_again(smtp):
    ann = make_user()
    event = make_event(starts_at=soon(30))
    sign_up(event, ann, by=ann)
    send_due(utcnow())
    event.starts_at, event.ends_at = soon(33), soon(35)
    db.session.commit()
    assert len(send_due(utcnow()).sent) == 1


def test_the_two_hour_reminder_is_only_for_those_who_ask(smtp):
    ann, bob = make_user(), make_user()
    event = make_event(starts_at=soon(1.5), max_volunteers=3)
    sign_up(event, ann, by=ann)
    sign_up(event, bob, by=bob)
    save_choices(bob, {"session_first", "session_second"})
    sent = send_due(utcnow()).sent
    assert sorted((d.recipient_id, d.kind) for d in sent) == sorted(
        [(ann.id, "session_first"), (bob.id, "session_first"), (bob.id, "session_second")]
    )


def test_no_reminder_for_a_withdrawn_place_or_a_cancelled_session(smtp):
    from csp_events.events.vocabulary import EventStatus

    ann, bob = make_user(), make_user()
    kept = make_event(starts_at=soon(30), min_volunteers=0)
    sign_up(kept, ann, by=ann)
    withdraw(kept, ann, by=make_coordinator())
    cancelled = make_event(starts_at=soon(40), min_volunteers=0)
    sign_up(cancelled, bob, by=bob)
    cancelled.status = EventStatus.CANCELLED
    db.session.commit()
    assert send_due(utcnow()).sent == []


def test_a_volunteer_promoted_from_the_waiting_list_is_told(smtp):
    ann, bob = make_user(email="ann@example.org"), make_user(email="bob@example.org")
    event = make_event(title="Surgery", starts_at=soon(24 * 5), max_volunteers=1)
    sign_up(event, ann, by=ann)
    sign_up(event, bob, by=bob)
    withdraw(event, ann, by=ann)
    assert send_due(utcnow()).sent == []  # not the timer's job: the outbox has it already
    assert len(send_pending(utcnow()).sent) == 1
    assert smtp.to("bob@example.org")[0]["Subject"].strip().startswith("You have a place: Surgery")
    assert smtp.to("ann@example.org") == []


def test_whoever_holds_overdue_equipment_is_asked_to_return_it(smtp):
    holder = make_user(email="holder@example.org")
    camera = make_item(kind="body_worn_camera", name="Body-worn camera 1")
    check_out(camera, collected_by=holder, condition=Condition.GOOD, due_back_at=soon(2))
    assert send_due(utcnow()).sent == []
    sent = send_due(utcnow() + timedelta(hours=3)).sent
    assert [(d.kind, d.recipient_id) for d in sent] == [("return_overdue", holder.id)]
    assert "Body-worn camera 1 was due back" in body(smtp.to("holder@example.org")[0])


def test_the_coordinator_hears_of_sessions_short_of_people_72_hours_ahead(smtp):
    coordinator = make_coordinator(email="co@example.org")
    make_coordinator(active=False)
    make_event(title="Roadshow", starts_at=soon(60), min_volunteers=2)
    make_event(title="Later", starts_at=soon(80), min_volunteers=2)
    sent = send_due(utcnow()).sent
    assert [(d.kind, d.recipient_id) for d in sent] == [("understaffed", coordinator.id)]
    assert "2 more volunteers needed (0 of 2)" in body(smtp.to("co@example.org")[0])


def test_the_coordinator_hears_of_calibration_due_within_30_days(smtp):
    coordinator = make_coordinator(email="co@example.org")
    make_item(name="Speed gun", calibration_days=20)
    make_item(name="Other gun", calibration_days=40)
    sent = send_due(utcnow()).sent
    assert [(d.kind, d.recipient_id) for d in sent] == [("calibration", coordinator.id)]
    assert smtp.messages[0]["Subject"].strip().startswith("Calibration due: Speed gun")


def test_a_home_visit_reminder_names_only_the_area(smtp):
    ann = make_user(email="ann@example.org")
    visit = make_event(
        kind=EventKind.HOME_VISIT, title="Visit Mrs Jones, 4 Elm Road", starts_at=soon(30)
    )
    from csp_events.signups.models import Signup
    from csp_events.signups.vocabulary import SignupStatus

    db.session.add(Signup(event=visit, user=ann, status=SignupStatus.CONFIRMED))
    db.session.commit()
    send_due(utcnow())
    [message] = smtp.messages
    everything = message.as_string()
    assert "Home visit – CM15" in message["Subject"].strip()
    assert "Jones" not in everything and "Elm Road" not in everything


def test_a_kind_turned_off_is_not_sent(smtp):
    ann = make_user()
    sign_up(make_event(starts_at=soon(30)), ann, by=ann)
    stop(ann.id, "session_first")
    report = send_due(utcnow())
    assert report.sent == [] and report.not_wanted == 1


def test_a_reminder_claimed_by_a_run_that_crashed_is_never_sent(smtp):
    ann = make_user()
    event = make_event(starts_at=soon(30))
    sign_up(event, ann, by=ann)
    db.session.add(
        SentReminder(
            kind="session_first",
            subject_id=event.id,
            recipient_id=ann.id,
            occurrence=event.starts_at.isoformat(timespec="minutes"),
            claimed_at=utcnow() - timedelta(hours=1),
        )
    )
    db.session.commit()
    report = send_due(utcnow())
    assert report.sent == [] and report.lost == 1
    assert smtp.messages == []


def test_a_refusal_by_the_mail_server_is_tried_again_next_run(app, smtp):
    ann = make_user(email="ann@example.org")
    sign_up(make_event(starts_at=soon(30)), ann, by=ann)
    with mail_through(app, free_port()):  # nothing listening: nothing can have been delivered
        refused = send_due(utcnow())
    assert refused.sent == [] and len(refused.failed) == 1
    retried = send_due(utcnow())
    assert len(retried.sent) == 1 and len(smtp.to("ann@example.org")) == 1
    assert send_due(utcnow()).sent == []


def test_the_outbox_keeps_reminders_without_a_mail_server(outbox):
    ann = make_user()
    sign_up(make_event(starts_at=soon(30)), ann, by=ann)
    send_due(utcnow())
    assert len(list(outbox.glob("*.eml"))) == 1


def test_reminders_only_go_to_the_roles_they_are_for(smtp):
    partner = make_user(Role.PARTNER)
    item = make_item(kind="body_worn_camera")
    check_out(item, collected_by=partner, condition=Condition.GOOD, due_back_at=soon(1))
    db.session.execute(
        db.update(EquipmentCheckout).values(due_back_at=utcnow() - timedelta(hours=1))
    )
    db.session.commit()
    # A partner holding an item is still asked to return it: the kind is on by default.
    assert [d.kind for d in send_due(utcnow()).sent] == ["return_overdue"]


def test_a_session_starting_after_the_clocks_change_is_reminded_48_real_hours_ahead(smtp):
    ann = make_user()
    event = make_event(starts_at=at(days_ahead(1), 10))
    sign_up(event, ann, by=ann)
    assert send_due(event.starts_at - timedelta(hours=48, minutes=1)).sent == []
    assert len(send_due(event.starts_at - timedelta(hours=48)).sent) == 1


def test_a_home_visit_overdue_to_check_out_emails_the_coordinator_once_without_the_resident(smtp):
    from visit_factories import SENTINELS, home_visit_volunteer, make_referral, make_visit

    coordinator = make_coordinator(email="cora@example.org")
    pair = [home_visit_volunteer(name="Vi One"), home_visit_volunteer(name="Vi Two")]
    pair[0].phone = "07700 900111"
    make_visit(make_referral(), pair, starts_at=utcnow() - timedelta(hours=2), hours=1)
    first = send_due(utcnow())
    assert [d.kind for d in first.sent] == ["visit_overdue"]
    [message] = smtp.to(coordinator.email)
    text = body(message)
    assert message["Subject"].strip().startswith("Overdue to check out: Home visit area CM15")
    assert "Vi One: 07700 900111" in text and "Vi Two" in text
    assert not [v for v in SENTINELS.values() if v in message.as_string()]
    assert send_due(utcnow()).sent == []
