"""Report periods and what counts: financial years and quarters in UK local time.

An event belongs to the period in which it *starts*, judged on the Europe/London calendar:
a roadshow from 23:00 on 31 March to 01:00 on 1 April counts in the year that ends that
March, and a session at 00:30 BST on 1 April (23:30 UTC on 31 March) in the year that
begins then. Cancelled events count nowhere; volunteers who did not come give no hours.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from ..events.vocabulary import EventStatus
from ..timezones import LONDON

FIRST_MONTH = 4  # the financial year starts on 1 April
QUARTER_NAMES = {
    1: "April to June",
    2: "July to September",
    3: "October to December",
    4: "January to March",
}
LONGEST_CUSTOM_PERIOD = timedelta(days=5 * 366)


class PeriodProblem(ValueError):
    """A period that cannot be reported on (ends before it starts, or is too long)."""


@dataclass(frozen=True)
class Period:
    """A run of whole UK days, first and last included."""

    first: date
    last: date
    label: str

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """[start, end) in UTC: local midnight at the start of `first` to the one after `last`.

        Midnight always exists in the UK (the clocks change at 01:00 and 02:00)."""
        return _local_midnight(self.first), _local_midnight(self.last + timedelta(days=1))

    def contains(self, day: date) -> bool:
        return self.first <= day <= self.last


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LONDON).astimezone(UTC)


def financial_year_of(day: date) -> int:
    """The calendar year the financial year containing `day` starts in (2025 for 2025/26)."""
    return day.year if day.month >= FIRST_MONTH else day.year - 1


def year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def financial_year(start_year: int) -> Period:
    return Period(
        date(start_year, 4, 1),
        date(start_year + 1, 3, 31),
        f"Financial year {year_label(start_year)}",
    )


def quarter(start_year: int, number: int) -> Period:
    """Quarter 1 is April to June ... quarter 4 is January to March of the next calendar year."""
    if number not in QUARTER_NAMES:
        raise PeriodProblem("A quarter is numbered 1 to 4")
    month = 4 + 3 * (number - 1)
    year = start_year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    first = date(year, month, 1)
    following = date(year + (month + 3 - 1) // 12, (month + 3 - 1) % 12 + 1, 1)
    label = f"Quarter {number} of {year_label(start_year)} ({QUARTER_NAMES[number]} {year})"
    return Period(first, following - timedelta(days=1), label)


def quarter_of(day: date) -> tuple[int, int]:
    """(financial year, quarter number) of a UK date."""
    return financial_year_of(day), (day.month - FIRST_MONTH) % 12 // 3 + 1


def custom_period(first: date, last: date) -> Period:
    if last < first:
        raise PeriodProblem("The end date must be the same as or after the start date")
    if last - first > LONGEST_CUSTOM_PERIOD:
        raise PeriodProblem("Choose a period of at most 5 years")
    return Period(first, last, f"{_day(first)} to {_day(last)}")


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def slices(period: Period) -> list[Period]:
    """The period cut at quarter boundaries, for the quarter columns and charts."""
    parts, day = [], period.first
    while day <= period.last:
        fy, number = quarter_of(day)
        whole = quarter(fy, number)
        end = min(whole.last, period.last)
        label = f"Q{number} {year_label(fy)}"
        parts.append(Period(day, end, label))
        day = end + timedelta(days=1)
    return parts


def year_before(period: Period) -> Period:
    """The same days a year earlier, for the year-on-year comparison (29 February -> 28th)."""
    first, last = _a_year_earlier(period.first), _a_year_earlier(period.last)
    if period.label.startswith("Financial year"):
        label = financial_year(financial_year_of(first)).label
    elif period.label.startswith("Quarter"):
        label = quarter(*quarter_of(first)).label
    else:
        label = f"{_day(first)} to {_day(last)}"
    return Period(first, last, label)


def _a_year_earlier(day: date) -> date:
    if day.month == 2 and day.day == 29:
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def local_start_day(starts_at: datetime) -> date:
    """The UK calendar day an event starts on: the day it is counted on."""
    return starts_at.astimezone(LONDON).date()


def slice_index(starts_at: datetime, parts: list[Period]) -> int | None:
    """Which slice an event counts in, or None when it starts outside them all."""
    day = local_start_day(starts_at)
    return next((i for i, part in enumerate(parts) if part.contains(day)), None)


def counts_in_reports(status: EventStatus) -> bool:
    """Cancelled events are left out of every figure; planned, confirmed and completed count."""
    return status != EventStatus.CANCELLED


def volunteer_minutes(attended: bool, minutes: int) -> int:
    """A no-show gives no time, whatever was typed for them."""
    return minutes if attended else 0


def share(part: int | None, whole: int | None) -> float | None:
    """part/whole, or None when there is nothing to divide by."""
    if not whole:
        return None
    return (part or 0) / whole


def percent(part: int | None, whole: int | None) -> str:
    value = share(part, whole)
    return "–" if value is None else f"{value:.0%}"


def change(current: float, previous: float) -> str:
    """'+12%', '−5%', 'no change', or 'new' when there was nothing the year before."""
    if current == previous:
        return "no change"
    if not previous:
        return "new"
    delta = (current - previous) / previous
    sign = "+" if delta > 0 else "−"
    return f"{sign}{abs(delta):.0%}"


def hours(minutes: int | None) -> str:
    """Minutes as hours for people: 150 -> '2.5', 60 -> '1', 20 -> '0.3'."""
    value = round((minutes or 0) / 60, 1)
    return f"{value:g}" if value != int(value) else f"{int(value):,}"


def choose_period(
    year: int | None, quarter_number: int | None, first: date | None, last: date | None, today: date
) -> Period:
    """The period a request asks for: given dates, else a quarter or a whole financial year,
    else the financial year we are in."""
    if first or last:
        if not (first and last):
            raise PeriodProblem("Enter both the start and the end date, or neither")
        return custom_period(first, last)
    year = year if year is not None else financial_year_of(today)
    return quarter(year, quarter_number) if quarter_number else financial_year(year)


def year_choices(earliest: date | None, today: date) -> list[int]:
    """Financial years to offer, newest first: from the first event's year to next year."""
    newest = financial_year_of(today)
    oldest = financial_year_of(earliest) if earliest else newest
    return list(range(max(newest, oldest), min(oldest, newest) - 1, -1))


def recent_periods(today: date) -> list[tuple[str, dict]]:
    """The periods a return is most often asked for, with the query that chooses each:
    this quarter, the last one, this financial year and the last one."""
    year, number = quarter_of(today)
    last_year, last_number = (year, number - 1) if number > 1 else (year - 1, 4)
    return [
        (f"this quarter: {quarter(year, number).label}", {"year": year, "quarter": number}),
        (
            f"last quarter: {quarter(last_year, last_number).label}",
            {"year": last_year, "quarter": last_number},
        ),
        (f"this financial year: {year_label(year)}", {"year": year}),
        (f"last financial year: {year_label(year - 1)}", {"year": year - 1}),
    ]
