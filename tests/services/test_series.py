"""Recurring series: created, moved, cancelled, and kept at local time across clock changes."""

import itertools
from datetime import UTC, date, time, timedelta

import pytest
from factories import make_event, make_user, make_venue

from csp_events.events.recurrence import Frequency, RecurrencePattern
from csp_events.events.services import EventFields, ScheduleProblems, set_status, update_event
from csp_events.events.vocabulary import EventKind, EventStatus
from csp_events.series import services
from csp_events.signups.services import sign_up
from csp_events.timezones import local_to_utc, to_local, utcnow

pytestmark = pytest.mark.usefixtures("app_context")


def details(venue, **changes) -> EventFields:
    values = {
        "title": "NHW surgery",
        "kind": EventKind.SURGERY,
        "theme": None,
        "starts_at": utcnow(),
        "ends_at": utcnow(),
        "venue_id": venue.id,
        "site_id": None,
        "area": "",
        "min_volunteers": 1,
        "max_volunteers": 2,
        "partner_agencies": [],
        "partner_officer_ids": [],
        "is_public": True,
        "notes": "",
    }
    return EventFields(**{**values, **changes})


def next_year() -> int:
    return to_local(utcnow()).year + 1


def monthly_plan(venue, *, first=None, until=None, starts=time(10), **pattern_changes):
    """Second Tuesday of every month next year (the weekday comes from the first day)."""
    first = first or date(next_year(), 1, 1)
    while first.weekday() != 1:
        first += timedelta(days=1)
    pattern = RecurrencePattern(
        frequency=Frequency.MONTHLY_BY_WEEKDAY,
        first_day=first,
        starts_at=starts,
        duration=timedelta(hours=2),
        until=until or date(next_year(), 12, 31),
        week_of_month=2,
        **pattern_changes,
    )
    return services.SeriesPlan(pattern, details(venue))


def test_a_monthly_surgery_is_at_ten_local_time_in_january_and_july():
    series = services.create_series(monthly_plan(make_venue()))
    by_month = {to_local(e.starts_at).month: e for e in series.events}
    assert len(series.events) == 12
    assert all(to_local(e.starts_at).time() == time(10) for e in series.events)
    assert by_month[1].starts_at.astimezone(UTC).hour == 10  # GMT
    assert by_month[7].starts_at.astimezone(UTC).hour == 9  # BST
    assert all(
        to_local(e.starts_at).weekday() == 1 and 8 <= to_local(e.starts_at).day <= 14
        for e in series.events
    )


def test_moving_one_occurrence_leaves_the_others_and_survives_a_series_change():
    venue = make_venue()
    series = services.create_series(monthly_plan(venue))
    march = next(e for e in series.events if to_local(e.starts_at).month == 3)
    moved_start = local_to_utc(to_local(march.starts_at).date() + timedelta(days=1), time(14))
    update_event(
        march, details(venue, starts_at=moved_start, ends_at=moved_start + timedelta(hours=2))
    )
    assert march.detached and march.sequence == 1
    services.update_series(series, monthly_plan(venue, starts=time(10, 30)))
    assert to_local(march.starts_at).time() == time(14)
    others = [e for e in series.events if e.id != march.id]
    assert all(to_local(e.starts_at).time() == time(10, 30) for e in others)


def test_cancelling_one_occurrence_keeps_it_in_the_series_as_cancelled():
    series = services.create_series(monthly_plan(make_venue()))
    april = next(e for e in series.events if to_local(e.starts_at).month == 4)
    set_status(april, EventStatus.CANCELLED)
    statuses = [e.status for e in series.events]
    assert statuses.count(EventStatus.CANCELLED) == 1 and len(statuses) == 12


def test_cancelling_the_series_cancels_every_session_still_to_come():
    series = services.create_series(monthly_plan(make_venue()))
    assert services.cancel_series(series) == 12
    assert {e.status for e in series.events} == {EventStatus.CANCELLED}


def test_changing_the_pattern_cancels_dropped_dates_and_keeps_their_rosters():
    venue = make_venue()
    series = services.create_series(monthly_plan(venue))
    first = series.events[0]
    volunteer = make_user()
    sign_up(first, volunteer, by=volunteer)
    services.update_series(series, monthly_plan(venue, until=date(next_year(), 6, 30)))
    active = [e for e in series.events if e.status != EventStatus.CANCELLED]
    assert len(active) == 6
    assert first.signups[0].user_id == volunteer.id


def test_a_series_that_reaches_an_unapproved_date_is_refused_whole():
    venue = make_venue()
    plan = monthly_plan(venue)
    plan.details.venue_id = None
    with pytest.raises(ScheduleProblems) as refused:
        services.create_series(plan)
    assert "venue_id" in refused.value.problems


def test_a_fortnightly_series_stops_after_its_count():
    venue = make_venue()
    pattern = RecurrencePattern(
        frequency=Frequency.FORTNIGHTLY,
        first_day=date(next_year(), 3, 4),
        starts_at=time(11),
        duration=timedelta(hours=1),
        count=6,
    )
    series = services.create_series(services.SeriesPlan(pattern, details(venue)))
    days = [to_local(e.starts_at).date() for e in series.events]
    assert len(days) == 6 and all((b - a).days == 14 for a, b in itertools.pairwise(days))


def test_home_visits_cannot_be_a_series():
    pattern = RecurrencePattern(
        frequency=Frequency.WEEKLY,
        first_day=date(next_year(), 3, 4),
        starts_at=time(11),
        duration=timedelta(hours=1),
        count=3,
    )
    plan = services.SeriesPlan(
        pattern, details(make_venue(), kind=EventKind.HOME_VISIT, area="CM15")
    )
    with pytest.raises(ScheduleProblems):
        services.create_series(plan)


def test_a_single_event_keeps_its_sequence_until_something_a_calendar_shows_changes():
    event = make_event()
    assert event.sequence == 0
    set_status(event, EventStatus.CANCELLED)
    assert event.sequence == 1


def test_a_date_dropped_and_then_brought_back_is_on_again():
    venue = make_venue()
    weekly = RecurrencePattern(
        frequency=Frequency.WEEKLY,
        first_day=date(next_year(), 3, 2),
        starts_at=time(11),
        duration=timedelta(hours=1),
        count=6,
    )
    series = services.create_series(services.SeriesPlan(weekly, details(venue)))
    fortnightly = RecurrencePattern(
        **{**weekly.__dict__, "frequency": Frequency.FORTNIGHTLY, "count": 3}
    )
    services.update_series(series, services.SeriesPlan(fortnightly, details(venue)))
    assert [e.status for e in series.events].count(EventStatus.CANCELLED) == 3
    services.update_series(series, services.SeriesPlan(weekly, details(venue)))
    assert {e.status for e in series.events} == {EventStatus.PLANNED}


def test_a_series_change_cannot_leave_more_volunteers_than_places():
    venue = make_venue()
    series = services.create_series(monthly_plan(venue))
    for _ in range(2):
        volunteer = make_user()
        sign_up(series.events[0], volunteer, by=volunteer)
    smaller = monthly_plan(venue)
    smaller.details.max_volunteers = smaller.details.min_volunteers = 1
    with pytest.raises(ScheduleProblems, match="2 volunteers signed up"):
        services.update_series(series, smaller)
