"""Partner returns built from plain values: UK times, blanks for what was not recorded."""

from datetime import UTC, date, datetime

from csp_events.engagement.vocabulary import Weather
from csp_events.events.vocabulary import EventKind
from csp_events.reports.figures import Figures, KindFigures, SiteFigures
from csp_events.reports.returns import (
    LOG_HEADER,
    SpeedwatchLogEntry,
    log_row,
    quarterly_rows,
    speedwatch_log_csv,
)
from csp_events.reports.rules import Period, quarter, recent_periods


def entry(**fields) -> SpeedwatchLogEntry:
    values = {
        "starts_at": datetime(2026, 7, 4, 9, tzinfo=UTC),  # 10:00 BST
        "ends_at": datetime(2026, 7, 4, 10, 30, tzinfo=UTC),
        "site": "Wash Road (Hutton)",
        "speed_limit": 30,
        "volunteers": 3,
        "vehicles_checked": 212,
        "vehicles_over": 19,
        "threshold_mph": 35,
        "highest_speed_mph": 47,
        "weather": Weather.DRY,
    }
    return SpeedwatchLogEntry(**{**values, **fields})


def test_a_session_is_logged_on_its_uk_date_and_times():
    assert log_row(entry()) == [
        "2026-07-04", "Wash Road (Hutton)", 30, "10:00", "11:30",
        3, 212, 19, 35, 47, "Dry and bright",
    ]  # fmt: skip


def test_a_winter_session_after_midnight_utc_keeps_its_gmt_times():
    row = log_row(
        entry(
            starts_at=datetime(2026, 1, 10, 9, tzinfo=UTC),
            ends_at=datetime(2026, 1, 10, 10, 30, tzinfo=UTC),
        )
    )
    assert row[:5] == ["2026-01-10", "Wash Road (Hutton)", 30, "09:00", "10:30"]


def test_counts_not_yet_recorded_are_blank_not_zero():
    empty = entry(
        volunteers=None,
        vehicles_checked=None,
        vehicles_over=None,
        threshold_mph=None,
        highest_speed_mph=None,
        weather=None,
    )
    assert log_row(empty)[5:] == ["", "", "", "", "", ""]


def test_the_log_has_no_column_for_notes_or_registration_numbers():
    assert not {"notes", "registration", "vrm"} & {h.split()[0] for h in LOG_HEADER}
    assert speedwatch_log_csv([]).splitlines() == [",".join(LOG_HEADER)]


def _figures(period: Period, speedwatch: int, checked: int) -> Figures:
    kinds = [
        KindFigures(k, [speedwatch if k == EventKind.SPEEDWATCH else 0], [0]) for k in EventKind
    ]
    sites = (
        [SiteFigures("Wash Road", 30, speedwatch, speedwatch, checked, 1, 40)] if speedwatch else []
    )
    return Figures(period=period, slices=[period], kinds=kinds, sites=sites)


def test_the_quarterly_table_gives_each_quarter_and_the_year_its_own_column():
    quarters = [_figures(quarter(2026, n), n % 2, 100 * (n % 2)) for n in range(1, 5)]
    year = _figures(Period(date(2026, 4, 1), date(2027, 3, 31), "Financial year 2026/27"), 2, 200)
    table = {row[0]: row[1:] for row in quarterly_rows(quarters, year)}
    assert table["Speedwatch sessions"] == [1, 0, 1, 0, 2]
    assert table["vehicles checked"] == [100, 0, 100, 0, 200]
    assert table["highest speed (mph)"] == [40, "", 40, "", 40]
    assert (
        table["events: Other engagement (community days, stands, meetings, trainings)"] == [0] * 5
    )


def test_the_recent_periods_step_back_over_the_new_year():
    labels = [args for _, args in recent_periods(date(2026, 4, 2))]
    assert labels == [
        {"year": 2026, "quarter": 1},
        {"year": 2025, "quarter": 4},
        {"year": 2026},
        {"year": 2025},
    ]
