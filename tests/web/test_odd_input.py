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
def test_a_blank_looking_theme_is_taken_as_no_theme(client, app_context, blank, editing):
    login_as(client, make_coordinator())
    url = f"/events/{make_event().id}/edit" if editing else "/events/new"
    answer = post(
        client, url, valid_event_form(utcnow().date() + timedelta(days=20)) | {"theme": blank}
    )
    assert answer.status_code == 302
    saved = db.session.scalars(db.select(Event).where(Event.title == "Burglary pop-up")).one()
    assert saved.theme is None


@pytest.mark.parametrize("blank", BLANK_LOOKING)
def test_a_blank_looking_extra_volunteer_on_an_outcome_adds_nobody(client, app_context, blank):
    event = make_event(starts_at=utcnow() - timedelta(hours=3))
    login_as(client, make_coordinator())
    fields = {"people_engaged": "25", "audience": "public", "theme": "burglary"}
    answer = post(client, f"/events/{event.id}/outcome", fields | {"also_came": blank})
    assert answer.status_code in (200, 302)
    assert db.session.scalar(db.select(db.func.count(Attendance.id))) == 0


@pytest.mark.parametrize("blank", BLANK_LOOKING)
@pytest.mark.parametrize("field", ["title", "start_time", "end_time"])
def test_a_blank_looking_required_field_is_asked_for_and_nothing_is_saved(
    client, app_context, blank, field
):
    login_as(client, make_coordinator())
    before = db.session.scalar(db.select(db.func.count(Event.id)))
    form = valid_event_form(utcnow().date() + timedelta(days=20)) | {field: blank}
    answer = post(client, "/events/new", form)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Error:" in page
    assert {"title": "Enter a title", "start_time": "Enter the start time",
            "end_time": "Enter the end time"}[field] in page  # fmt: skip
    assert db.session.scalar(db.select(db.func.count(Event.id))) == before


@pytest.mark.parametrize("character", ["\x01", "\x1b", "\x7f", "\x08"])
def test_a_control_character_in_a_field_is_refused_and_nothing_is_saved(
    client, app_context, character
):
    login_as(client, make_coordinator())
    before = db.session.scalar(db.select(db.func.count(Event.id)))
    form = valid_event_form(utcnow().date() + timedelta(days=20))
    answer = post(client, "/events/new", form | {"title": f"Pop-up{character}"})
    assert answer.status_code == 400
    assert db.session.scalar(db.select(db.func.count(Event.id))) == before


def test_a_title_with_line_breaks_is_kept_on_one_line_in_calendars_and_emails(client, app_context):
    login_as(client, make_coordinator())
    form = valid_event_form(utcnow().date() + timedelta(days=20))
    post(client, "/events/new", form | {"title": "Burglary\r\nBcc: someone@example.org"})
    saved = db.session.scalars(db.select(Event)).one()
    assert saved.title == "Burglary Bcc: someone@example.org"
    download = client.get(f"/events/{saved.id}.ics")
    assert download.status_code == 200 and b"Burglary Bcc:" in download.data


@pytest.mark.parametrize(
    "path",
    [
        "/whats-on?venue=%C2%B2",  # a superscript two: str.isdigit() says yes, int() says no
        "/embed?venue=%C2%B2",
        "/whats-on?" + "&".join(["kind=surgery"] * 200),  # copied into a QR code's address
        "/whats-on?" + "&".join(["theme=burglary"] * 200),
    ],
)
def test_odd_filters_on_the_public_listing_are_answered(client, app_context, path):
    assert client.get(path).status_code == 200


def test_a_superscript_digit_in_a_message_link_is_ignored(client, app_context):
    login_as(client, make_coordinator())
    assert client.get("/messages/new?event=%C2%B2").status_code == 200


def test_the_schedule_form_asks_for_a_home_visit_area_only_when_editing_a_home_visit(
    client, app_context
):
    from csp_events.events.vocabulary import EventKind

    login_as(client, make_coordinator())
    assert "Home visit area" not in client.get("/events/new").get_data(as_text=True)
    visit = make_event(kind=EventKind.HOME_VISIT, is_public=False)
    assert "Home visit area" in client.get(f"/events/{visit.id}/edit").get_data(as_text=True)


def test_a_word_line_break_pasted_into_a_title_and_notes_is_a_line_break(client, app_context):
    login_as(client, make_coordinator())
    form = valid_event_form(utcnow().date() + timedelta(days=20))
    answer = post(
        client, "/events/new", form | {"title": "Burglary\x0bpop-up", "notes": "Bring\x0cleaflets"}
    )
    assert answer.status_code == 302
    saved = db.session.scalars(db.select(Event)).one()
    assert (saved.title, saved.notes) == ("Burglary pop-up", "Bring\nleaflets")
