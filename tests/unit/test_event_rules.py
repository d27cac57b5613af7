"""What may be scheduled: times, places, Speedwatch sites and daylight."""

from datetime import UTC, date, datetime, timedelta

import pytest

from csp_events.events.rules import EventDraft, SiteFacts, confirmation_problem, schedule_problems
from csp_events.events.vocabulary import EventKind
from csp_events.places.vocabulary import ApprovalStatus

NOW = datetime(2027, 1, 5, 9, tzinfo=UTC)
APPROVED = SiteFacts(ApprovalStatus.APPROVED, date(2027, 12, 31), 51.6278, 0.3465)


def draft(**changes) -> EventDraft:
    values = {
        "kind": EventKind.POP_UP,
        "starts_at": datetime(2027, 6, 15, 10, tzinfo=UTC),
        "ends_at": datetime(2027, 6, 15, 12, tzinfo=UTC),
        "min_volunteers": 1,
        "max_volunteers": 3,
        "has_venue": True,
        "site": None,
    }
    return EventDraft(**{**values, **changes})


def test_a_sensible_event_has_no_problems():
    assert schedule_problems(draft(), NOW) == {}


@pytest.mark.parametrize("hours", [0, -1])
def test_the_end_must_be_after_the_start(hours):
    start = datetime(2027, 6, 15, 10, tzinfo=UTC)
    problems = schedule_problems(
        draft(starts_at=start, ends_at=start + timedelta(hours=hours)), NOW
    )
    assert "end_time" in problems


def test_an_event_cannot_last_more_than_twelve_hours():
    start = datetime(2027, 6, 15, 6, tzinfo=UTC)
    assert "end_time" in schedule_problems(
        draft(starts_at=start, ends_at=start + timedelta(hours=13)), NOW
    )


@pytest.mark.parametrize("years", [4, -3])
def test_absurdly_distant_dates_are_refused(years):
    start = NOW + timedelta(days=365 * years)
    assert "start_date" in schedule_problems(
        draft(starts_at=start, ends_at=start + timedelta(hours=1)), NOW
    )


def test_the_most_volunteers_cannot_be_below_the_fewest():
    assert "max_volunteers" in schedule_problems(draft(min_volunteers=4, max_volunteers=2), NOW)


def test_engagement_events_need_a_venue_and_home_visits_an_area():
    assert "venue_id" in schedule_problems(draft(has_venue=False), NOW)
    assert "area" in schedule_problems(draft(kind=EventKind.HOME_VISIT, has_venue=False), NOW)
    assert (
        schedule_problems(draft(kind=EventKind.HOME_VISIT, has_venue=False, area="CM15"), NOW) == {}
    )


@pytest.mark.parametrize(
    ("site", "allowed"),
    [
        (APPROVED, True),
        (SiteFacts(ApprovalStatus.PENDING, date(2027, 12, 31), None, None), False),
        (SiteFacts(ApprovalStatus.WITHDRAWN, date(2027, 12, 31), None, None), False),
        (
            SiteFacts(ApprovalStatus.APPROVED, date(2027, 6, 14), None, None),
            False,
        ),  # expired the day before
        (
            SiteFacts(ApprovalStatus.APPROVED, date(2027, 6, 15), None, None),
            True,
        ),  # last day of approval
        (None, False),
    ],
)
def test_speedwatch_needs_a_site_approved_on_the_day(site, allowed):
    problems = schedule_problems(draft(kind=EventKind.SPEEDWATCH, has_venue=False, site=site), NOW)
    assert (problems == {}) is allowed


@pytest.mark.parametrize(("start_hour_utc", "allowed"), [(12, True), (16, False), (7, False)])
def test_speedwatch_in_december_only_in_daylight(start_hour_utc, allowed):
    start = datetime(2027, 12, 10, start_hour_utc, tzinfo=UTC)
    site = SiteFacts(
        ApprovalStatus.APPROVED, date(2028, 1, 31), None, None
    )  # falls back to Brentwood
    problems = schedule_problems(
        draft(
            kind=EventKind.SPEEDWATCH,
            has_venue=False,
            site=site,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        ),
        NOW,
    )
    assert (problems == {}) is allowed
    if not allowed:
        assert "daylight" in problems["start_time"]


@pytest.mark.parametrize(("qualified", "allowed"), [(2, False), (3, True), (5, True)])
def test_speedwatch_needs_three_qualified_volunteers_to_be_confirmed(qualified, allowed):
    assert (confirmation_problem(EventKind.SPEEDWATCH, qualified) is None) is allowed


def test_other_events_can_be_confirmed_with_any_team():
    assert confirmation_problem(EventKind.SURGERY, 0) is None
