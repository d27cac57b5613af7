"""A volunteer marks when they are away; the coordinator sees it; sign-up warns them."""

from datetime import timedelta

from conftest import login_as, post
from factories import at, make_coordinator, make_event, make_user, next_weekday

from csp_events.auth.roles import Role
from csp_events.availability.models import Absence
from csp_events.availability.services import people_away, record_absence
from csp_events.availability.vocabulary import AbsenceKind
from csp_events.extensions import db
from csp_events.signups.services import sign_up
from csp_events.signups.vocabulary import SignupStatus
from csp_events.timezones import to_local, utcnow


def today():
    return to_local(utcnow()).date()


def date_parts(day) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def away_for(person, first, last=None):
    return record_absence(
        person,
        kind=AbsenceKind.DATES,
        first_day=first,
        last_day=last or first,
        weekday=None,
        note="On holiday",
        today=today(),
    )


def test_a_volunteer_marks_a_fortnight_away_sees_it_and_deletes_it(client):
    volunteer = make_user()
    login_as(client, volunteer)
    first = today() + timedelta(days=10)
    response = post(
        client,
        "/account/away",
        {
            "kind": "dates",
            "first_day": date_parts(first),
            "last_day": date_parts(first + timedelta(days=13)),
            "note": "Cornwall",
        },
    )
    assert response.status_code == 302
    page = client.get("/account/away").get_data(as_text=True)
    assert "Cornwall" in page and "Away from" in page
    absence = db.session.execute(db.select(Absence)).scalar_one()
    post(client, f"/account/away/{absence.id}/delete")
    assert db.session.execute(db.select(Absence)).first() is None


def test_a_weekday_never_done_is_saved(client):
    volunteer = make_user()
    login_as(client, volunteer)
    post(client, "/account/away", {"kind": "weekday", "weekday": "6"})
    assert "Never on Sundays" in client.get("/account/away").get_data(as_text=True)


def test_a_bad_absence_is_explained_and_saves_nothing(client):
    login_as(client, make_user())
    response = post(
        client,
        "/account/away",
        {"kind": "dates", "first_day": date_parts(today()), "last_day": ["1", "1", "2020"]},
    )
    assert response.status_code == 200
    assert "The last day must be" in response.get_data(as_text=True)
    response = post(client, "/account/away", {"kind": "weekday"})
    assert "Choose the day of the week" in response.get_data(as_text=True)
    assert db.session.execute(db.select(Absence)).first() is None


def test_nobody_deletes_another_volunteers_absence(client):
    other = make_user()
    absence = away_for(other, today() + timedelta(days=3))
    login_as(client, make_user())
    post(client, f"/account/away/{absence.id}/delete")
    assert db.session.get(Absence, absence.id) is not None


def test_people_away_names_only_those_away_for_the_session(app_context):
    day = next_weekday(2, weeks_ahead=2)
    away, weekday_off, free = make_user(), make_user(), make_user()
    away_for(away, day - timedelta(days=2), day)
    record_absence(
        weekday_off,
        kind=AbsenceKind.WEEKDAY,
        first_day=None,
        last_day=None,
        weekday=day.weekday(),
        note="",
        today=today(),
    )
    away_for(free, day + timedelta(days=1))
    ids = [away.id, weekday_off.id, free.id]
    assert people_away(ids, at(day, 10), at(day, 12)) == {away.id, weekday_off.id}
    assert people_away([], at(day, 10), at(day, 12)) == set()


def test_the_coordinator_sees_who_is_unavailable_and_cannot_add_them(client):
    day = next_weekday(3, weeks_ahead=2)
    event = make_event(starts_at=at(day, 10))
    signed_up, away = make_user(name="Sam Signed"), make_user(name="Alex Away")
    sign_up(event, signed_up, by=signed_up)
    away_for(signed_up, day)
    away_for(away, day)
    login_as(client, make_coordinator())
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Unavailable" in page
    roster = client.get(f"/events/{event.id}/roster").get_data(as_text=True)
    assert "Not offered, because they said they are away then: Alex Away" in roster
    assert f'value="{away.id}"' not in roster
    response = post(client, f"/events/{event.id}/roster", {"volunteer_id": str(away.id)})
    assert response.status_code == 200
    assert [s.user_id for s in event.signups] == [signed_up.id]


def test_a_volunteer_away_that_day_is_warned_but_may_still_sign_up(client):
    day = next_weekday(3, weeks_ahead=2)
    event = make_event(starts_at=at(day, 10))
    volunteer = make_user()
    away_for(volunteer, day)
    login_as(client, volunteer)
    assert "You said you are away on this day" in client.get(f"/events/{event.id}").get_data(
        as_text=True
    )
    response = post(client, f"/events/{event.id}/sign-up")
    page = client.get(response.location).get_data(as_text=True)
    assert "You are signed up" in page and "You said you are away on this day" in page
    assert event.signups[0].status == SignupStatus.CONFIRMED


def test_the_coordinator_sees_on_a_volunteers_page_when_they_are_away_and_why(client):
    volunteer = make_user(name="Margaret")
    first = today() + timedelta(days=10)
    away_for(volunteer, first, first + timedelta(days=13))
    login_as(client, make_coordinator())
    page = client.get(f"/people/{volunteer.id}").get_data(as_text=True)
    assert "When they are away" in page
    assert f"Away from {first.strftime('%a')} {first.day} {first:%b %Y}" in page
    assert "On holiday" in page
    partner = make_user(Role.PARTNER)
    assert "When they are away" not in client.get(f"/people/{partner.id}").get_data(as_text=True)
