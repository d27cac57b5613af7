"""Booking the speed gun and other kit: clashes, rules, Speedwatch sessions, custody."""

import re
from datetime import time, timedelta

import pytest
from factories import (
    at,
    make_coordinator,
    make_event,
    make_item,
    make_site,
    make_user,
    next_weekday,
    speedwatch_volunteer,
)
from sqlalchemy import func

from csp_events.equipment import custody, services
from csp_events.equipment.rules import bank_holiday
from csp_events.equipment.speedwatch import readiness_problems, sessions_needing_attention
from csp_events.equipment.vocabulary import BookingStatus, Condition, ItemStatus
from csp_events.errors import DomainError
from csp_events.events.services import EventFields, ScheduleProblems, schedule_event, set_status
from csp_events.events.vocabulary import EventKind, EventStatus
from csp_events.extensions import db
from csp_events.timezones import to_local, utcnow

pytestmark = pytest.mark.usefixtures("app_context")
SATURDAY = 5


def saturday(hour, minute=0):
    return at(next_weekday(SATURDAY), hour, minute)


def test_a_qualified_volunteer_books_the_speed_gun_for_saturday_morning():
    gun, volunteer = make_item(name="Speed gun"), speedwatch_volunteer()
    booking = services.book(gun, volunteer, saturday(9), saturday(13), purpose="Wash Road")
    assert booking.is_active and booking.blocked_until == saturday(13, 30)


def test_an_overlapping_booking_is_refused_with_nearby_free_slots():
    gun = make_item(name="Speed gun")
    services.book(gun, speedwatch_volunteer(), saturday(9), saturday(13))
    with pytest.raises(services.BookingConflict, match="already booked") as refused:
        services.book(gun, speedwatch_volunteer(), saturday(11), saturday(12))
    assert refused.value.suggestions
    for slot in refused.value.suggestions:
        services.place_booking(gun, make_coordinator(), slot.starts_at, slot.ends_at)
        db.session.rollback()


@pytest.mark.parametrize(("start", "clash"), [((13, 30), False), ((13, 15), True)])
def test_the_next_booking_waits_for_the_handover_time(start, clash):
    gun = make_item(name="Speed gun", handover_buffer_minutes=30)
    services.book(gun, make_coordinator(), saturday(9), saturday(13))

    def attempt():
        return services.book(gun, make_coordinator(), saturday(*start), saturday(16))

    if clash:
        with pytest.raises(services.BookingConflict):
            attempt()
    else:
        assert attempt().status == BookingStatus.ACTIVE


def test_cancelling_frees_the_slot():
    gun, volunteer = make_item(name="Speed gun"), speedwatch_volunteer()
    booking = services.book(gun, volunteer, saturday(9), saturday(13))
    services.cancel_booking(booking, volunteer)
    again = services.book(gun, speedwatch_volunteer(), saturday(9), saturday(13))
    assert booking.status == BookingStatus.CANCELLED
    assert again.status == BookingStatus.ACTIVE


def test_only_the_booker_or_the_coordinator_may_cancel():
    gun, volunteer = make_item(name="Speed gun"), speedwatch_volunteer()
    booking = services.book(gun, volunteer, saturday(9), saturday(13))
    with pytest.raises(DomainError):
        services.cancel_booking(booking, speedwatch_volunteer())
    services.cancel_booking(booking, make_coordinator())
    assert booking.status == BookingStatus.CANCELLED


def test_a_volunteer_without_speedwatch_training_cannot_book_the_gun():
    with pytest.raises(services.BookingRefused, match="Community Speedwatch training"):
        services.book(make_item(), make_user(), saturday(9), saturday(13))


def test_a_gun_whose_calibration_lapses_before_the_return_cannot_be_booked():
    gun = make_item(calibration_days=3)
    with pytest.raises(services.BookingRefused, match="calibration expires"):
        services.book(gun, make_coordinator(), saturday(9), saturday(13))


def test_an_out_of_service_item_cannot_be_booked():
    camera = make_item(
        kind="body_worn_camera", status=ItemStatus.OUT_OF_SERVICE, out_of_service_reason="battery"
    )
    with pytest.raises(services.BookingRefused, match="battery"):
        services.book(camera, make_coordinator(), saturday(9), saturday(13))


def speedwatch_fields(site, starts_at, hours=1.5) -> EventFields:
    return EventFields(
        title="Speedwatch – Wash Road",
        kind=EventKind.SPEEDWATCH,
        theme=None,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        venue_id=None,
        site_id=site.id,
        area="",
        min_volunteers=3,
        max_volunteers=5,
        partner_agencies=[],
        partner_officer_ids=[],
        is_public=True,
        notes="",
    )


def test_scheduling_a_speedwatch_session_books_the_gun_with_travel_time():
    gun, site, coordinator = make_item(name="Speed gun"), make_site(), make_coordinator()
    event = schedule_event(speedwatch_fields(site, saturday(10)), by=coordinator)
    booking = db.session.execute(db.select(services.EquipmentBooking)).scalar_one()
    assert booking.item_id == gun.id and booking.event_id == event.id
    assert booking.starts_at == saturday(9, 30) and booking.ends_at == saturday(12)


def test_a_session_when_the_gun_is_taken_is_refused_with_free_times():
    gun, site, coordinator = make_item(name="Speed gun"), make_site(), make_coordinator()
    services.book(gun, coordinator, saturday(9), saturday(13))
    with pytest.raises(Exception, match="No speed gun is free") as refused:
        schedule_event(speedwatch_fields(site, saturday(10)), by=coordinator)
    assert "free for a session at" in str(refused.value.problems["start_time"])


def test_the_free_times_offered_for_a_winter_session_are_all_in_daylight():
    from datetime import date

    from csp_events.places.daylight import is_in_daylight

    gun, site, coordinator = make_item(name="Speed gun"), make_site(), make_coordinator()
    soon = to_local(utcnow()).date() + timedelta(days=7)
    # The first mid-December or mid-January ahead: sunrise after 08:00 in Essex, and inside
    # the gun's calibration year.
    day = min(
        d
        for year in (soon.year, soon.year + 1)
        for d in (date(year, 1, 15), date(year, 12, 15))
        if d >= soon
    )
    services.book(gun, coordinator, at(day, 9), at(day, 13))
    with pytest.raises(ScheduleProblems) as refused:
        schedule_event(speedwatch_fields(site, at(day, 10)), by=coordinator)
    offered = re.findall(r"(\d\d):(\d\d) to (\d\d):(\d\d)", refused.value.problems["start_time"])
    assert offered
    for start_h, start_m, end_h, end_m in offered:
        starts = at(day, int(start_h), int(start_m))
        ends = at(day, int(end_h), int(end_m))
        assert is_in_daylight(starts, ends, site.latitude, site.longitude), (start_h, start_m)


def ready_session(coordinator):
    gun, site = make_item(name="Speed gun"), make_site()
    event = schedule_event(speedwatch_fields(site, saturday(10)), by=coordinator)
    return gun, event


def problems_of(event):
    bookings = (
        db.session.execute(
            db.select(services.EquipmentBooking).where(
                services.EquipmentBooking.event_id == event.id
            )
        )
        .scalars()
        .all()
    )
    return readiness_problems(event, bookings, qualified_team=3)


def test_a_booked_session_with_a_team_is_ready():
    _gun, event = ready_session(make_coordinator())
    assert problems_of(event) == []


def test_the_session_is_flagged_when_the_gun_goes_out_of_service():
    gun, event = ready_session(make_coordinator())
    gun.status, gun.out_of_service_reason = ItemStatus.OUT_OF_SERVICE, "dropped"
    db.session.commit()
    assert any("out of service: dropped" in p for p in problems_of(event))
    assert [e.id for e, _ in sessions_needing_attention(utcnow())] == [event.id]


def test_the_session_is_flagged_when_calibration_would_lapse():
    gun, event = ready_session(make_coordinator())
    gun.calibration_expires_on = next_weekday(SATURDAY) - timedelta(days=1)
    db.session.commit()
    assert any("calibration expires" in p for p in problems_of(event))


def test_the_session_is_flagged_when_its_gun_booking_is_cancelled():
    coordinator = make_coordinator()
    _gun, event = ready_session(coordinator)
    booking = db.session.execute(db.select(services.EquipmentBooking)).scalar_one()
    services.cancel_booking(booking, coordinator)
    assert "No speed gun is booked for this session." in problems_of(event)


def test_cancelling_a_session_frees_the_gun():
    coordinator = make_coordinator()
    gun, event = ready_session(coordinator)
    set_status(event, EventStatus.CANCELLED, by=coordinator)
    rebooked = services.book(gun, coordinator, saturday(9), saturday(13))
    assert rebooked.status == BookingStatus.ACTIVE
    assert rebooked.event_id is None


def test_only_one_open_check_out_per_item_and_history_is_kept():
    gun, coordinator, volunteer = make_item(), make_coordinator(), speedwatch_volunteer()
    due = utcnow() + timedelta(hours=4)
    custody.check_out(gun, collected_by=volunteer, condition=Condition.GOOD, due_back_at=due)
    with pytest.raises(DomainError, match="already checked out"):
        custody.check_out(gun, collected_by=coordinator, condition=Condition.GOOD, due_back_at=due)
    custody.check_in(gun, returned_by=volunteer, condition=Condition.WORN, notes="strap frayed")
    custody.check_out(gun, collected_by=coordinator, condition=Condition.WORN, due_back_at=due)
    assert [c.collected_by_id for c in custody.history(gun)] == [coordinator.id, volunteer.id]


def test_an_item_not_returned_on_time_is_overdue():
    gun, volunteer = make_item(), speedwatch_volunteer()
    checkout = custody.check_out(
        gun,
        collected_by=volunteer,
        condition=Condition.GOOD,
        due_back_at=utcnow() + timedelta(minutes=5),
    )
    assert custody.overdue_returns(utcnow() + timedelta(hours=1)) == [checkout]
    assert custody.overdue_returns(utcnow()) == []


def test_the_database_refuses_a_second_open_check_out():
    from sqlalchemy.exc import IntegrityError

    from csp_events.equipment.models import EquipmentCheckout

    gun, volunteer = make_item(), speedwatch_volunteer()
    for _ in range(2):
        db.session.add(
            EquipmentCheckout(
                item_id=gun.id,
                collected_by_id=volunteer.id,
                collected_at=utcnow(),
                due_back_at=utcnow(),
                condition_out=Condition.GOOD,
            )
        )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_past_speedwatch_session_without_a_gun_can_still_be_completed():
    make_item(name="Speed gun")
    session = make_event(kind=EventKind.SPEEDWATCH, starts_at=utcnow() - timedelta(hours=3))
    set_status(session, EventStatus.COMPLETED, by=make_coordinator())
    assert session.status == EventStatus.COMPLETED


def next_bank_holiday_monday(after_days: int = 8):
    """The first of England's bank holidays on a Monday at least `after_days` ahead, with an
    ordinary Saturday before and Tuesday after (not Christmas, when Boxing Day is Saturday)."""
    day = utcnow().date() + timedelta(days=after_days)
    while not (day.weekday() == 0 and bank_holiday(day)) or any(
        bank_holiday(day + timedelta(days=n)) for n in (-2, 1)
    ):
        day += timedelta(days=1)
    return day


def test_a_sunday_morning_session_books_the_gun_from_saturday_to_monday_as_one_booking():
    site, coordinator = make_site(), make_coordinator()
    make_item(name="Speed gun", calibration_days=400)
    sunday = next_weekday(6)
    event = schedule_event(speedwatch_fields(site, at(sunday, 10)), by=coordinator)
    booking = db.session.execute(db.select(services.EquipmentBooking)).scalar_one()
    collect, back = to_local(booking.starts_at), to_local(booking.ends_at)
    assert (collect.date(), collect.time()) == (sunday - timedelta(days=1), time(17))
    assert back.date() > sunday and back.time() == time(8, 30)
    assert (booking.needed_from, booking.needed_until) == (at(sunday, 9, 30), at(sunday, 12))
    assert booking.event_id == event.id and problems_of(event) == []


def test_a_bank_holiday_monday_session_keeps_the_gun_until_tuesday():
    site, coordinator = make_site(), make_coordinator()
    make_item(name="Speed gun", calibration_days=400)
    monday = next_bank_holiday_monday()
    schedule_event(speedwatch_fields(site, at(monday, 10)), by=coordinator)
    booking = db.session.execute(db.select(services.EquipmentBooking)).scalar_one()
    assert to_local(booking.starts_at) == to_local(at(monday - timedelta(days=2), 17))
    assert to_local(booking.ends_at) == to_local(at(monday + timedelta(days=1), 8, 30))


def test_a_second_session_the_same_weekend_cannot_take_the_gun_already_out():
    site, coordinator = make_site(), make_coordinator()
    make_item(name="Speed gun", calibration_days=400)
    sunday = next_weekday(6)
    schedule_event(speedwatch_fields(site, at(sunday, 10)), by=coordinator)
    with pytest.raises(ScheduleProblems, match="already booked from Sat"):
        schedule_event(speedwatch_fields(site, at(sunday, 14)), by=coordinator)
    db.session.rollback()
    assert db.session.scalar(db.select(func.count(services.EquipmentBooking.id))) == 1
