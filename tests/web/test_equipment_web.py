"""The speed gun through the pages: book it, be told when it is taken, see sessions flagged."""

from datetime import date, time, timedelta

import pytest
from conftest import login_as, post
from factories import (
    at,
    make_coordinator,
    make_item,
    make_site,
    next_weekday,
    speedwatch_volunteer,
)

from csp_events.equipment.models import EquipmentBooking
from csp_events.extensions import db
from csp_events.timezones import to_local

SATURDAY = 5


def booking_form(day: date, start: str, end: str) -> dict:
    parts = [str(day.day), str(day.month), str(day.year)]
    return {
        "start_date": parts,
        "start_time": start,
        "end_date": parts,
        "end_time": end,
        "purpose": "Speedwatch on Wash Road",
    }


def bookings() -> list[EquipmentBooking]:
    return db.session.execute(db.select(EquipmentBooking)).scalars().all()


def test_a_volunteer_books_the_gun_and_a_second_is_told_it_is_taken_and_shown_free_times(client):
    gun = make_item(name="Speed gun (Town Hall)")
    saturday = next_weekday(SATURDAY)
    login_as(client, speedwatch_volunteer())
    first = post(client, f"/equipment/{gun.id}/book", booking_form(saturday, "09:00", "13:00"))
    assert first.status_code == 302
    assert "is booked for you" in client.get(first.location).get_data(as_text=True)

    login_as(client, speedwatch_volunteer())
    second = post(client, f"/equipment/{gun.id}/book", booking_form(saturday, "11:00", "12:00"))
    page = second.get_data(as_text=True)
    assert second.status_code == 200
    assert "is already booked" in page and "Free times nearby" in page
    assert len(bookings()) == 1


def test_a_sunday_booking_is_collected_on_saturday_and_returned_after_the_weekend(client):
    gun = make_item()
    sunday = next_weekday(6)
    login_as(client, speedwatch_volunteer())
    response = post(client, f"/equipment/{gun.id}/book", booking_form(sunday, "10:00", "12:00"))
    assert response.status_code == 302
    (booking,) = bookings()
    collect, back = to_local(booking.starts_at), to_local(booking.ends_at)
    assert (collect.date(), collect.time()) == (sunday - timedelta(days=1), time(17))
    assert back.date() > sunday and back.time() == time(8, 30)
    assert (booking.needed_from, booking.needed_until) == (at(sunday, 10), at(sunday, 12))
    page = client.get(response.location).get_data(as_text=True)
    assert "between 08:30 and 17:00" in page and f"collected {collect:%a %-d %b} 17:00" in page
    assert "outside the handover hours" in page  # the item page says what it is needed for


def test_the_coordinator_schedules_speedwatch_and_the_gun_is_booked_with_it(client):
    gun, site = make_item(name="Speed gun (Town Hall)"), make_site()
    login_as(client, make_coordinator())
    day = next_weekday(SATURDAY)
    form = {
        "title": "Speedwatch – Wash Road",
        "kind": "speedwatch",
        "site_id": str(site.id),
        "start_date": [str(day.day), str(day.month), str(day.year)],
        "start_time": "10:00",
        "end_time": "11:30",
        "min_volunteers": "3",
        "max_volunteers": "5",
        "is_public": "y",
    }
    response = post(client, "/events/new", form)
    assert response.status_code == 302, response.get_data(as_text=True)
    (booking,) = bookings()
    assert booking.item_id == gun.id and booking.event_id is not None
    page = client.get(response.location).get_data(as_text=True)
    assert "Speed gun (Town Hall)" in page and "Not ready" in page  # no team yet

    gun.calibration_expires_on = day - timedelta(days=1)
    db.session.commit()
    assert "calibration expires" in client.get("/dashboard").get_data(as_text=True)
    assert "calibration expires" in client.get(response.location).get_data(as_text=True)


def test_a_sunday_session_page_shows_the_gun_collected_saturday_and_returned_after(client):
    make_item(name="Speed gun (Town Hall)")
    site = make_site()
    login_as(client, make_coordinator())
    sunday = next_weekday(6)
    form = {
        "title": "Speedwatch – Wash Road",
        "kind": "speedwatch",
        "site_id": str(site.id),
        "start_date": [str(sunday.day), str(sunday.month), str(sunday.year)],
        "start_time": "10:00",
        "end_time": "11:30",
        "min_volunteers": "3",
        "max_volunteers": "5",
        "is_public": "y",
    }
    response = post(client, "/events/new", form)
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.location).get_data(as_text=True)
    saturday = sunday - timedelta(days=1)
    assert f"collect {saturday:%a} {saturday.day} {saturday:%b %Y}, 17:00, return " in page
    assert "No speed gun is booked" not in page
    assert "outside the gun’s handover hours" in page and "08:30 to 17:00" in page


def test_a_volunteer_can_cancel_only_their_own_booking(client):
    gun = make_item()
    owner = speedwatch_volunteer()
    login_as(client, owner)
    post(
        client, f"/equipment/{gun.id}/book", booking_form(next_weekday(SATURDAY), "09:00", "13:00")
    )
    (booking,) = bookings()
    login_as(client, speedwatch_volunteer())
    assert post(client, f"/equipment/bookings/{booking.id}/cancel").status_code == 404
    login_as(client, owner)
    assert post(client, f"/equipment/bookings/{booking.id}/cancel").status_code == 302
    assert not bookings()[0].is_active


def test_the_coordinator_records_check_out_and_check_in(client):
    gun, volunteer = make_item(name="Speed gun (Town Hall)"), speedwatch_volunteer(name="Margaret")
    login_as(client, make_coordinator())
    due = next_weekday(2)
    out = post(
        client,
        f"/equipment/{gun.id}/check-out",
        {
            "collected_by_id": str(volunteer.id),
            "condition": "good",
            "due_back_date": [str(due.day), str(due.month), str(due.year)],
            "due_back_time": "16:00",
        },
    )
    assert out.status_code == 302
    assert "Out with Margaret" in client.get(f"/equipment/{gun.id}").get_data(as_text=True)
    again = post(
        client,
        f"/equipment/{gun.id}/check-out",
        {
            "collected_by_id": str(volunteer.id),
            "condition": "good",
            "due_back_date": [str(due.day), str(due.month), str(due.year)],
            "due_back_time": "16:00",
        },
    )
    assert "already checked out" in again.get_data(as_text=True)
    back = post(
        client,
        f"/equipment/{gun.id}/check-in",
        {"returned_by_id": str(volunteer.id), "condition": "worn", "notes": "strap frayed"},
    )
    assert back.status_code == 302
    assert "In store at" in client.get(f"/equipment/{gun.id}").get_data(as_text=True)


def test_a_booking_in_the_year_9999_is_refused_with_the_reason_not_not_found(client):
    gun = make_item(name="Speed gun (Town Hall)")
    login_as(client, speedwatch_volunteer())
    answer = post(
        client, f"/equipment/{gun.id}/book", booking_form(date(9999, 12, 31), "10:00", "23:59")
    )
    assert answer.status_code == 200
    assert "Bookings can be made at most 3 years ahead." in answer.get_data(as_text=True)
    assert bookings() == []


@pytest.mark.parametrize(
    ("purpose", "kept"),
    [("Speedwatch, watch for AB-12-CDE", False), ("Speedwatch by the M25 ABC sign", True)],
)
def test_a_registration_number_in_a_booking_purpose_is_refused_next_to_it(client, purpose, kept):
    gun = make_item(name="Speed gun (Town Hall)")
    login_as(client, speedwatch_volunteer())
    answer = post(
        client,
        f"/equipment/{gun.id}/book",
        booking_form(next_weekday(SATURDAY), "09:00", "13:00") | {"purpose": purpose},
    )
    assert (answer.status_code == 302) is kept
    if not kept:
        assert "Remove the registration number" in answer.get_data(as_text=True)
    assert len(bookings()) == int(kept)
