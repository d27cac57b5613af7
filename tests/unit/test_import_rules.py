"""The spreadsheet import: a clean file is accepted, and each kind of bad row is rejected
with its line number and a reason, before anything is written."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from csp_events.events.vocabulary import EventKind, Theme
from csp_events.imports.rules import (
    Lookups,
    check_file,
    comparable_words,
    date_range,
    decode,
    line_with_a_number_plate,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "static" / "examples" / "past-activity.csv"
HEADER = (
    "date,kind,title,theme,venue,people_engaged,items_handed_out,"
    "vehicles_checked,vehicles_over_threshold,highest_speed\n"
)
GOOD = (
    "12/05/2025,pop-up,Rogue Traders pop-up,Rogue traders,Bay Tree Centre,40,Purse bells: 15,,,\n"
)
LOOKUPS = Lookups(
    venues={
        comparable_words(n): i
        for i, n in enumerate(
            [
                "Bay Tree Centre",
                "Brentwood Library",
                "Brentwood High Street",
                "Union Church",
                "Brentwood County High School",
            ],
            start=1,
        )
    },
    sites={"wash road": (1, 30), "ongar road": (2, 30), "hutton road": (3, 30)},
    items={
        comparable_words(n): (i, n)
        for i, n in enumerate(
            [
                "Purse bells",
                "Leaflets and booklets",
                "ID magnifiers",
                "Purse cables",
                "Key-ring torches",
                "Timer switches",
                "Window alarms",
                "Property marker pens",
                "Personal alarms",
            ],
            start=1,
        )
    },
    existing=frozenset({(date(2025, 6, 2), EventKind.SURGERY, "nhw surgery")}),
    today=date(2026, 11, 24),
)


def check(*rows: str, header: str = HEADER):
    return check_file(header + "".join(rows), LOOKUPS)


def test_the_example_file_in_the_readme_is_accepted_row_by_row():
    result = check_file(decode(EXAMPLE.read_bytes()), LOOKUPS)
    assert result.rejected == [] and result.file_problem is None
    assert len(result.rows) == 15 and result.can_import
    assert sum(r.people_engaged for r in result.rows) == 600
    assert sum(sum(r.items.values()) for r in result.rows) == 521
    assert [r.kind for r in result.rows].count(EventKind.OTHER_ENGAGEMENT) == 2
    assert sum(r.vehicles_checked or 0 for r in result.rows) == 613


def test_a_clean_row_becomes_an_event_at_the_uk_times_given():
    result = check(GOOD)
    (row,) = result.rows
    assert row.line == 2 and row.kind == EventKind.POP_UP and row.theme == Theme.ROGUE_TRADERS
    assert row.starts_at == datetime(2025, 5, 12, 9, tzinfo=UTC)  # 10:00 BST, the default start
    assert row.venue_id == 1 and row.items == {1: 15} and row.people_engaged == 40


def test_excel_byte_order_marks_and_windows_encoding_are_read():
    assert decode("\ufeffdate".encode()) == "date"
    assert decode("café".encode("cp1252")) == "café"


BAD_ROWS = [
    ("31/02/2025,pop-up,T,,Bay Tree Centre,4,,,,", "is not a date"),
    ("12/05/2030,pop-up,T,,Bay Tree Centre,4,,,,", "in the future"),
    ("12/05/2025,party,T,,Bay Tree Centre,4,,,,", "kind ‘party’"),
    ("12/05/2025,pop-up,,,Bay Tree Centre,4,,,,", "title is empty"),
    ("12/05/2025,pop-up,T,Mayhem,Bay Tree Centre,4,,,,", "theme ‘Mayhem’"),
    ("12/05/2025,pop-up,T,,The Moon,4,,,,", "venue ‘The Moon’ is not in the app"),
    ("12/05/2025,pop-up,T,,Bay Tree Centre,lots,,,,", "is not a whole number"),
    ("12/05/2025,pop-up,T,,Bay Tree Centre,,,,,", "people_engaged is empty"),
    (
        "12/05/2025,pop-up,T,,Bay Tree Centre,4,Gold bars: 3,,,",
        "item ‘Gold bars’ is not in the stock",
    ),
    ("12/05/2025,pop-up,T,,Bay Tree Centre,4,Purse bells,,,", "is not like ‘Purse bells: 15’"),
    ("12/05/2025,pop-up,T,,Bay Tree Centre,4,,100,3,40", "not Speedwatch"),
    ("12/05/2025,speedwatch,S,,Wash Road,0,,100,120,40", "cannot be more than"),
    ("12/05/2025,speedwatch,S,,Wash Road,0,,,,", "how many vehicles were checked"),
    ("12/05/2025,speedwatch,S,,Lunar Way,0,,10,0,30", "Speedwatch site ‘Lunar Way’"),
    ("12/05/2025,pop-up,T,,Bay Tree Centre,4,,,,,extra", "has 11 cells"),
    ("02/06/2025,surgery,NHW surgery,,Brentwood Library,4,,,,", "already in the app"),
    ("12/05/2025,pop-up,Nul\x00title,,Bay Tree Centre,4,,,,", "control characters"),
    ("12/05/2025,pop-up,T\x1b[31m,,Bay Tree Centre,4,,,,", "control characters"),
]


@pytest.mark.parametrize(("row", "reason"), BAD_ROWS, ids=[r[1] for r in BAD_ROWS])
def test_each_kind_of_bad_row_is_rejected_with_its_line_number(row, reason):
    result = check(GOOD, row + "\n", GOOD.replace("Rogue Traders pop-up", "Scams pop-up"))
    assert [r.line for r in result.rejected] == [3]
    assert reason in " ".join(result.rejected[0].reasons)
    assert [r.line for r in result.rows] == [2, 4]
    assert not result.can_import


def test_a_row_repeated_in_the_file_names_the_first_one():
    result = check(GOOD, "\n", GOOD)
    assert [(r.line, r.reasons) for r in result.rejected] == [
        (4, ["repeats line 2 (same date, kind and title)"])
    ]


def test_registration_numbers_in_notes_are_refused():
    result = check_file(
        "date,kind,title,venue,people_engaged,notes\n"
        "12/05/2025,pop-up,T,Bay Tree Centre,4,Saw AB12 CDE speeding\n",
        LOOKUPS,
    )
    assert "registration number" in result.rejected[0].reasons[0]


def test_a_quoted_cell_over_two_lines_keeps_the_next_rows_line_numbers_right():
    result = check_file(
        "date,kind,title,venue,people_engaged,notes\n"
        '12/05/2025,pop-up,T,Bay Tree Centre,4,"two\nlines"\n'
        "13/05/2025,pop-up,T,Nowhere,4,\n",
        LOOKUPS,
    )
    assert [r.line for r in result.rows] == [2]
    assert [r.line for r in result.rejected] == [4]


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("", "empty"),
        ("date,kind,title,colour,people_engaged\n", "does not know: colour"),
        ("date,kind,title\n", "missing the required columns: people_engaged"),
        ("date,kind,title,people_engaged,date\n", "names a column twice: date"),
    ],
)
def test_a_bad_header_rejects_the_whole_file(header, problem):
    result = check_file(header, LOOKUPS)
    assert problem in result.file_problem and not result.can_import


def test_a_header_alone_has_nothing_to_import():
    assert "no rows" in check().file_problem


def test_headers_are_read_whatever_their_case_or_spacing():
    result = check_file(
        "Date,Kind,Title,Venue,People engaged\n12/05/2025,Pop-up,T,Bay Tree Centre,4\n", LOOKUPS
    )
    assert len(result.rows) == 1


def test_the_date_range_of_a_file_is_found_for_the_duplicate_check():
    assert date_range(HEADER + GOOD + GOOD.replace("12/05", "01/04")) == (
        date(2025, 4, 1),
        date(2025, 5, 12),
    )


def test_a_file_saved_with_semicolons_is_told_how_to_save_it():
    result = check_file("date;kind;title;venue\n12/05/2025;pop-up;T;Bay Tree Centre\n", LOOKUPS)
    assert result.file_problem.startswith("Line 1 has its columns separated by semicolons")


def test_the_first_line_holding_a_registration_number_is_found():
    text = "date,kind,title,notes\n12/05/2025,pop-up,T,\n13/05/2025,pop-up,T,van ab12cde\n"
    assert line_with_a_number_plate(text) == 3
    assert line_with_a_number_plate(text.replace("ab12cde", "white van")) is None


@pytest.mark.parametrize(
    "kind", ["other engagement", "Community day", "stand", "Public meeting", "training", "other"]
)
def test_community_days_stands_meetings_and_trainings_are_other_engagement(kind):
    row = GOOD.replace("pop-up,Rogue Traders pop-up", f"{kind},Strawberry Fair stand")
    (imported,) = check(row).rows
    assert imported.kind == EventKind.OTHER_ENGAGEMENT


@pytest.mark.parametrize(
    "items",
    ["purse bell: 15", "Purse Bells: 15", "PURSE BELLS: 15", "purse bells:15", "Purse bell : 15"],
)
def test_item_names_are_matched_ignoring_case_and_a_plural_s(items):
    (row,) = check(GOOD.replace("Purse bells: 15", items)).rows
    assert row.items == {1: 15} and row.item_names == {"Purse bells": 15}


def test_an_es_plural_is_matched_too():
    (row,) = check(GOOD.replace("Purse bells: 15", "timer switch: 2; Window alarm: 1")).rows
    assert row.item_names == {"Timer switches": 2, "Window alarms": 1}


def test_a_zero_count_is_accepted_and_hands_nothing_out():
    (row,) = check(GOOD.replace("Purse bells: 15", "Purse bells: 0; Personal alarms: 4")).rows
    assert row.items == {9: 4}


def test_a_zero_count_of_an_unknown_item_is_still_refused():
    result = check(GOOD.replace("Purse bells: 15", "Gold bars: 0"))
    assert "item ‘Gold bars’ is not in the stock" in " ".join(result.rejected[0].reasons)


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        (",".join(f"extra column number {n}" for n in range(5000)) + "\n", "and 4,995 more"),
        (HEADER.rstrip("\n") + ",notes" * 5000 + "\n", "names a column twice: notes"),
        ("x" * 40_000 + "\n", "does not know: xxxx"),
    ],
    ids=["5,000 unknown columns", "a column 5,000 times more", "one 40 KB column name"],
)
def test_a_huge_header_gets_a_short_message(header, problem):
    result = check("1/5/2026,pop_up", header=header)
    assert problem in result.file_problem and len(result.file_problem) < 400
