"""Partner returns, as plain values and CSV text: the per-session Speedwatch log the police
ask for, and the CSP's quarterly return (the report's figures, one column a quarter).

Neither ever holds a registration number or a volunteer's name: the log carries counts only."""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from ..engagement.vocabulary import Weather
from ..events.vocabulary import EventKind
from ..timezones import to_local
from .csvexport import defuse_formula
from .figures import Figures
from .rules import hours

LOG_HEADER = [
    "date",
    "site",
    "speed limit (mph)",
    "start",
    "end",
    "volunteers",
    "vehicles checked",
    "at or over the threshold",
    "threshold (mph)",
    "highest speed (mph)",
    "weather",
]


@dataclass(frozen=True)
class SpeedwatchLogEntry:
    """One session held. Counts are None until its outcome is recorded; `volunteers` is None
    when the outcome did not say who came (an imported spreadsheet row)."""

    starts_at: datetime
    ends_at: datetime
    site: str
    speed_limit: int
    volunteers: int | None
    vehicles_checked: int | None
    vehicles_over: int | None
    threshold_mph: int | None
    highest_speed_mph: int | None
    weather: Weather | None


def _blank(value) -> str | int:
    return "" if value is None else value


def log_row(entry: SpeedwatchLogEntry) -> list:
    start, end = to_local(entry.starts_at), to_local(entry.ends_at)
    return [
        start.date().isoformat(),
        entry.site,
        entry.speed_limit,
        f"{start:%H:%M}",
        f"{end:%H:%M}",
        _blank(entry.volunteers),
        _blank(entry.vehicles_checked),
        _blank(entry.vehicles_over),
        _blank(entry.threshold_mph),
        _blank(entry.highest_speed_mph),
        entry.weather.label if entry.weather else "",
    ]


def write_csv(header: list, rows: Iterable[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([defuse_formula(cell) for cell in row])
    return buffer.getvalue()


def speedwatch_log_csv(entries: list[SpeedwatchLogEntry]) -> str:
    """The police's per-session log, in the order the sessions were held (UK dates and times)."""
    return write_csv(LOG_HEADER, (log_row(e) for e in entries))


def quarterly_header(quarters: list[Figures], year: Figures) -> list[str]:
    return ["measure"] + [q.period.label for q in quarters] + [year.period.label]


def quarterly_rows(quarters: list[Figures], year: Figures) -> list[list]:
    """The report's headline figures, one row a measure and one column a quarter, then the year.

    The year's column is its own count, not the quarters added up: a volunteer who gave time in
    two quarters is one volunteer in the year."""
    columns = [*quarters, year]

    def row(measure: str, value) -> list:
        return [measure] + [value(f) for f in columns]

    rows = [
        row("events held", lambda f: f.events),
        *[
            row(f"events: {kind.plural_label}", lambda f, k=kind: f.kind(k).events)
            for kind in EventKind
        ],
        row("events without an outcome recorded", lambda f: f.events_without_outcome),
        row("people reached", lambda f: f.people),
        row("volunteer hours", lambda f: hours(f.minutes)),
        row("volunteers who gave time", lambda f: f.volunteer_count),
        row("items handed out", lambda f: f.items_total),
    ]
    names = sorted({name for f in columns for name, _ in f.items})
    rows += [row(f"handed out: {name}", lambda f, n=name: f.item(n)) for name in names]
    rows += [
        row("Speedwatch sessions", lambda f: f.speedwatch_sessions),
        row("vehicles checked", lambda f: f.vehicles_checked),
        row("vehicles at or over the threshold", lambda f: f.vehicles_over),
        row(
            "highest speed (mph)", lambda f: max((s.highest or 0 for s in f.sites), default=0) or ""
        ),
        row("home visits", lambda f: f.home_visits.visits),
    ]
    return rows


def quarterly_csv(quarters: list[Figures], year: Figures) -> str:
    return write_csv(quarterly_header(quarters, year), quarterly_rows(quarters, year))
