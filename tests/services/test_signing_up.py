"""Signing up, the waiting list, clashes and qualifications, through the services."""

from datetime import timedelta

import pytest
from factories import (
    at,
    days_ahead,
    make_coordinator,
    make_event,
    make_user,
    speedwatch_volunteer,
)

from csp_events.errors import DomainError
from csp_events.events.services import set_status
from csp_events.events.vocabulary import EventKind, EventStatus
from csp_events.people.vocabulary import QualificationKind
from csp_events.signups import services
from csp_events.signups.vocabulary import SignupStatus
from csp_events.timezones import utcnow

pytestmark = pytest.mark.usefixtures("app_context")


def statuses(event):
    return {s.user.name: s.status for s in event.signups}


def test_volunteers_fill_the_places_then_join_the_waiting_list():
    event = make_event(max_volunteers=2)
    people = [make_user(name=n) for n in ("Ann", "Bob", "Cat")]
    for person in people:
        services.sign_up(event, person, by=person)
    assert statuses(event) == {
        "Ann": SignupStatus.CONFIRMED,
        "Bob": SignupStatus.CONFIRMED,
        "Cat": SignupStatus.WAITLISTED,
    }


def test_withdrawing_promotes_the_first_on_the_waiting_list():
    event = make_event(max_volunteers=1)
    ann, bob, cat = (make_user(name=n) for n in ("Ann", "Bob", "Cat"))
    for person in (ann, bob, cat):
        services.sign_up(event, person, by=person)
    services.withdraw(event, ann, by=ann)
    assert statuses(event) == {
        "Ann": SignupStatus.WITHDRAWN,
        "Bob": SignupStatus.CONFIRMED,
        "Cat": SignupStatus.WAITLISTED,
    }


def test_promotion_skips_someone_who_has_since_taken_an_overlapping_session():
    event = make_event(max_volunteers=1)
    other = make_event(starts_at=event.starts_at + timedelta(minutes=30), max_volunteers=5)
    ann, bob, cat = (make_user(name=n) for n in ("Ann", "Bob", "Cat"))
    for person in (ann, bob, cat):
        services.sign_up(event, person, by=person)
    services.withdraw(event, bob, by=bob)  # Bob leaves the waiting list…
    services.sign_up(other, bob, by=bob)  # …and takes the overlapping session instead
    services.withdraw(event, ann, by=ann)
    assert statuses(event)["Cat"] == SignupStatus.CONFIRMED


def _statements_while(work) -> int:
    from sqlalchemy import event as sa_event

    from csp_events.extensions import db

    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        seen.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", note)
    try:
        work()
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", note)
    return len(seen)


def _withdrawal_from_a_full_session(waiting: int) -> int:
    """Statements run by the first volunteer withdrawing, with `waiting` on the waiting list."""
    event = make_event(max_volunteers=1)
    people = [make_user(name=f"Volunteer {n}") for n in range(waiting + 1)]
    for person in people:
        services.sign_up(event, person, by=person)
    first = people[0]
    return _statements_while(lambda: services.withdraw(event, first, by=first))


def test_withdrawing_from_a_full_session_costs_the_same_however_long_the_waiting_list():
    short, long = _withdrawal_from_a_full_session(1), _withdrawal_from_a_full_session(8)

    assert long == short


def test_a_volunteer_cannot_sign_up_twice():
    event = make_event()
    ann = make_user()
    services.sign_up(event, ann, by=ann)
    with pytest.raises(DomainError, match="already"):
        services.sign_up(event, ann, by=ann)


def test_an_overlapping_sign_up_is_refused_and_names_the_other_session():
    first = make_event(title="Library surgery")
    second = make_event(title="Pop-up", starts_at=first.starts_at + timedelta(hours=1))
    ann = make_user()
    services.sign_up(first, ann, by=ann)
    with pytest.raises(services.SessionClash, match="Library surgery") as clash:
        services.sign_up(second, ann, by=ann)
    assert clash.value.message.endswith("which you are already signed up for.")
    assert [s.event_id for s in ann_signups(ann)] == [first.id]


def test_the_coordinator_adding_someone_is_told_whose_session_clashes():
    first = make_event(title="Library surgery", hours=2)
    second = make_event(title="Pop-up", starts_at=first.starts_at + timedelta(hours=1))
    ann = make_user(name="Ann Smith")
    services.sign_up(first, ann, by=ann)
    with pytest.raises(services.SessionClash) as clash:
        services.sign_up(second, ann, by=make_coordinator())
    assert clash.value.message.endswith("which Ann Smith is already signed up for.")


def test_back_to_back_sessions_do_not_clash():
    first = make_event(hours=2)
    second = make_event(starts_at=first.ends_at)
    ann = make_user()
    services.sign_up(first, ann, by=ann)
    later = services.sign_up(second, ann, by=ann)
    assert later.status == SignupStatus.CONFIRMED


def ann_signups(person):
    return services.my_signups(person, since=at(days_ahead(-1), 0))


def test_speedwatch_is_refused_without_in_date_training_with_a_clear_reason():
    session = make_event(kind=EventKind.SPEEDWATCH, starts_at=at(days_ahead(10), 11))
    lapsed = make_user(qualifications={QualificationKind.SPEEDWATCH: days_ahead(9)})
    with pytest.raises(services.NotQualified, match="Community Speedwatch training in date"):
        services.sign_up(session, lapsed, by=lapsed)
    untrained = make_user()
    with pytest.raises(services.NotQualified):
        services.sign_up(session, untrained, by=untrained)
    services.sign_up(session, speedwatch_volunteer(), by=make_coordinator())


def test_the_coordinator_can_override_qualifications_only_with_a_reason():
    session = make_event(kind=EventKind.SPEEDWATCH, starts_at=at(days_ahead(10), 11))
    coordinator, trainee = make_coordinator(), make_user()
    with pytest.raises(services.NotQualified):
        services.sign_up(session, trainee, by=coordinator)
    signup = services.sign_up(
        session, trainee, by=coordinator, override_reason="Training booked; paired with Margaret"
    )
    assert signup.override_reason == "Training booked; paired with Margaret"


def test_volunteers_cannot_withdraw_within_24_hours_but_the_coordinator_can_remove_them():
    soon = make_event(starts_at=utcnow() + timedelta(hours=20))
    ann = make_user()
    services.sign_up(soon, ann, by=ann)
    with pytest.raises(DomainError, match="too close"):
        services.withdraw(soon, ann, by=ann)
    coordinator = make_coordinator()
    with pytest.raises(DomainError, match="Say why"):
        services.withdraw(soon, ann, by=coordinator, reason="   ")
    assert statuses(soon)[ann.name] == SignupStatus.CONFIRMED
    services.withdraw(soon, ann, by=coordinator, reason="Unwell, rang in")
    assert statuses(soon)[ann.name] == SignupStatus.REMOVED
    assert soon.signups[0].removal_reason == "Unwell, rang in"


def test_a_volunteer_cannot_withdraw_someone_else():
    event = make_event()
    ann, bob = make_user(), make_user()
    services.sign_up(event, ann, by=ann)
    with pytest.raises(DomainError):
        services.withdraw(event, ann, by=bob)


@pytest.mark.parametrize("status", [EventStatus.CANCELLED, EventStatus.COMPLETED])
def test_closed_sessions_take_no_sign_ups(status):
    event = make_event(status=status)
    ann = make_user()
    with pytest.raises(DomainError):
        services.sign_up(event, ann, by=ann)


def test_signing_up_again_after_withdrawing_goes_to_the_back_of_the_queue():
    event = make_event(max_volunteers=1)
    ann, bob = make_user(name="Ann"), make_user(name="Bob")
    services.sign_up(event, ann, by=ann)
    services.withdraw(event, ann, by=ann)
    services.sign_up(event, bob, by=bob)
    services.sign_up(event, ann, by=ann)
    assert statuses(event) == {"Ann": SignupStatus.WAITLISTED, "Bob": SignupStatus.CONFIRMED}


def test_a_speedwatch_session_is_confirmed_only_with_three_qualified_volunteers():
    session = make_event(
        kind=EventKind.SPEEDWATCH, starts_at=at(days_ahead(10), 11), max_volunteers=5
    )
    coordinator = make_coordinator()
    for _ in range(2):
        services.sign_up(session, speedwatch_volunteer(), by=coordinator)
    services.sign_up(session, make_user(), by=coordinator, override_reason="shadowing")
    with pytest.raises(DomainError, match="at least 3 qualified"):
        set_status(session, EventStatus.CONFIRMED)
    services.sign_up(session, speedwatch_volunteer(), by=coordinator)
    set_status(session, EventStatus.CONFIRMED)
    assert session.status == EventStatus.CONFIRMED


def test_raising_the_capacity_moves_the_waiting_list_up_before_newcomers():
    from csp_events.events.forms import form_data_for
    from csp_events.events.services import EventFields, update_event

    event = make_event(max_volunteers=1)
    ann, bob, cat = (make_user(name=n) for n in ("Ann", "Bob", "Cat"))
    services.sign_up(event, ann, by=ann)
    services.sign_up(event, bob, by=bob)
    data = form_data_for(event)
    fields = EventFields(
        title=event.title,
        kind=event.kind,
        theme=None,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        venue_id=event.venue_id,
        site_id=None,
        area="",
        min_volunteers=1,
        max_volunteers=2,
        partner_agencies=[],
        partner_officer_ids=data["partner_officer_ids"],
        is_public=True,
        notes="",
    )
    update_event(event, fields)
    services.sign_up(event, cat, by=cat)
    assert statuses(event) == {
        "Ann": SignupStatus.CONFIRMED,
        "Bob": SignupStatus.CONFIRMED,
        "Cat": SignupStatus.WAITLISTED,
    }
