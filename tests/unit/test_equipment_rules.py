"""Booking rules for shared equipment, without an app."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from csp_events.equipment.rules import (
    ItemFacts,
    Slot,
    bank_holiday,
    blocks,
    booker_problem,
    booking_problems,
    calibration_problem,
    clashes,
    is_overdue,
    nearest_free_slots,
)
from csp_events.equipment.vocabulary import ItemStatus
from csp_events.people.vocabulary import QualificationKind

NOW = datetime(2027, 6, 1, 8, tzinfo=UTC)
GUN = ItemFacts(
    status=ItemStatus.AVAILABLE,
    out_of_service_reason="",
    needs_calibration=True,
    calibration_expires_on=date(2027, 12, 31),
    buffer=timedelta(minutes=30),
    max_length=timedelta(hours=72),
    handover_weekdays=frozenset(range(6)),  # Monday to Saturday
    opens=time(8, 30),
    closes=time(17),
    closed_on_bank_holidays=True,
)


def bst(day: int, hour: int, minute: int = 0, month: int = 6) -> datetime:
    """A June 2027 local (BST) time as UTC."""
    return datetime(2027, month, day, hour - 1, minute, tzinfo=UTC)


def test_a_saturday_morning_booking_inside_opening_hours_is_fine():
    assert booking_problems(bst(5, 9), bst(5, 13), GUN, NOW) == {}  # Sat 5 June 2027


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (bst(4, 12), bst(4, 10), "end_date"),  # return before collection
        (bst(1, 9), bst(5, 10), "end_date"),  # longer than 72 hours
    ],
)
def test_bookings_outside_the_rules_are_refused_on_the_right_field(start, end, field):
    assert field in booking_problems(start, end, GUN, NOW)


def test_a_booking_in_the_past_is_refused():
    assert "start_date" in booking_problems(bst(1, 9), bst(1, 10), GUN, bst(2, 9))


def test_an_out_of_service_item_cannot_be_booked_and_the_reason_is_given():
    broken = ItemFacts(
        **{
            **GUN.__dict__,
            "status": ItemStatus.OUT_OF_SERVICE,
            "out_of_service_reason": "cracked lens",
        }
    )
    assert "cracked lens" in booking_problems(bst(4, 9), bst(4, 12), broken, NOW)["item"]


@pytest.mark.parametrize(
    ("expires", "ok"), [(date(2027, 6, 4), True), (date(2027, 6, 3), False), (None, False)]
)
def test_a_speed_gun_must_stay_in_calibration_until_it_is_returned(expires, ok):
    assert (calibration_problem(expires, bst(4, 12)) is None) is ok


def test_englands_bank_holidays_are_known():
    assert bank_holiday(date(2027, 5, 31)) == "Spring Bank Holiday"
    assert bank_holiday(date(2027, 6, 1)) is None


@pytest.mark.parametrize(
    ("other_start", "other_end", "clash"),
    [
        (bst(4, 12, 30), bst(4, 14), False),  # starts exactly when the buffer ends
        (bst(4, 12, 15), bst(4, 14), True),  # inside the 30-minute handover
        (bst(4, 7), bst(4, 10), True),  # its own handover runs into ours
        (bst(4, 7), bst(4, 9, 30), False),  # its handover ends as ours starts
    ],
)
def test_the_handover_buffer_keeps_bookings_apart(other_start, other_end, clash):
    buffer = timedelta(minutes=30)
    ours = blocks(bst(4, 10), bst(4, 12), buffer)
    assert bool(clashes(ours, [blocks(other_start, other_end, buffer)])) is clash


def test_the_nearest_free_slots_are_offered_earliest_first():
    taken = [blocks(bst(4, 9), bst(4, 13), timedelta(minutes=30))]
    wanted = Slot(bst(4, 10), bst(4, 12))

    def free(slot):
        return not booking_problems(slot.starts_at, slot.ends_at, GUN, NOW) and not clashes(
            blocks(slot.starts_at, slot.ends_at, GUN.buffer), taken
        )

    slots = nearest_free_slots(wanted, free)
    assert len(slots) == 3 and slots == sorted(slots, key=lambda s: s.starts_at)
    assert all(free(s) for s in slots)
    assert all(s.ends_at - s.starts_at == timedelta(hours=2) for s in slots)


def test_volunteers_need_the_items_qualification_and_the_coordinator_does_not():
    needs = QualificationKind.SPEEDWATCH
    assert booker_problem(True, False, needs, {}, date(2027, 6, 4)) is None
    assert "Only the coordinator" in booker_problem(False, False, None, {}, date(2027, 6, 4))
    assert "Speedwatch" in booker_problem(False, True, needs, {}, date(2027, 6, 4))
    assert booker_problem(False, True, needs, {needs: date(2027, 6, 4)}, date(2027, 6, 4)) is None


def test_a_return_is_overdue_only_while_the_item_is_still_out():
    assert is_overdue(bst(4, 12), None, bst(4, 13))
    assert not is_overdue(bst(4, 12), bst(4, 12, 30), bst(4, 13))


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "field"),
    [
        (datetime(2030, 6, 3, 9, tzinfo=UTC), datetime(2030, 6, 3, 12, tzinfo=UTC), "start_date"),
        (
            NOW + timedelta(days=3 * 365, hours=-2),
            NOW + timedelta(days=3 * 365, hours=1),
            "end_date",
        ),
        (
            datetime(9999, 12, 31, 9, tzinfo=UTC),
            datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
            "start_date",
        ),
    ],
    ids=["a few days past 3 years", "returned just past 3 years", "the last day datetime holds"],
)
def test_a_booking_more_than_three_years_ahead_is_refused(starts_at, ends_at, field):
    problems = booking_problems(starts_at, ends_at, GUN, NOW)
    assert problems == {field: "Bookings can be made at most 3 years ahead."}


def test_a_booking_just_within_three_years_is_not_refused_for_its_date():
    start = NOW + timedelta(days=3 * 365, hours=-3)
    problems = booking_problems(start, start + timedelta(hours=2), GUN, NOW)
    assert "at most 3 years ahead" not in str(problems)
