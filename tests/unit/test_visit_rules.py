"""Home-visit rules: who sees a resident, the referral's steps, pairs, lone working, retention."""

from datetime import UTC, datetime, timedelta

import pytest

from csp_events.auth.roles import Role
from csp_events.referrals.rules import (
    DetailsWindow,
    ResidentAccess,
    Viewer,
    can_edit_resident,
    can_export_resident,
    can_view_resident,
    is_due_for_purge,
    may_move,
    reference_identifies_the_resident,
    resident_access,
)
from csp_events.referrals.vocabulary import ReferralStatus as S
from csp_events.visits.rules import (
    SafetyFacts,
    VisitFacts,
    check_out_problem,
    is_overdue_to_leave,
    pair_problems,
)

START = datetime(2027, 3, 10, 10, 0, tzinfo=UTC)
END = START + timedelta(hours=1)
WINDOW = DetailsWindow(before=timedelta(hours=12), after=timedelta(hours=4))
REFERRER, ASSIGNED, OTHER = 7, 21, 22
VISIT = VisitFacts(START, END, cancelled=False, volunteer_ids=frozenset({ASSIGNED, 23}))


def access(role, user_id, now=START, visits=(VISIT,)):
    return resident_access(Viewer(user_id, role), REFERRER, visits, now, WINDOW)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (START - timedelta(hours=12, seconds=1), ResidentAccess.NONE),
        (START - timedelta(hours=12), ResidentAccess.VISIT),
        (START, ResidentAccess.VISIT),
        (END + timedelta(hours=4), ResidentAccess.VISIT),
        (END + timedelta(hours=4, seconds=1), ResidentAccess.NONE),
    ],
)
def test_an_assigned_volunteer_sees_the_resident_only_inside_the_window(now, expected):
    assert access(Role.VOLUNTEER, ASSIGNED, now) == expected


def test_a_volunteer_not_on_the_visit_never_sees_the_resident():
    assert access(Role.VOLUNTEER, OTHER) == ResidentAccess.NONE


def test_a_cancelled_visit_opens_no_window():
    cancelled = VisitFacts(START, END, cancelled=True, volunteer_ids=frozenset({ASSIGNED}))
    assert access(Role.VOLUNTEER, ASSIGNED, visits=(cancelled,)) == ResidentAccess.NONE


def test_the_coordinator_always_sees_everything_and_may_edit_and_export():
    seen = access(Role.COORDINATOR, 1, START + timedelta(days=400))
    assert seen == ResidentAccess.FULL
    assert can_view_resident(seen) and can_edit_resident(seen) and can_export_resident(seen)


def test_the_referring_partner_sees_only_the_status_and_other_partners_nothing():
    assert access(Role.PARTNER, REFERRER) == ResidentAccess.STATUS
    assert not can_view_resident(ResidentAccess.STATUS)
    assert access(Role.PARTNER, 99) == ResidentAccess.NONE


def test_a_visiting_volunteer_may_view_but_not_edit_or_export():
    assert can_view_resident(ResidentAccess.VISIT)
    assert not can_edit_resident(ResidentAccess.VISIT)
    assert not can_export_resident(ResidentAccess.VISIT)


def test_nobody_signed_out_sees_anything():
    assert resident_access(None, REFERRER, [VISIT], START, WINDOW) == ResidentAccess.NONE


@pytest.mark.parametrize(
    ("current", "to", "allowed"),
    [
        (S.REFERRED, S.CONTACTED, True),
        (S.REFERRED, S.UNABLE_TO_CONTACT, True),
        (S.REFERRED, S.VISITED, False),  # only by recording a visit's outcome
        (S.REFERRED, S.VISIT_SCHEDULED, False),  # only by arranging a visit
        (S.VISITED, S.CLOSED, True),
        (S.CLOSED, S.CONTACTED, False),
        (S.DECLINED, S.CONTACTED, False),
        (S.UNABLE_TO_CONTACT, S.CONTACTED, True),
    ],
)
def test_a_referral_moves_only_along_its_workflow(current, to, allowed):
    assert may_move(current, to) is allowed


def test_a_visit_needs_two_different_volunteers_both_qualified():
    assert pair_problems([5, None], {}) == [
        "Choose two volunteers: home visits are never made alone."
    ]
    assert pair_problems([5, 5], {}) == ["Choose two different volunteers."]
    assert pair_problems([5, 6], {6: "Bob: needs DBS"}) == ["Bob: needs DBS"]
    assert pair_problems([5, 6], {}) == []


GRACE = timedelta(minutes=30)


def test_a_visit_is_overdue_once_the_grace_period_passes_without_both_leaving_safely():
    one_left = [SafetyFacts(ASSIGNED, START, END), SafetyFacts(23, START, None)]
    both_left = [SafetyFacts(ASSIGNED, START, END), SafetyFacts(23, START, END)]
    assert not is_overdue_to_leave(VISIT, one_left, END + GRACE, GRACE)
    assert is_overdue_to_leave(VISIT, one_left, END + GRACE + timedelta(seconds=1), GRACE)
    assert is_overdue_to_leave(VISIT, [], END + timedelta(hours=2), GRACE)
    assert not is_overdue_to_leave(VISIT, both_left, END + timedelta(hours=2), GRACE)


def test_resident_details_are_purged_only_after_the_retention_period_of_a_closed_referral():
    keep = timedelta(days=365)
    closed = START
    assert not is_due_for_purge(S.CLOSED, closed, closed + keep - timedelta(seconds=1), keep)
    assert is_due_for_purge(S.CLOSED, closed, closed + keep, keep)
    assert is_due_for_purge(S.DECLINED, closed, closed + keep, keep)
    assert not is_due_for_purge(S.VISITED, closed, closed + keep * 3, keep)


@pytest.mark.parametrize(
    ("reference", "identifies"),
    [
        ("CAD 4471/24", False),
        ("", False),
        ("Mrs Hughes", True),
        ("hughes cad 12", True),
        ("CM15 8QZ visit", True),
        ("cm158qz", True),
        ("tel 07700 900 123", True),
        ("CM15", False),  # the district alone is what every list shows anyway
        ("Ed 4471", False),  # a two-letter word is too common to be her name
    ],
)
def test_a_referrers_reference_may_not_carry_who_the_resident_is(reference, identifies):
    assert (
        reference_identifies_the_resident(
            reference, name="Ed Margaret Hughes", postcode="CM15 8QZ", phone="07700 900123"
        )
        is identifies
    )


@pytest.mark.parametrize(
    ("now", "arrived", "left", "by_coordinator", "refused"),
    [
        (START - timedelta(minutes=1), START - timedelta(minutes=30), None, False, "begun"),
        (START - timedelta(minutes=1), None, None, True, "begun"),
        (START, START - timedelta(minutes=30), None, False, None),
        (START + timedelta(minutes=5), None, None, False, "arrived first"),
        (END + timedelta(hours=1), None, None, True, None),
        (END, START, START + timedelta(minutes=40), False, "already recorded"),
        (END, START, START + timedelta(minutes=40), True, "already recorded"),
    ],
    ids=[
        "volunteer before the start",
        "coordinator before the start",
        "volunteer at the start",
        "volunteer who never arrived",
        "coordinator for one who forgot both",
        "volunteer again",
        "coordinator over a volunteer's own",
    ],
)
def test_leaving_safely_comes_after_the_start_and_is_never_rewritten(
    now, arrived, left, by_coordinator, refused
):
    problem = check_out_problem(VISIT, now, arrived, left, by_coordinator=by_coordinator)
    assert (problem is None) if refused is None else (refused in problem)
