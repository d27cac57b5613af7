"""Weekend and bank-holiday use: one booking from the last handover before to the first after."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from csp_events.equipment.rules import (
    ItemFacts,
    blocks,
    booking_problems,
    clashes,
    first_handover_from,
    handover_for,
    handover_hours,
    handover_note,
    last_handover_by,
)
from csp_events.equipment.vocabulary import ItemStatus
from csp_events.timezones import LONDON

GUN = ItemFacts(
    status=ItemStatus.AVAILABLE,
    out_of_service_reason="",
    needs_calibration=True,
    calibration_expires_on=date(2028, 12, 31),
    buffer=timedelta(minutes=30),
    max_length=timedelta(hours=24),
    handover_weekdays=frozenset(range(6)),  # Monday to Saturday
    opens=time(8, 30),
    closes=time(17),
    closed_on_bank_holidays=True,
)
EARLY = datetime(2027, 1, 1, tzinfo=UTC)


def uk(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A Europe/London wall time (unambiguous ones only) as UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON).astimezone(UTC)


@pytest.mark.parametrize(
    ("needed_from", "needed_until", "collect", "back"),
    [
        # Saturday morning, inside the hours: untouched.
        (uk(2027, 6, 5, 9), uk(2027, 6, 5, 13), uk(2027, 6, 5, 9), uk(2027, 6, 5, 13)),
        # Ends exactly at closing, starts exactly at opening: still inside.
        (uk(2027, 6, 5, 8, 30), uk(2027, 6, 5, 17), uk(2027, 6, 5, 8, 30), uk(2027, 6, 5, 17)),
        # Saturday evening: collected in the afternoon as asked, returned Monday morning.
        (uk(2027, 6, 5, 16), uk(2027, 6, 5, 18), uk(2027, 6, 5, 16), uk(2027, 6, 7, 8, 30)),
        # A minute past closing is already outside.
        (uk(2027, 6, 5, 15), uk(2027, 6, 5, 17, 1), uk(2027, 6, 5, 15), uk(2027, 6, 7, 8, 30)),
        # Sunday morning Speedwatch: Saturday 17:00 to Monday 08:30.
        (uk(2027, 6, 6, 6, 30), uk(2027, 6, 6, 9, 30), uk(2027, 6, 5, 17), uk(2027, 6, 7, 8, 30)),
        # Early Monday: collected on Saturday, returned at Monday's opening.
        (uk(2027, 6, 7, 7), uk(2027, 6, 7, 8), uk(2027, 6, 5, 17), uk(2027, 6, 7, 8, 30)),
        # Early Friday: collected on Thursday evening, returned as asked.
        (uk(2027, 6, 4, 7), uk(2027, 6, 4, 9), uk(2027, 6, 3, 17), uk(2027, 6, 4, 9)),
        # Sunday before the Spring bank holiday (Mon 31 May 2027): back on Tuesday.
        (uk(2027, 5, 30, 9), uk(2027, 5, 30, 12), uk(2027, 5, 29, 17), uk(2027, 6, 1, 8, 30)),
        # On the bank holiday Monday itself.
        (uk(2027, 5, 31, 10), uk(2027, 5, 31, 12), uk(2027, 5, 29, 17), uk(2027, 6, 1, 8, 30)),
        # Good Friday to Easter Monday 2027 (26 and 29 March) are both bank holidays.
        (uk(2027, 3, 26, 10), uk(2027, 3, 26, 12), uk(2027, 3, 25, 17), uk(2027, 3, 27, 8, 30)),
    ],
)
def test_a_use_outside_the_handover_hours_is_collected_before_and_returned_after(
    needed_from, needed_until, collect, back
):
    handover = handover_for(needed_from, needed_until, GUN)
    assert (handover.collect_at, handover.return_at) == (collect, back)
    assert handover.stretched is ((collect, back) != (needed_from, needed_until))


@pytest.mark.parametrize(
    ("needed_from", "needed_until", "collect_utc", "back_utc"),
    [
        # Clocks go back at 02:00 on Sun 31 Oct 2027: collected at 17:00 BST, back 08:30 GMT.
        (
            uk(2027, 10, 31, 9),
            uk(2027, 10, 31, 11),
            datetime(2027, 10, 30, 16, tzinfo=UTC),
            datetime(2027, 11, 1, 8, 30, tzinfo=UTC),
        ),
        # Clocks go forward at 01:00 on Sun 26 Mar 2028: collected 17:00 GMT, back 08:30 BST.
        (
            uk(2028, 3, 26, 7),
            uk(2028, 3, 26, 9),
            datetime(2028, 3, 25, 17, tzinfo=UTC),
            datetime(2028, 3, 27, 7, 30, tzinfo=UTC),
        ),
        # In 2027 they go forward on Easter Sunday (28 March): Easter Monday is a bank holiday.
        (
            uk(2027, 3, 28, 7),
            uk(2027, 3, 28, 9),
            datetime(2027, 3, 27, 17, tzinfo=UTC),
            datetime(2027, 3, 30, 7, 30, tzinfo=UTC),
        ),
    ],
)
def test_the_handover_keeps_to_the_wall_clock_across_a_clock_change_weekend(
    needed_from, needed_until, collect_utc, back_utc
):
    handover = handover_for(needed_from, needed_until, GUN)
    assert (handover.collect_at, handover.return_at) == (collect_utc, back_utc)


@pytest.mark.parametrize(
    ("other_from", "other_until", "clash"),
    [
        # Monday after a Sunday booking (back 08:30, +30 minutes' handover): 09:00 touches.
        (uk(2027, 6, 7, 9), uk(2027, 6, 7, 11), False),
        (uk(2027, 6, 7, 8, 45), uk(2027, 6, 7, 11), True),
        # Saturday afternoon ending (with its handover) exactly at the Sunday booking's 17:00.
        (uk(2027, 6, 5, 14), uk(2027, 6, 5, 16, 30), False),
        (uk(2027, 6, 5, 14), uk(2027, 6, 5, 16, 31), True),
        # A second Sunday session is also Saturday 17:00 to Monday 08:30: the gun is taken.
        (uk(2027, 6, 6, 14), uk(2027, 6, 6, 16), True),
    ],
)
def test_a_stretched_booking_blocks_its_whole_handover_window_and_no_more(
    other_from, other_until, clash
):
    sunday = handover_for(uk(2027, 6, 6, 9), uk(2027, 6, 6, 12), GUN)
    other = handover_for(other_from, other_until, GUN)
    taken = [blocks(sunday.collect_at, sunday.return_at, GUN.buffer)]
    assert bool(clashes(blocks(other.collect_at, other.return_at, GUN.buffer), taken)) is clash


def test_the_longest_booking_counts_the_time_needed_not_the_weekend_around_it():
    # 4 hours needed on Sunday; the booking runs 39.5 hours, over this item's 24-hour limit.
    assert booking_problems(uk(2027, 6, 6, 9), uk(2027, 6, 6, 13), GUN, EARLY) == {}


def test_calibration_must_last_until_the_real_return_on_monday():
    expires_sunday = ItemFacts(**{**GUN.__dict__, "calibration_expires_on": date(2027, 6, 6)})
    problems = booking_problems(uk(2027, 6, 6, 9), uk(2027, 6, 6, 13), expires_sunday, EARLY)
    assert "calibration expires" in problems["item"]


def test_a_collection_the_weekend_pushed_into_the_past_is_refused_with_its_time():
    saturday_evening = uk(2027, 6, 5, 18)
    problems = booking_problems(uk(2027, 6, 6, 9), uk(2027, 6, 6, 13), GUN, saturday_evening)
    assert problems["start_date"] == (
        "It would have to be collected Sat 5 Jun 17:00, which has already passed."
    )


def test_an_item_never_handed_over_cannot_be_booked():
    never = ItemFacts(**{**GUN.__dict__, "handover_weekdays": frozenset()})
    assert handover_for(uk(2027, 6, 6, 9), uk(2027, 6, 6, 13), never) is None
    assert (
        "cannot be handed over"
        in booking_problems(uk(2027, 6, 6, 9), uk(2027, 6, 6, 13), never, EARLY)["start_time"]
    )


def test_an_item_handed_over_every_day_is_never_stretched():
    always = ItemFacts(
        **{
            **GUN.__dict__,
            "handover_weekdays": frozenset(range(7)),
            "opens": time(0),
            "closes": time(23, 59),
            "closed_on_bank_holidays": False,
        }
    )
    assert not handover_for(uk(2027, 5, 31, 10), uk(2027, 5, 31, 12), always).stretched


@pytest.mark.parametrize(
    "moment", [uk(2027, 6, 5, 8), uk(2027, 6, 6, 12), uk(2027, 5, 31, 23, 59), uk(2027, 3, 28, 3)]
)
def test_collection_is_never_after_and_return_never_before_the_moment(moment):
    assert last_handover_by(moment, GUN) <= moment <= first_handover_from(moment, GUN)


def test_the_handover_hours_read_plainly():
    assert handover_hours(GUN) == "Monday to Saturday between 08:30 and 17:00, not on bank holidays"
    handover = handover_for(uk(2027, 6, 6, 9), uk(2027, 6, 6, 13), GUN)
    assert handover_note(handover, GUN) == (
        "It is handed over only Monday to Saturday between 08:30 and 17:00, not on bank "
        "holidays, so it is collected Sat 5 Jun 17:00 and returned Mon 7 Jun 08:30."
    )
