"""Schedule another like this: an event copied but for its date, every rule checked again."""

import re

import pytest
from conftest import login_as, post
from factories import (
    at,
    make_coordinator,
    make_event,
    make_item,
    make_site,
    make_user,
    make_venue,
    next_weekday,
)
from visit_factories import make_referral, make_visit

from csp_events.auth.roles import Role
from csp_events.equipment.models import EquipmentBooking
from csp_events.events.models import Event
from csp_events.events.vocabulary import EventKind, PartnerAgency, Theme
from csp_events.extensions import db
from csp_events.places.vocabulary import ApprovalStatus


@pytest.fixture
def coordinator_client(client, app_context):
    login_as(client, make_coordinator())
    return client


def date_parts(day) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def copied_form(client, event_id: int) -> str:
    page = client.get(f"/events/{event_id}/copy")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_the_copy_form_keeps_everything_but_the_date(coordinator_client):
    partner = make_user(Role.PARTNER, name="PC Patel")
    event = make_event(title="Strawberry Fair stand", venue=make_venue("Shenfield Common"))
    event.theme, event.notes = Theme.SCAMS, "Bring the gazebo"
    event.partner_agencies = [PartnerAgency.ESSEX_POLICE]
    event.partner_officers = [partner]
    db.session.commit()
    page = copied_form(coordinator_client, event.id)
    assert "Schedule another like this" in page
    assert 'value="Strawberry Fair stand"' in page
    assert "Bring the gazebo" in page
    assert 'value="scams" selected' in page
    assert 'value="essex_police" checked' in page
    assert f'value="{partner.id}" checked' in page
    assert 'value="10:00"' in page and 'value="12:00"' in page
    date_inputs = re.findall(r"<input[^>]*start_date[^>]*>", page)
    assert len(date_inputs) == 3 and not any("value=" in i for i in date_inputs)


def test_saving_the_copy_schedules_a_new_event_and_leaves_the_original_alone(
    coordinator_client,
):
    venue = make_venue()
    original = make_event(title="Strawberry Fair stand", venue=venue)
    day = next_weekday(5, weeks_ahead=3)
    response = post(
        coordinator_client,
        f"/events/{original.id}/copy",
        {
            "title": "Strawberry Fair stand",
            "kind": "pop_up",
            "venue_id": str(venue.id),
            "start_date": date_parts(day),
            "start_time": "10:00",
            "end_time": "12:00",
            "min_volunteers": "1",
            "max_volunteers": "3",
            "is_public": "y",
        },
    )
    assert response.status_code == 302
    events = db.session.execute(db.select(Event).order_by(Event.id)).scalars().all()
    assert len(events) == 2 and events[1].starts_at == at(day, 10)
    assert events[0].starts_at == original.starts_at


def test_a_copied_speedwatch_session_books_its_own_speed_gun(coordinator_client):
    make_item(name="Speed gun")
    site = make_site()
    day = next_weekday(2, weeks_ahead=2)
    form = {
        "title": "Speedwatch",
        "kind": "speedwatch",
        "site_id": str(site.id),
        "start_time": "10:00",
        "end_time": "11:00",
        "min_volunteers": "3",
        "max_volunteers": "4",
    }
    post(coordinator_client, "/events/new", {**form, "start_date": date_parts(day)})
    original = db.session.execute(db.select(Event)).scalar_one()
    later = next_weekday(2, weeks_ahead=4)
    response = post(
        coordinator_client,
        f"/events/{original.id}/copy",
        {**form, "start_date": date_parts(later)},
    )
    assert response.status_code == 302
    bookings = db.session.execute(db.select(EquipmentBooking)).scalars().all()
    assert sorted(b.event_id for b in bookings) == sorted(
        db.session.execute(db.select(Event.id)).scalars()
    )


def test_a_copy_is_checked_again_like_a_new_event(coordinator_client):
    site = make_site(status=ApprovalStatus.WITHDRAWN)
    original = make_event(kind=EventKind.SPEEDWATCH, site=site, max_volunteers=4)
    day = next_weekday(2, weeks_ahead=3)
    response = post(
        coordinator_client,
        f"/events/{original.id}/copy",
        {
            "title": "Speedwatch",
            "kind": "speedwatch",
            "site_id": str(site.id),
            "start_date": date_parts(day),
            "start_time": "10:00",
            "end_time": "11:00",
            "min_volunteers": "1",
            "max_volunteers": "4",
        },
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Event)) == 1


def test_a_home_visit_is_never_copied(coordinator_client):
    visit = make_visit(make_referral())
    page = coordinator_client.get(f"/events/{visit.id}").get_data(as_text=True)
    assert "Schedule another like this" not in page
    response = coordinator_client.get(f"/events/{visit.id}/copy", follow_redirects=True)
    assert "cannot be copied" in response.get_data(as_text=True)
    assert post(coordinator_client, f"/events/{visit.id}/copy").status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(Event)) == 1


def test_volunteers_cannot_copy_events(client, app_context):
    event = make_event()
    login_as(client, make_user())
    assert client.get(f"/events/{event.id}/copy").status_code == 403
