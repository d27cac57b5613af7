"""The coordinator prints next month's rota; volunteers see it without phone numbers."""

import csv
import io
from datetime import timedelta

import pytest
from conftest import login_as
from factories import at, make_coordinator, make_event, make_user

from csp_events.auth.roles import Role
from csp_events.events.vocabulary import EventKind, EventStatus
from csp_events.extensions import db
from csp_events.rotas.rules import month_periods
from csp_events.signups.models import Signup
from csp_events.signups.vocabulary import SignupStatus
from csp_events.timezones import to_local, utcnow


def on(event, person, status=SignupStatus.CONFIRMED):
    db.session.add(Signup(event=event, user=person, status=status))
    db.session.commit()


@pytest.fixture
def next_month(app_context):
    """Next month: a surgery with Margaret (phone given), a Speedwatch session, a cancelled
    pop-up and a home visit; and a surgery the month after."""
    _label, first, last = month_periods(to_local(utcnow()).date())[1]
    margaret = make_user(name="Margaret Hughes")
    margaret.phone = "07700 900123"
    raj = make_user(name="Raj Patel")
    surgery = make_event(kind=EventKind.SURGERY, title="NHW surgery", starts_at=at(first, 10))
    on(surgery, margaret)
    on(surgery, raj, SignupStatus.WAITLISTED)
    speedwatch = make_event(
        kind=EventKind.SPEEDWATCH,
        title="Speedwatch – Wash Road",
        starts_at=at(first + timedelta(days=3), 10),
    )
    on(speedwatch, raj)
    make_event(title="Cancelled pop-up", starts_at=at(first, 14), status=EventStatus.CANCELLED)
    visit = make_event(
        kind=EventKind.HOME_VISIT, title="Home visit", starts_at=at(first + timedelta(days=5), 11)
    )
    visit.area = "CM15"
    on(visit, margaret)
    make_event(
        kind=EventKind.SURGERY, title="Later surgery", starts_at=at(last + timedelta(days=1), 10)
    )
    return first, last, surgery


def month_query(first, last) -> str:
    return (
        f"first={first.day}&first={first.month}&first={first.year}"
        f"&last={last.day}&last={last.month}&last={last.year}"
    )


def test_the_coordinator_prints_next_months_rota_with_phone_numbers(client, next_month):
    first, last, _surgery = next_month
    login_as(client, make_coordinator())
    assert "/rotas" in client.get("/calendar").get_data(as_text=True)
    page = client.get(f"/rotas?{month_query(first, last)}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "NHW surgery" in text and "Speedwatch – Wash Road" in text and "Home visit" in text
    assert "Cancelled pop-up" not in text and "Later surgery" not in text
    assert 'href="tel:07700900123"' in text and "1 on the waiting list" in text
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/rotas.csv?{month_query(first, last)}").get_data(as_text=True))
        )
    )
    assert rows[0][-2:] == ["volunteer", "phone"]
    assert [first.isoformat(), "10:00", "12:00", "NHW surgery"] == rows[1][:4]
    assert rows[1][-2:] == ["Margaret Hughes", "07700 900123"]
    assert len(rows) == 1 + 3  # surgery, Speedwatch, home visit: one volunteer each


def test_a_volunteer_sees_the_rota_without_phones_or_home_visits(client, next_month):
    first, last, _surgery = next_month
    login_as(client, make_user())
    text = client.get(f"/rotas?{month_query(first, last)}").get_data(as_text=True)
    assert "Margaret Hughes" in text and "07700" not in text and "CM15" not in text
    body = client.get(f"/rotas.csv?{month_query(first, last)}").get_data(as_text=True)
    assert "phone" not in body and "07700" not in body and "Home visit" not in body


def test_the_rota_can_be_filtered_by_kind(client, next_month):
    first, last, _surgery = next_month
    login_as(client, make_coordinator())
    text = client.get(f"/rotas?{month_query(first, last)}&kind=speedwatch").get_data(as_text=True)
    assert "Speedwatch – Wash Road" in text and "NHW surgery" not in text


@pytest.mark.parametrize(
    "query",
    [
        "kind=bogus",
        "kind=home_visit&first=1",
        "first=1&first=1&first=2027",
        "first=1&first=2&first=2027&last=1&last=1&last=2027",
        "first=1&first=1&first=2027&last=1&last=1&last=2029",
    ],
)
def test_a_rota_that_cannot_be_shown_says_why(client, app_context, query):
    login_as(client, make_user())
    for path in ("/rotas", "/rotas.csv"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400 and "There is a problem" in response.get_data(
            as_text=True
        )


def test_the_coordinator_downloads_a_sessions_roster_and_a_volunteer_cannot(client, next_month):
    _first, _last, surgery = next_month
    login_as(client, make_coordinator())
    text = client.get(f"/events/{surgery.id}").get_data(as_text=True)
    assert f"/events/{surgery.id}/roster.csv" in text
    response = client.get(f"/events/{surgery.id}/roster.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows == [
        ["name", "status", "waiting list position", "phone", "email"],
        ["Margaret Hughes", "Signed up", "", "07700 900123", rows[1][4]],
        ["Raj Patel", "On the waiting list", "1", "", rows[2][4]],
    ]
    assert client.get("/events/999999/roster.csv").status_code == 404
    login_as(client, make_user(Role.VOLUNTEER))
    assert client.get(f"/events/{surgery.id}/roster.csv").status_code == 403
    assert f"/events/{surgery.id}/roster.csv" not in client.get(f"/events/{surgery.id}").get_data(
        as_text=True
    )
