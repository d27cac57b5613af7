"""The report as CSV: one figure per row, with the same figure a year earlier beside it."""

import csv
import io

from .figures import Figures
from .rules import hours

HEADER = ["section", "item", "measure", "value", "a year earlier"]
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse_formula(cell) -> str:
    """Text a spreadsheet will not run as a formula (names and titles are typed by people)."""
    text = str(cell)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def report_rows(report: Figures, before: Figures) -> list[list]:
    """The report as CSV rows, each figure beside the same figure a year earlier."""
    out: list[list] = [
        [
            "period",
            report.period.label,
            "from",
            report.period.first.isoformat(),
            before.period.first.isoformat(),
        ],
        [
            "period",
            report.period.label,
            "to",
            report.period.last.isoformat(),
            before.period.last.isoformat(),
        ],
        ["summary", "", "events held", report.events, before.events],
        [
            "summary",
            "",
            "events without an outcome",
            report.events_without_outcome,
            before.events_without_outcome,
        ],
        ["summary", "", "people reached", report.people, before.people],
        ["summary", "", "items handed out", report.items_total, before.items_total],
        ["summary", "", "volunteer hours", hours(report.minutes), hours(before.minutes)],
        ["summary", "", "volunteers who gave time", report.volunteer_count, before.volunteer_count],
        [
            "summary",
            "",
            "Speedwatch sessions",
            report.speedwatch_sessions,
            before.speedwatch_sessions,
        ],
        ["summary", "", "vehicles checked", report.vehicles_checked, before.vehicles_checked],
        [
            "summary",
            "",
            "vehicles at or over the threshold",
            report.vehicles_over,
            before.vehicles_over,
        ],
        ["summary", "", "home visits", report.home_visits.visits, before.home_visits.visits],
    ]
    for k in report.kinds:
        out.append(["events by kind", k.kind.label, "events", k.events, before.kind(k.kind).events])
        out.append(
            ["people by kind", k.kind.label, "people reached", k.people, before.kind(k.kind).people]
        )
        for part, n in zip(report.slices, k.per_slice, strict=True):
            out.append(["events by quarter", k.kind.label, part.label, n, ""])
    for part, n in zip(report.slices, report.people_per_slice, strict=True):
        out.append(["people by quarter", "", part.label, n, ""])
    for t in report.themes:
        out.append(
            ["events by theme", t.theme.label if t.theme else "No theme", "events", t.events, ""]
        )
    earlier = dict(before.items)
    for name, n in report.items:
        out.append(["items by item", name, "handed out", n, earlier.get(name, 0)])
    for ward, n in report.wards:
        out.append(["items by ward", ward, "handed out", n, ""])
    for s in report.sites:
        share = "" if s.share_over is None else f"{s.share_over:.1%}"
        out += [
            ["speedwatch by site", s.name, "sessions", s.sessions, ""],
            ["speedwatch by site", s.name, "vehicles checked", s.checked, ""],
            ["speedwatch by site", s.name, "at or over the threshold", s.over, ""],
            ["speedwatch by site", s.name, "share at or over", share, ""],
            ["speedwatch by site", s.name, "highest speed (mph)", s.highest or "", ""],
        ]
    for name, n in report.home_visits.items:
        out.append(["home visits", name, "handed out or fitted", n, ""])
    for name, n in report.home_visits.measures:
        out.append(["home visits", name, "measures fitted", n, ""])
    for v in report.volunteers:
        out.append(["volunteer hours", v.name, "hours", hours(v.minutes), ""])
    return out


def to_csv(report: Figures, before: Figures, *, with_people: bool) -> str:
    """The CSV text; `with_people=False` leaves out the hours of each named volunteer."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in report_rows(report, before):
        if row[0] == "volunteer hours" and not with_people:
            continue
        writer.writerow([defuse_formula(cell) for cell in row])
    return buffer.getvalue()
