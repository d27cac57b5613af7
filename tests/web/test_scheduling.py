"""The coordinator schedules events and series through the forms; bad input is explained."""

from datetime import UTC, date, timedelta

import pytest
from conftest import login_as, post
from factories import days_ahead, make_coordinator, make_site, make_user, make_venue

from csp_events.events.models import Event, EventSeries
from csp_events.events.vocabulary import EventStatus
from csp_events.extensions import db
from csp_events.places.vocabulary import ApprovalStatus
from csp_events.timezones import to_local, utcnow


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def event_form(day: date, **changes) -> dict:
    values = {
        "title": "Burglary pop-up",
        "kind": "pop_up",
        "theme": "burglary",
        "start_date": [str(day.day), str(day.month), str(day.year)],
        "start_time": "10:00",
        "end_time": "12:00",
        "min_volunteers": "1",
        "max_volunteers": "3",
        "is_public": "y",
        "notes": "",
    }
    values.update(changes)
    return values


@pytest.fixture
def coordinator_client(client):
    login_as(client, make_coordinator())
    return client


def test_the_coordinator_schedules_a_pop_up(coordinator_client):
    venue = make_venue("Bay Tree Centre")
    day = days_ahead(20)
    response = post(coordinator_client, "/events/new", event_form(day, venue_id=str(venue.id)))
    assert response.status_code == 302
    event = db.session.execute(db.select(Event)).scalar_one()
    assert to_local(event.starts_at).hour == 10 and event.venue_id == venue.id
    page = coordinator_client.get(response.location).get_data(as_text=True)
    assert "Burglary pop-up" in page and "Bay Tree Centre" in page


def next_spring_forward() -> date:
    year = to_local(utcnow()).year + 1
    last_sunday = date(year, 3, 31)
    return last_sunday - timedelta(days=(last_sunday.weekday() + 1) % 7)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_time": "09:00"}, "end time must be after the start time"),
        ({"start_time": "25:00"}, "must be a time like 10:00"),
        ({"title": "x" * 121}, "Field cannot be longer than 120 characters"),
        ({"title": ""}, "Enter a title"),
        ({"max_volunteers": "1", "min_volunteers": "2"}, "at least the fewest"),
        ({"max_volunteers": "lots"}, "Most volunteers must be a whole number"),
        ({"start_date": ["31", "2", "2027"]}, "must be a real date"),
        ({"start_date": ["1", "1", "2999"]}, "within the next 3 years"),
        ({"start_date": ["1", "1"]}, "must be a real date"),
        ({"start_date": ["x", "y", "z"]}, "must be a real date"),
        ({"venue_id": "999999"}, "Choose one of the options"),
        ({"kind": "party"}, "Not a valid choice"),
    ],
)
def test_bad_event_input_is_explained_next_to_the_field_and_saves_nothing(
    coordinator_client, changes, message
):
    venue = make_venue()
    form = event_form(days_ahead(20), venue_id=str(venue.id))
    form.update(changes)
    response = post(coordinator_client, "/events/new", form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    assert count(Event) == 0


def test_a_time_lost_to_the_spring_clock_change_is_refused(coordinator_client):
    day = next_spring_forward()
    response = post(
        coordinator_client,
        "/events/new",
        event_form(day, venue_id=str(make_venue().id), start_time="01:30", end_time="03:00"),
    )
    assert "does not exist" in response.get_data(as_text=True)
    assert count(Event) == 0


def test_speedwatch_at_an_unapproved_site_is_refused(coordinator_client):
    site = make_site(status=ApprovalStatus.PENDING)
    response = post(
        coordinator_client,
        "/events/new",
        event_form(
            days_ahead(20),
            kind="speedwatch",
            site_id=str(site.id),
            start_time="11:00",
            end_time="12:00",
        ),
    )
    assert "not approved by the police" in response.get_data(as_text=True)
    assert count(Event) == 0


def test_speedwatch_after_dark_is_refused_with_the_daylight_hours(coordinator_client):
    site = make_site()
    response = post(
        coordinator_client,
        "/events/new",
        event_form(
            days_ahead(20),
            kind="speedwatch",
            site_id=str(site.id),
            start_time="21:00",
            end_time="22:00",
        ),
    )
    assert "must be in daylight" in response.get_data(as_text=True)


def series_form(first: date, **changes) -> dict:
    values = event_form(
        first,
        kind="surgery",
        title="NHW surgery – Brentwood Library",
        frequency="monthly_by_weekday",
        week_of_month="2",
        ends="until",
        until=["31", "12", str(first.year)],
        min_volunteers="1",
        max_volunteers="2",
    )
    values.update(changes)
    return values


def test_the_coordinator_creates_a_monthly_surgery_that_stays_at_ten_across_clock_changes(
    coordinator_client,
):
    venue = make_venue("Brentwood Library")
    year = to_local(utcnow()).year + 1
    first = date(year, 1, 1) + timedelta(days=(1 - date(year, 1, 1).weekday()) % 7)  # a Tuesday
    response = post(coordinator_client, "/series/new", series_form(first, venue_id=str(venue.id)))
    assert response.status_code == 302, response.get_data(as_text=True)
    events = db.session.execute(db.select(Event).order_by(Event.starts_at)).scalars().all()
    assert len(events) == 12
    january, july = events[0], events[6]
    assert january.starts_at.astimezone(UTC).hour == 10 and july.starts_at.astimezone(UTC).hour == 9
    page = coordinator_client.get(response.location).get_data(as_text=True)
    assert "Second Tuesday of every month, 10:00 to 12:00" in page
    for event in (january, july):
        assert "10:00" in coordinator_client.get(f"/events/{event.id}").get_data(as_text=True)


def test_the_coordinator_moves_one_occurrence_and_cancels_another(coordinator_client):
    venue = make_venue()
    year = to_local(utcnow()).year + 1
    first = date(year, 1, 1) + timedelta(days=(1 - date(year, 1, 1).weekday()) % 7)
    post(coordinator_client, "/series/new", series_form(first, venue_id=str(venue.id)))
    events = db.session.execute(db.select(Event).order_by(Event.starts_at)).scalars().all()
    march, april = events[2], events[3]
    new_day = to_local(march.starts_at).date() + timedelta(days=2)
    moved = post(
        coordinator_client,
        f"/events/{march.id}/edit",
        event_form(
            new_day,
            kind="surgery",
            title=march.title,
            venue_id=str(venue.id),
            start_time="14:00",
            end_time="16:00",
        ),
    )
    assert moved.status_code == 302
    post(coordinator_client, f"/events/{april.id}/status", {"status": "cancelled"})
    db.session.expire_all()
    assert to_local(march.starts_at).date() == new_day and to_local(march.starts_at).hour == 14
    assert april.status == EventStatus.CANCELLED
    assert sum(e.status == EventStatus.CANCELLED for e in events) == 1
    series_page = coordinator_client.get(f"/series/{march.series_id}").get_data(as_text=True)
    assert "Cancelled" in series_page


def test_a_series_with_neither_end_date_nor_count_is_refused(coordinator_client):
    venue = make_venue()
    form = series_form(days_ahead(10), venue_id=str(venue.id), ends="count", count="")
    response = post(coordinator_client, "/series/new", form)
    assert "Enter the number of sessions" in response.get_data(as_text=True)
    assert count(EventSeries) == 0 and count(Event) == 0


def test_volunteers_cannot_schedule_or_change_events(client):
    login_as(client, make_user())
    venue = make_venue()
    assert (
        post(client, "/events/new", event_form(days_ahead(5), venue_id=str(venue.id))).status_code
        == 403
    )
    assert count(Event) == 0


def test_an_unknown_status_is_refused(coordinator_client):
    venue = make_venue()
    post(coordinator_client, "/events/new", event_form(days_ahead(20), venue_id=str(venue.id)))
    event = db.session.execute(db.select(Event)).scalar_one()
    assert (
        post(coordinator_client, f"/events/{event.id}/status", {"status": "exploded"}).status_code
        == 400
    )
