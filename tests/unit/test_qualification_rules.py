"""Which sessions need which qualifications, in date on the session's day."""

from datetime import date

import pytest

from csp_events.events.rules import missing_qualifications
from csp_events.events.vocabulary import EventKind
from csp_events.people.rules import describe_missing, is_expiring_soon
from csp_events.people.vocabulary import QualificationKind as Q

DAY = date(2027, 5, 12)


@pytest.mark.parametrize(
    ("expires_on", "valid"),
    [(date(2027, 5, 11), False), (date(2027, 5, 12), True), (date(2027, 5, 13), True)],
)
def test_speedwatch_training_must_be_in_date_on_the_day_of_the_session(expires_on, valid):
    missing = missing_qualifications(EventKind.SPEEDWATCH, DAY, {Q.SPEEDWATCH: expires_on})
    assert (missing == []) is valid


def test_home_visits_need_both_home_visit_training_and_a_dbs_check():
    in_date = date(2028, 1, 1)
    assert missing_qualifications(EventKind.HOME_VISIT, DAY, {Q.HOME_VISIT: in_date}) == [Q.DBS]
    assert (
        missing_qualifications(EventKind.HOME_VISIT, DAY, {Q.HOME_VISIT: in_date, Q.DBS: in_date})
        == []
    )


@pytest.mark.parametrize("kind", [EventKind.SURGERY, EventKind.ROADSHOW, EventKind.POP_UP])
def test_engagement_events_need_no_qualification(kind):
    assert missing_qualifications(kind, DAY, {}) == []


def test_the_refusal_names_the_missing_qualification_and_the_date():
    message = describe_missing([Q.SPEEDWATCH], DAY)
    assert "Community Speedwatch training" in message and "12 May 2027" in message


@pytest.mark.parametrize(
    ("expires_on", "soon"),
    [(date(2027, 6, 11), True), (date(2027, 6, 12), False), (date(2027, 5, 1), True)],
)
def test_qualifications_expiring_within_30_days_are_flagged(expires_on, soon):
    assert is_expiring_soon(expires_on, today=date(2027, 5, 12)) is soon
