"""Reading a spreadsheet of past activity: every row either becomes an event or is rejected
with its line number and the reasons, before anything is written."""

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time

from ..engagement.rules import (
    SpeedwatchCounts,
    enforcement_threshold,
    speedwatch_problems,
    uses_audience,
)
from ..engagement.vocabulary import Audience, Weather
from ..events.vocabulary import EventKind, Theme
from ..plain_text import CONTROL_CHARACTERS, has_control_characters, one_line
from ..plates import mentions_a_number_plate
from ..timezones import AmbiguousLocalTime, NonexistentLocalTime, local_to_utc

COLUMNS = (
    "date",
    "start",
    "end",
    "kind",
    "title",
    "theme",
    "venue",
    "audience",
    "people_engaged",
    "items_handed_out",
    "vehicles_checked",
    "vehicles_over_threshold",
    "highest_speed",
    "weather",
    "notes",
)
REQUIRED = ("date", "kind", "title", "people_engaged")
DEFAULT_START, DEFAULT_END = time(10), time(12)
MOST_ROWS = 5000
_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$|^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")
_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
KIND_WORDS = {
    "speedwatch": EventKind.SPEEDWATCH,
    "community speedwatch": EventKind.SPEEDWATCH,
    "roadshow": EventKind.ROADSHOW,
    "community safety roadshow": EventKind.ROADSHOW,
    "surgery": EventKind.SURGERY,
    "nhw surgery": EventKind.SURGERY,
    "neighbourhood watch surgery": EventKind.SURGERY,
    "pop up": EventKind.POP_UP,
    "popup": EventKind.POP_UP,
    "pop up engagement event": EventKind.POP_UP,
    "home visit": EventKind.HOME_VISIT,
    "other engagement": EventKind.OTHER_ENGAGEMENT,
    "other": EventKind.OTHER_ENGAGEMENT,
    "community day": EventKind.OTHER_ENGAGEMENT,
    "stand": EventKind.OTHER_ENGAGEMENT,
    "public meeting": EventKind.OTHER_ENGAGEMENT,
    "meeting": EventKind.OTHER_ENGAGEMENT,
    "training": EventKind.OTHER_ENGAGEMENT,
}
_PLURAL_ES = re.compile(r"(s|x|z|ch|sh)es$")


def comparable_words(text: str) -> str:
    """Text as imports compare it: lower case, hyphens and underscores as spaces, single
    spaces ("Shenfield_High-Street " and "shenfield high street" match)."""
    return " ".join(re.sub(r"[-_]", " ", text or "").lower().split())


def item_key(name: str) -> str:
    """An item's name as a spreadsheet may spell it: any case, its last word singular or plural
    ('purse bell', 'Purse Bells'; 'timer switch', 'Timer switches')."""
    text = comparable_words(name)
    if _PLURAL_ES.search(text):
        return text[:-2]
    return text[:-1] if text.endswith("s") and not text.endswith("ss") else text


def line_with_a_number_plate(text: str) -> int | None:
    """The first line that looks like it holds a registration number (never kept here)."""
    for number, line in enumerate(text.splitlines(), 1):
        if mentions_a_number_plate(line):
            return number
    return None


def decode(data: bytes) -> str:
    """Excel saves CSV as UTF-8 (often with a byte-order mark) or as Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


@dataclass(frozen=True)
class Lookups:
    """What the rows are checked against, all keyed by lower-case words."""

    venues: dict[str, int]
    sites: dict[str, tuple[int, int]]  # road, or "road (location)" -> (id, speed limit)
    items: dict[str, tuple[int, str]]  # name -> (id, name as the app spells it)
    existing: frozenset[tuple[date, EventKind, str]]
    today: date


@dataclass
class ImportRow:
    line: int
    starts_at: datetime
    ends_at: datetime
    kind: EventKind
    title: str
    theme: Theme | None
    place: str
    venue_id: int | None = None
    site_id: int | None = None
    area: str = ""
    audience: Audience | None = None
    people_engaged: int = 0
    items: dict[int, int] = field(default_factory=dict)
    item_names: dict[str, int] = field(default_factory=dict)
    threshold_mph: int | None = None
    vehicles_checked: int | None = None
    vehicles_over_threshold: int | None = None
    highest_speed_mph: int | None = None
    weather: Weather | None = None
    notes: str = ""


@dataclass
class Rejected:
    line: int
    reasons: list[str]
    text: str


@dataclass
class ImportCheck:
    rows: list[ImportRow] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    file_problem: str | None = None

    @property
    def can_import(self) -> bool:
        return bool(self.rows) and not self.rejected and self.file_problem is None


def check_file(text: str, lookups: Lookups) -> ImportCheck:
    """Every row checked; the file is importable only if every row is."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = [comparable_words(h).replace(" ", "_") for h in next(reader, [])]
    except csv.Error as error:
        return ImportCheck(file_problem=f"Line 1 cannot be read as CSV: {error}")
    problem = _header_problem(header)
    if problem:
        return ImportCheck(file_problem=problem)
    check, line = ImportCheck(), reader.line_num
    seen: dict[tuple[date | None, EventKind, str], int] = {}  # row key -> its first line
    while True:
        first_line = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            check.rejected.append(Rejected(first_line, [f"cannot be read as CSV: {error}"], ""))
            break
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(check.rows) + len(check.rejected) >= MOST_ROWS:
            check.file_problem = f"The file has more than {MOST_ROWS:,} rows: split it"
            break
        _check_row(first_line, header, cells, lookups, seen, check)
    if not check.rows and not check.rejected and not check.file_problem:
        check.file_problem = "The file has a header but no rows of activity"
    return check


def date_range(text: str) -> tuple[date, date] | None:
    """The first and last readable dates in the file (to look up what is already there)."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = [comparable_words(h).replace(" ", "_") for h in next(reader, [])]
        if "date" not in header:
            return None
        column = header.index("date")
        cells = [row[column] for row in reader if len(row) > column]
    except csv.Error:
        return None
    days = [d for d in (_local_day(cell) for cell in cells) if d]
    return (min(days), max(days)) if days else None


def _header_problem(header: list[str]) -> str | None:
    if not header or not any(header):
        return "The file is empty: it needs a header row naming the columns"
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        return (
            "Line 1 has its columns separated by semicolons or tabs: save the file as "
            "‘CSV (comma delimited)’ and upload it again"
        )
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        return f"Line 1 names columns this import does not know: {_listed(unknown)}"
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        return f"Line 1 is missing the required columns: {', '.join(missing)}"
    repeated = sorted(name for name, times in Counter(header).items() if times > 1)
    if repeated:
        return f"Line 1 names a column twice: {_listed(repeated)}"
    return None


def _listed(names: list[str], most: int = 5, longest: int = 40) -> str:
    """A few of the names, each cut short: a header of thousands of columns gets a message
    a person can read, not the whole header echoed back."""
    shown = [n if len(n) <= longest else n[: longest - 1] + "…" for n in names[:most]]
    more = len(names) - len(shown)
    return ", ".join(shown) + (f" and {more:,} more" if more else "")


def _check_row(line, header, cells, lookups, seen, check) -> None:
    text = ",".join(cells)[:120]
    if len(cells) > len(header):
        check.rejected.append(
            Rejected(line, [f"has {len(cells)} cells but the header has {len(header)}"], text)
        )
        return
    if any(has_control_characters(cell) for cell in cells):
        reason = "holds characters that are not text (control characters): type the row again"
        check.rejected.append(Rejected(line, [reason], one_line(CONTROL_CHARACTERS.sub("?", text))))
        return
    values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)}
    reasons: list[str] = []
    row = _read_row(line, values, lookups, reasons)
    if row is not None and not reasons:
        key = (_local_day(values["date"]), row.kind, row.title.lower())
        if key in lookups.existing:
            reasons.append(
                "is already in the app (same date, kind and title): was it imported before?"
            )
        elif key in seen:
            reasons.append(f"repeats line {seen[key]} (same date, kind and title)")
        else:
            seen[key] = line
    if reasons:
        check.rejected.append(Rejected(line, reasons, text))
    else:
        check.rows.append(row)


def _local_day(text: str) -> date | None:
    try:
        return _date(text)
    except ValueError:
        return None


def _date(text: str) -> date:
    match = _DATE.match(text or "")
    if not match:
        raise ValueError
    if match[1]:
        return date(int(match[3]), int(match[2]), int(match[1]))
    return date(int(match[4]), int(match[5]), int(match[6]))


def _time(text: str, default: time) -> time:
    if not (text or "").strip():
        return default
    match = _TIME.match(text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError
    return time(int(match[1]), int(match[2]))


def _count(values: dict, name: str, reasons: list[str], *, required=False) -> int | None:
    text = values.get(name, "").replace(",", "")
    if not text:
        if required:
            reasons.append(f"{name} is empty: enter a whole number (0 if none)")
        return None
    if not (text.isascii() and text.isdigit()) or len(text) > 7:
        reasons.append(f"{name} ‘{values[name]}’ is not a whole number")
        return None
    return int(text)


def _read_row(line, values, lookups, reasons) -> ImportRow | None:
    day = _local_day(values["date"])
    if day is None:
        reasons.append(f"date ‘{values['date']}’ is not a date like 31/03/2026 or 2026-03-31")
    elif day > lookups.today:
        reasons.append(f"date {day:%d/%m/%Y} is in the future: import only past activity")
    kind = KIND_WORDS.get(comparable_words(values["kind"]))
    if kind is None:
        reasons.append(
            f"kind ‘{values['kind']}’ is not one of speedwatch, roadshow, surgery, pop-up, "
            "home visit, other engagement"
        )
    title = values["title"]
    if not title:
        reasons.append("title is empty")
    elif len(title) > 120:
        reasons.append("title is longer than 120 characters")
    theme = _choice(values.get("theme", ""), Theme, "theme", reasons)
    audience = _choice(values.get("audience", ""), Audience, "audience", reasons)
    weather = _choice(values.get("weather", ""), Weather, "weather", reasons)
    people = _count(values, "people_engaged", reasons, required=True)
    items, names = _items(values.get("items_handed_out", ""), lookups, reasons)
    notes = values.get("notes", "")
    if mentions_a_number_plate(notes):
        reasons.append("notes contain what looks like a registration number: remove it")
    times = _times(day, values, reasons) if day else None
    if kind is None or times is None or reasons:
        return None
    row = ImportRow(
        line=line,
        starts_at=times[0],
        ends_at=times[1],
        kind=kind,
        title=title,
        theme=theme,
        place="",
        audience=audience if uses_audience(kind) else None,
        people_engaged=people or 0,
        items=items,
        item_names=names,
        weather=weather,
        notes=notes,
    )
    _place(row, values.get("venue", ""), lookups, reasons)
    _speedwatch(row, values, reasons)
    return row


def _choice(text: str, enum, name: str, reasons: list[str]):
    if not text:
        return None
    wanted = comparable_words(text)
    for member in enum:
        if wanted in (comparable_words(member.value), comparable_words(member.label)):
            return member
    reasons.append(f"{name} ‘{text}’ is not one this app knows")
    return None


def _times(day: date, values: dict, reasons: list[str]) -> tuple[datetime, datetime] | None:
    try:
        start = _time(values.get("start", ""), DEFAULT_START)
        end = _time(values.get("end", ""), DEFAULT_END if start < DEFAULT_END else time(23, 59))
    except ValueError:
        reasons.append("start or end is not a time like 10:00")
        return None
    if end <= start:
        reasons.append("end is not after start")
        return None
    try:
        return local_to_utc(day, start), local_to_utc(day, end)
    except (NonexistentLocalTime, AmbiguousLocalTime) as error:
        reasons.append(str(error))
        return None


def _items(
    text: str, lookups: Lookups, reasons: list[str]
) -> tuple[dict[int, int], dict[str, int]]:
    """'Purse bells: 15; personal alarm: 4' -> {item id: 15, ...}; 'Purse bells: 0' is a real
    spreadsheet's way of saying none, so it is accepted and hands nothing out."""
    found: dict[int, int] = {}
    names: dict[str, int] = {}
    stock_items: dict[str, tuple[int, str]] = {}
    for key, spelled in lookups.items.items():
        stock_items.setdefault(item_key(key), spelled)
    for part in filter(None, (p.strip() for p in (text or "").split(";"))):
        name, _, number = part.rpartition(":")
        name, number = name.strip(), number.strip()
        if not name or not (number.isascii() and number.isdigit()) or len(number) > 7:
            reasons.append(f"items_handed_out ‘{part}’ is not like ‘Purse bells: 15’")
            continue
        known = stock_items.get(item_key(name))
        if known is None:
            reasons.append(f"item ‘{name}’ is not in the stock list: add it under Stock first")
            continue
        if int(number) == 0:
            continue
        found[known[0]] = found.get(known[0], 0) + int(number)
        names[known[1]] = names.get(known[1], 0) + int(number)
    return found, names


def _place(row: ImportRow, venue: str, lookups: Lookups, reasons: list[str]) -> None:
    if row.kind == EventKind.SPEEDWATCH:
        site = lookups.sites.get(comparable_words(venue))
        if site is None:
            reasons.append(f"Speedwatch site ‘{venue}’ is not in the app: name its road")
            return
        row.site_id, row.threshold_mph = site[0], enforcement_threshold(site[1])
        row.place = venue
    elif row.kind == EventKind.HOME_VISIT:
        district = venue.replace(" ", "").upper()
        if district and not _DISTRICT.match(district):
            reasons.append("for a home visit, venue holds only the postcode district, e.g. CM15")
        row.area, row.place = district, district or "Home visit"
    elif venue:
        row.venue_id = lookups.venues.get(comparable_words(venue))
        if row.venue_id is None:
            reasons.append(f"venue ‘{venue}’ is not in the app: add it under Venues first")
        row.place = venue
    else:
        row.place = "No venue"


def _speedwatch(row: ImportRow, values: dict, reasons: list[str]) -> None:
    names = ("vehicles_checked", "vehicles_over_threshold", "highest_speed")
    checked, over, highest = (_count(values, n, reasons) for n in names)
    counts = (checked, over, highest)
    if row.kind != EventKind.SPEEDWATCH:
        if any(c is not None for c in counts):
            reasons.append("Speedwatch counts are given for an event that is not Speedwatch")
        return
    if row.threshold_mph is None:
        return
    problems = speedwatch_problems(
        SpeedwatchCounts(checked, over, highest, threshold_mph=row.threshold_mph)
    )
    reasons.extend(message[0].lower() + message[1:] for message in problems.values())
    row.vehicles_checked, row.vehicles_over_threshold, row.highest_speed_mph = counts
