"""A site's police approval ending soon is flagged before any session is affected."""

from datetime import date, timedelta

import pytest

from csp_events.places.rules import approval_ending_soon
from csp_events.places.vocabulary import ApprovalStatus

TODAY = date(2027, 6, 1)


@pytest.mark.parametrize(
    ("status", "days_left", "flagged"),
    [
        (ApprovalStatus.APPROVED, 31, False),
        (ApprovalStatus.APPROVED, 30, True),
        (ApprovalStatus.APPROVED, 0, True),
        (ApprovalStatus.APPROVED, -3, True),  # ended: still needs renewing
        (ApprovalStatus.PENDING, 10, False),  # waiting for the police anyway
        (ApprovalStatus.WITHDRAWN, 10, False),
    ],
)
def test_an_approval_ending_within_30_days_is_flagged(status, days_left, flagged):
    assert approval_ending_soon(status, TODAY + timedelta(days=days_left), TODAY) is flagged


def test_an_approval_without_an_end_date_is_not_flagged():
    assert not approval_ending_soon(ApprovalStatus.APPROVED, None, TODAY)
