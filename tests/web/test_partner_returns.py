"""A police partner downloads the quarter's Speedwatch log and the CSP's quarterly return."""

import csv
import io
from datetime import date, timedelta

import pytest
from conftest import login_as
from factories import at, make_coordinator, make_event, make_user

from csp_events.auth.models import User
from csp_events.auth.roles import Role
from csp_events.engagement.models import Attendance, EventOutcome
from csp_events.engagement.vocabulary import Weather
from csp_events.events.vocabulary import EventKind, EventStatus
from csp_events.extensions import db
from csp_events.reports.rules import quarter, quarter_of
from csp_events.timezones import to_local, utcnow


def rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


@pytest.fixture
def held_session(app_context):
    """A Speedwatch session held this quarter (or last week), with its counts and three of
    four volunteers there; its notes mention a number plate, which must never travel."""
    day = to_local(utcnow()).date() - timedelta(days=1)
    event = make_event(
        kind=EventKind.SPEEDWATCH,
        title="Speedwatch – Wash Road",
        starts_at=at(day, 10),
        hours=1.5,
        status=EventStatus.COMPLETED,
    )
    people = [make_user() for _ in range(4)]
    db.session.add_all(
        [
            Attendance(event_id=event.id, user_id=p.id, attended=i < 3, minutes=90)
            for i, p in enumerate(people)
        ]
    )
    db.session.add(
        EventOutcome(
            event_id=event.id,
            threshold_mph=35,
            vehicles_checked=212,
            vehicles_over_threshold=19,
            highest_speed_mph=47,
            weather=Weather.LIGHT_RAIN,
            notes="Silver van AB12 CDE twice",
        )
    )
    db.session.commit()
    return day


def test_a_police_partner_downloads_the_quarters_speedwatch_log(client, held_session):
    login_as(client, make_user(Role.PARTNER))
    calendar = client.get("/calendar").get_data(as_text=True)
    assert "/reports/returns" in calendar  # where a partner lands links to the returns
    page = client.get("/reports/returns")
    assert page.status_code == 200 and "Speedwatch log for the police" in page.get_data(
        as_text=True
    )
    year, number = quarter_of(held_session)
    response = client.get(f"/reports/speedwatch-log.csv?year={year}&quarter={number}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "speedwatch-log-" in response.headers["Content-Disposition"]
    header, *log = rows(response)
    assert header[:6] == ["date", "site", "speed limit (mph)", "start", "end", "volunteers"]
    assert log == [
        [
            held_session.isoformat(),
            "Wash Road (Hutton)",
            "30",
            "10:00",
            "11:30",
            "3",
            "212",
            "19",
            "35",
            "47",
            "Light rain",
        ]
    ]
    assert "AB12" not in response.get_data(as_text=True)


def test_the_log_takes_any_dates_and_leaves_out_sessions_outside_them(client, held_session):
    login_as(client, make_coordinator())
    d = held_session + timedelta(days=1)
    args = f"first={d.day}&first={d.month}&first={d.year}&last={d.day}&last={d.month}&last={d.year}"
    assert len(rows(client.get(f"/reports/speedwatch-log.csv?{args}"))) == 1  # the header only
    d = held_session
    args = f"first={d.day}&first={d.month}&first={d.year}&last={d.day}&last={d.month}&last={d.year}"
    assert len(rows(client.get(f"/reports/speedwatch-log.csv?{args}"))) == 2


@pytest.mark.parametrize(
    "query",
    [
        "first=1&first=2&first=2026",  # one date only
        "first=31&first=2&first=2026&last=1&last=3&last=2026",  # no such date
        "first=1&first=3&first=2026&last=1&last=2&last=2026",  # ends before it starts
        "year=banana",
    ],
)
def test_a_log_for_dates_that_make_no_sense_says_why_on_the_page(client, app_context, query):
    login_as(client, make_user(Role.PARTNER))
    response = client.get(f"/reports/speedwatch-log.csv?{query}")
    assert response.status_code == 400 and "There is a problem" in response.get_data(as_text=True)


def test_the_quarterly_return_has_a_column_a_quarter_and_one_for_the_year(client, held_session):
    login_as(client, make_user(Role.PARTNER))
    year, number = quarter_of(held_session)
    response = client.get(f"/reports/quarterly-return.csv?year={year}")
    assert response.status_code == 200
    header, *table = rows(response)
    assert header[1:] == [quarter(year, n).label for n in range(1, 5)] + [
        f"Financial year {year}/{(year + 1) % 100:02d}"
    ]
    by_measure = {row[0]: row[1:] for row in table}
    expected = ["0", "0", "0", "0"]
    expected[number - 1] = "1"
    assert by_measure["Speedwatch sessions"] == [*expected, "1"]
    assert by_measure["events: Community Speedwatch sessions"] == [*expected, "1"]
    assert by_measure["vehicles checked"][-1] == "212"
    assert by_measure["volunteers who gave time"][-1] == "3"
    names = {u.name for u in db.session.execute(db.select(User)).scalars()}
    assert not any(name in response.get_data(as_text=True) for name in names)


def test_a_volunteer_gets_neither_return(client, app_context):
    login_as(client, make_user())
    assert client.get("/reports/returns").status_code == 403
    assert client.get("/reports/speedwatch-log.csv").status_code == 403
    assert client.get("/reports/quarterly-return.csv").status_code == 403


def test_a_year_not_offered_is_refused_on_the_page(client, app_context):
    login_as(client, make_coordinator())
    response = client.get(f"/reports/quarterly-return.csv?year={date.today().year - 30}")
    assert response.status_code == 400 and "There is a problem" in response.get_data(as_text=True)
