"""Rotas from plain values: the days asked for, who shows, and the CSV with or without phones."""

from datetime import UTC, date, datetime

import pytest

from csp_events.events.vocabulary import EventKind
from csp_events.rotas.rules import (
    RotaLine,
    RotaPeriodProblem,
    RotaPerson,
    month_periods,
    roster_csv,
    roster_people,
    rota_csv,
    rota_period,
    visible_kinds,
)
from csp_events.signups.vocabulary import SignupStatus

TODAY = date(2026, 12, 3)


def test_with_no_days_given_the_rota_covers_the_next_four_weeks():
    assert rota_period(None, None, TODAY) == (TODAY, date(2026, 12, 30))


@pytest.mark.parametrize(
    ("first", "last", "ok"),
    [
        (date(2027, 1, 1), date(2027, 1, 1), True),  # one day
        (date(2027, 1, 1), date(2027, 12, 31), True),  # 365 days
        (date(2028, 1, 1), date(2028, 12, 31), True),  # 366 days in a leap year
        (date(2027, 1, 1), date(2028, 1, 1), True),  # 366 days
        (date(2027, 1, 1), date(2028, 1, 2), False),  # a day more
        (date(2027, 1, 2), date(2027, 1, 1), False),  # ends before it starts
        (date(2027, 1, 1), None, False),
        (None, date(2027, 1, 1), False),
    ],
)
def test_a_rota_period_is_both_days_in_order_and_at_most_a_year(first, last, ok):
    if ok:
        assert rota_period(first, last, TODAY) == (first, last)
    else:
        with pytest.raises(RotaPeriodProblem):
            rota_period(first, last, TODAY)


def test_next_months_rota_in_december_is_januarys():
    assert month_periods(TODAY) == [
        ("December 2026", date(2026, 12, 1), date(2026, 12, 31)),
        ("January 2027", date(2027, 1, 1), date(2027, 1, 31)),
    ]
    assert month_periods(date(2027, 1, 31))[1] == (
        "February 2027",
        date(2027, 2, 1),
        date(2027, 2, 28),
    )


def test_only_the_coordinator_sees_who_goes_on_home_visits():
    assert EventKind.HOME_VISIT in visible_kinds(True)
    assert EventKind.HOME_VISIT not in visible_kinds(False)
    assert EventKind.OTHER_ENGAGEMENT in visible_kinds(False)


LINE = RotaLine(
    event_id=1,
    starts_at=datetime(2027, 6, 5, 9, tzinfo=UTC),  # 10:00 BST
    ends_at=datetime(2027, 6, 5, 10, 30, tzinfo=UTC),
    title="=Speedwatch – Wash Road",
    kind=EventKind.SPEEDWATCH,
    place="Wash Road (Hutton)",
    people=[RotaPerson("Margaret Hughes", "07700 900123"), RotaPerson("Raj Patel", "")],
    min_volunteers=3,
)
EMPTY = RotaLine(
    event_id=2,
    starts_at=datetime(2027, 1, 9, 10, tzinfo=UTC),  # 10:00 GMT
    ends_at=datetime(2027, 1, 9, 12, tzinfo=UTC),
    title="NHW surgery",
    kind=EventKind.SURGERY,
    place="Brentwood Library",
)


def test_the_rota_csv_has_one_row_per_volunteer_and_phones_only_when_asked():
    with_phones = rota_csv([LINE, EMPTY], with_phones=True).splitlines()
    assert with_phones[0] == "date,start,end,session,kind,place,volunteer,phone"
    assert with_phones[1] == (
        "2027-06-05,10:00,11:30,'=Speedwatch – Wash Road,Community Speedwatch session,"
        "Wash Road (Hutton),Margaret Hughes,07700 900123"
    )
    assert with_phones[3].endswith(
        "10:00,12:00,NHW surgery,Neighbourhood Watch surgery,Brentwood Library,"
        "Nobody signed up yet,"
    )
    without = rota_csv([LINE], with_phones=False)
    assert "phone" not in without and "07700" not in without


def test_a_line_knows_how_many_more_it_needs():
    assert LINE.short_by == 1 and EMPTY.short_by == 0


def test_the_roster_lists_the_confirmed_then_the_waiting_list_numbered_in_order():
    people = roster_people(
        [
            ("Ann", "1", "ann@example.org", SignupStatus.WAITLISTED),
            ("Bob", "2", "bob@example.org", SignupStatus.CONFIRMED),
            ("Cat", "3", "cat@example.org", SignupStatus.WITHDRAWN),
            ("Dee", "4", "dee@example.org", SignupStatus.WAITLISTED),
        ]
    )
    assert [(p.name, p.position) for p in people] == [("Bob", None), ("Ann", 1), ("Dee", 2)]
    lines = roster_csv(people).splitlines()
    assert lines[0] == "name,status,waiting list position,phone,email"
    assert lines[2] == "Ann,On the waiting list,1,1,ann@example.org"
