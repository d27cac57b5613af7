"""Rota rules over plain values: the period asked for, the rota's lines, and its CSV text.

Phone numbers appear only when the caller says the reader may see them (the coordinator)."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ..events.vocabulary import EventKind
from ..reports.csvexport import defuse_formula
from ..signups.vocabulary import SignupStatus
from ..timezones import to_local

LONGEST_ROTA = timedelta(days=366)
DEFAULT_DAYS = 28


class RotaPeriodProblem(ValueError):
    """A rota period that cannot be shown (ends before it starts, or is too long)."""


@dataclass(frozen=True)
class RotaPerson:
    name: str
    phone: str = ""
    email: str = ""
    status: SignupStatus = SignupStatus.CONFIRMED
    position: int | None = None  # on the waiting list


@dataclass(frozen=True)
class RotaLine:
    """One session on the rota: when, what, where, and who is on it."""

    event_id: int
    starts_at: datetime
    ends_at: datetime
    title: str
    kind: EventKind
    place: str
    people: list[RotaPerson] = field(default_factory=list)
    waiting: int = 0
    min_volunteers: int = 0

    @property
    def short_by(self) -> int:
        return max(0, self.min_volunteers - len(self.people))


def rota_period(first: date | None, last: date | None, today: date) -> tuple[date, date]:
    """The days a rota covers: the dates given, or the next four weeks from today."""
    if first is None and last is None:
        return today, today + timedelta(days=DEFAULT_DAYS - 1)
    if first is None or last is None:
        raise RotaPeriodProblem("Enter both the first and the last day, or neither")
    if last < first:
        raise RotaPeriodProblem("The last day must be the same as or after the first day")
    if last - first >= LONGEST_ROTA:
        raise RotaPeriodProblem("Choose at most a year of sessions")
    return first, last


def month_periods(today: date) -> list[tuple[str, date, date]]:
    """This month and next month, for the shortcut links ("print next month's rota")."""
    this_first = today.replace(day=1)
    next_first = (this_first + timedelta(days=32)).replace(day=1)
    after = (next_first + timedelta(days=32)).replace(day=1)
    return [
        (f"{this_first:%B %Y}", this_first, next_first - timedelta(days=1)),
        (f"{next_first:%B %Y}", next_first, after - timedelta(days=1)),
    ]


def visible_kinds(is_coordinator: bool) -> list[EventKind]:
    """Who goes on which home visit is for the coordinator only; every other kind is open."""
    return [k for k in EventKind if is_coordinator or k != EventKind.HOME_VISIT]


def roster_people(signups: list[tuple[str, str, str, SignupStatus]]) -> list[RotaPerson]:
    """Confirmed first, then the waiting list in its order (signups come in queue order)."""
    confirmed = [RotaPerson(n, p, e, s) for n, p, e, s in signups if s == SignupStatus.CONFIRMED]
    waiting = [
        RotaPerson(n, p, e, s, position=i)
        for i, (n, p, e, s) in enumerate(
            (row for row in signups if row[3] == SignupStatus.WAITLISTED), start=1
        )
    ]
    return confirmed + waiting


def _write(header: list[str], rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([defuse_formula(cell) for cell in row])
    return buffer.getvalue()


def rota_csv(lines: list[RotaLine], *, with_phones: bool) -> str:
    """One row per volunteer per session (a session nobody is on still gets its row)."""
    header = ["date", "start", "end", "session", "kind", "place", "volunteer"]
    header += ["phone"] if with_phones else []
    rows = []
    for line in lines:
        start, end = to_local(line.starts_at), to_local(line.ends_at)
        when = [start.date().isoformat(), f"{start:%H:%M}", f"{end:%H:%M}"]
        what = [line.title, line.kind.label, line.place]
        for person in line.people or [RotaPerson("Nobody signed up yet")]:
            rows.append(when + what + [person.name] + ([person.phone] if with_phones else []))
    return _write(header, rows)


def roster_csv(people: list[RotaPerson]) -> str:
    """A session's roster for the coordinator: who, where they stand, how to reach them."""
    header = ["name", "status", "waiting list position", "phone", "email"]
    rows = [[p.name, p.status.label, p.position or "", p.phone, p.email] for p in people]
    return _write(header, rows)
