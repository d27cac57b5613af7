"""A volunteer signs up for a year of surgeries in one step; each session keeps its rules."""

from datetime import timedelta

import pytest
from conftest import login_as, post
from factories import make_event, make_site, make_user, make_venue
from plans import surgery_plan

from csp_events.availability.services import record_absence
from csp_events.availability.vocabulary import AbsenceKind
from csp_events.events.vocabulary import EventKind, EventStatus
from csp_events.extensions import db
from csp_events.series.services import create_series
from csp_events.signups.services import sign_up
from csp_events.signups.vocabulary import SeriesSessionOutcome, SignupStatus
from csp_events.signups.whole_series import sign_up_for_series, withdraw_from_series
from csp_events.timezones import to_local, utcnow


@pytest.fixture
def series(app_context):
    return create_series(surgery_plan(make_venue()))


def outcomes(results) -> list[SeriesSessionOutcome]:
    return [r.outcome for r in results]


def test_signing_up_for_the_whole_series_takes_a_place_on_every_future_session(series):
    volunteer = make_user()
    results = sign_up_for_series(series, volunteer, utcnow())
    assert len(results) == len(series.events) == 12
    assert set(outcomes(results)) == {SeriesSessionOutcome.SIGNED_UP}
    again = sign_up_for_series(series, volunteer, utcnow())
    assert set(outcomes(again)) == {SeriesSessionOutcome.ALREADY_ON}


def test_each_session_applies_its_own_rules(series):
    first, second, third, fourth = series.events[:4]
    volunteer = make_user()  # no Speedwatch training
    # Full: the waiting list.
    for person in (make_user(), make_user()):
        sign_up(first, person, by=person)
    # A clash with another of their sessions.
    other = make_event(starts_at=second.starts_at, title="Scams talk")
    sign_up(other, volunteer, by=volunteer)
    # A qualification the day needs: this session became Speedwatch.
    third.kind, third.site, third.venue = EventKind.SPEEDWATCH, make_site(), None
    # Cancelled sessions are left out.
    fourth.status = EventStatus.CANCELLED
    db.session.commit()
    results = {r.event.id: r for r in sign_up_for_series(series, volunteer, utcnow())}
    assert fourth.id not in results and len(results) == 11
    assert results[first.id].outcome == SeriesSessionOutcome.WAITING
    assert results[second.id].outcome == SeriesSessionOutcome.REFUSED
    assert "Scams talk" in results[second.id].reason
    assert results[third.id].outcome == SeriesSessionOutcome.REFUSED
    assert "Community Speedwatch" in results[third.id].reason
    assert outcomes(results.values()).count(SeriesSessionOutcome.SIGNED_UP) == 8


def test_a_session_inside_the_cut_off_is_left_for_its_own_page(series, app):
    soon = series.events[0]
    hours = app.config["WITHDRAWAL_CLOSES_HOURS"]
    soon.starts_at = utcnow() + timedelta(hours=hours / 2)
    soon.ends_at = soon.starts_at + timedelta(hours=2)
    db.session.commit()
    results = sign_up_for_series(series, make_user(), utcnow())
    refused = [r for r in results if r.outcome == SeriesSessionOutcome.REFUSED]
    assert [r.event.id for r in refused] == [soon.id]
    assert "own page" in refused[0].reason
    assert soon.signups == []


def test_withdrawing_from_the_series_leaves_every_future_session(series):
    volunteer = make_user()
    sign_up_for_series(series, volunteer, utcnow())
    results = withdraw_from_series(series, volunteer, utcnow())
    assert set(outcomes(results)) == {SeriesSessionOutcome.WITHDRAWN} and len(results) == 12
    statuses = {s.status for e in series.events for s in e.signups}
    assert statuses == {SignupStatus.WITHDRAWN}


def test_the_volunteer_asks_then_sees_what_happened_to_each_session(client, series):
    volunteer = make_user()
    day = to_local(series.events[5].starts_at).date()
    record_absence(
        volunteer,
        kind=AbsenceKind.DATES,
        first_day=day,
        last_day=day,
        weekday=None,
        note="",
        today=to_local(utcnow()).date(),
    )
    login_as(client, volunteer)
    assert "Sign up for every future session" in client.get(f"/series/{series.id}").get_data(
        as_text=True
    )
    ask = client.get(f"/series/{series.id}/sign-up").get_data(as_text=True)
    assert "Sign up for all of them" in ask and "you said you are away that day" in ask
    assert series.events[0].signups == []
    page = post(client, f"/series/{series.id}/sign-up").get_data(as_text=True)
    assert "What happened to each session" in page and "12 done" in page
    assert "You said you are away that day" in page
    occurrence = client.get(f"/events/{series.events[0].id}").get_data(as_text=True)
    assert "Sign up for every future session of this series" in occurrence
    assert "Withdraw from every session" in client.get(f"/series/{series.id}/withdraw").get_data(
        as_text=True
    )
    page = post(client, f"/series/{series.id}/withdraw").get_data(as_text=True)
    assert "12 done" in page
