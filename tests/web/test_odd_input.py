"""Odd input anywhere gets a clear answer, never a server error."""

from datetime import timedelta

import pytest
from conftest import login_as, post
from factories import make_coordinator, make_event, make_venue

from csp_events.engagement.models import Attendance
from csp_events.events.models import Event
from csp_events.extensions import db
from csp_events.timezones import utcnow

HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    "path",
    [
        f"/referrals/{HUGE}",
        f"/events/{HUGE}",
        f"/equipment/{HUGE}",
        "/referrals/2147483648",  # one past PostgreSQL's integer
        f"/audit?user={HUGE}",
        f"/calendar?venue={HUGE}",
        "/calendar?venue=2147483648",
    ],
)
def test_an_id_too_large_for_any_database_is_simply_not_found(client, app_context, path):
    login_as(client, make_coordinator())
    assert client.get(path).status_code in (200, 404)


def test_an_empty_choice_in_a_list_of_checkboxes_is_refused_politely(client, app_context):
    event = make_event(starts_at=utcnow() - timedelta(hours=3))
    login_as(client, make_coordinator())
    response = post(client, f"/events/{event.id}/outcome", {"partner_agencies": ""})
    assert response.status_code == 200 and "Error:" in response.get_data(as_text=True)


BLANK_LOOKING = [" ", "\u3000", "\t"]  # a space, a full-width space, a tab


def valid_event_form(day) -> dict:
    parts = [str(day.day), str(day.month), str(day.year)]
    return {
        "title": "Burglary pop-up",
        "kind": "pop_up",
        "theme": "burglary",
        "start_date": parts,
        "start_time": "10:00",
        "end_time": "12:00",
        "min_volunteers": "1",
        "max_volunteers": "3",
        "venue_id": str(make_venue().id),
    }


@pytest.mark.parametrize("blank", BLANK_LOOKING)
@pytest.mark.parametrize("editing", [False, True], ids=["new", "edit"])
def test_a_blank_looking_theme_is_refused_next_to_the_theme(client, app_context, blank, editing):
    login_as(client, make_coordinator())
    url = f"/events/{make_event().id}/edit" if editing else "/events/new"
    before = db.session.scalar(db.select(db.func.count(Event.id)))
    answer = post(
        client, url, valid_event_form(utcnow().date() + timedelta(days=20)) | {"theme": blank}
    )
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Not a valid choice" in page
    assert db.session.scalar(db.select(db.func.count(Event.id))) == before


@pytest.mark.parametrize("blank", BLANK_LOOKING)
def test_a_blank_looking_extra_volunteer_on_an_outcome_is_refused(client, app_context, blank):
    event = make_event(starts_at=utcnow() - timedelta(hours=3))
    login_as(client, make_coordinator())
    fields = {"people_engaged": "25", "audience": "public", "theme": "burglary"}
    answer = post(client, f"/events/{event.id}/outcome", fields | {"also_came": blank})
    assert answer.status_code == 200 and "Not a valid choice" in answer.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Attendance.id))) == 0


@pytest.mark.parametrize(
    "query",
    [
        "/reports/export.csv?quarter=%20",
        "/reports?quarter=%E3%80%80",
        "/reports?year=%20",
        "/rotas?kind=&kind=0",
        "/rotas?kind=%20",
    ],
)
def test_a_blank_looking_or_unoffered_choice_in_a_query_is_not_an_error(client, app_context, query):
    login_as(client, make_coordinator())
    assert client.get(query).status_code in (200, 400)
