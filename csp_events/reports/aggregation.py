"""The report's figure families, each counted for several periods at once in one GROUP BY pass.

A pass reads the events of every period asked for (their time ranges merged, so a year and
the year before it are one index range) and works out in SQL, for each period, the slice an
event counts in, or NULL when the event is outside that period. Periods may overlap (a
two-year custom period and the year before it; a financial year and its quarters): an event
then counts in each, exactly as it would if each period were counted on its own. Python only
adds up the few grouped rows. The counting rules are those of rules.py: the UK day an event
starts on, cancelled events nowhere, no hours for no-shows, and only what has started by now.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, false, func, null, or_, select

from ..auth.models import User
from ..engagement.models import Attendance, EventOutcome
from ..events.models import Event
from ..events.vocabulary import EventStatus
from ..extensions import db
from ..places.models import SpeedwatchSite, Venue
from ..stock.models import StockItem, StockMovement
from ..stock.vocabulary import HANDED_OUT
from .rules import Period


@dataclass(frozen=True)
class Window:
    """A period as the database counts it: events starting in [start, end) in UTC, the end no
    later than now (sessions still to come are plans, not activity), and the instants at which
    each of its slices but the last ends."""

    start: datetime
    end: datetime
    cuts: tuple[datetime, ...] = ()


def window(period: Period, parts: Sequence[Period], now: datetime) -> Window:
    start, end = period.utc_bounds()
    return Window(start, min(end, now), tuple(part.utc_bounds()[1] for part in parts[:-1]))


def _slice_in(column, held: Window):
    """The slice (0, 1, ...) an event starting at `column` counts in, NULL outside the window."""
    whens: list[tuple[Any, Any]] = [(column < held.start, null()), (column >= held.end, null())]
    whens += [(column < cut, i) for i, cut in enumerate(held.cuts)]
    return case(*whens, else_=len(held.cuts))


def _inside(held: Window):
    return and_(Event.starts_at >= held.start, Event.starts_at < held.end)


def _ranges(windows: Sequence[Window]) -> list[tuple[datetime, datetime]]:
    """The windows' time ranges, merged where they overlap or touch: what a pass reads."""
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted((w.start, w.end) for w in windows if w.start < w.end):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def counted(windows: Sequence[Window]):
    """The events a report counts in any of the windows: started in one, and not cancelled."""
    ranges = [_inside(Window(start, end)) for start, end in _ranges(windows)]
    return (Event.status != EventStatus.CANCELLED, or_(*ranges) if ranges else false())


def _slices_of(windows: Sequence[Window]) -> list:
    """One slice column per window: p0, p1, ..."""
    return [_slice_in(Event.starts_at, w).label(f"p{i}") for i, w in enumerate(windows)]


def _slice_columns(inner, windows: Sequence[Window]) -> list:
    return [inner.c[f"p{i}"] for i in range(len(windows))]


def event_rows(windows: Sequence[Window]) -> list[tuple]:
    """Events and their outcomes, grouped by kind, theme, Speedwatch site and each window's
    slice: (kind, theme, site id, road, location, limit, *slices, events, with outcome,
    people, vehicles checked, at or over, highest speed)."""
    slices = _slices_of(windows)
    inner = (
        select(
            Event.kind.label("kind"),
            Event.theme.label("theme"),
            Event.site_id.label("site_id"),
            func.count(Event.id).label("events"),
            func.count(EventOutcome.id).label("outcomes"),
            func.coalesce(func.sum(EventOutcome.people_engaged), 0).label("people"),
            func.coalesce(func.sum(EventOutcome.vehicles_checked), 0).label("checked"),
            func.coalesce(func.sum(EventOutcome.vehicles_over_threshold), 0).label("over"),
            func.max(EventOutcome.highest_speed_mph).label("highest"),
            *slices,
        )
        .outerjoin(EventOutcome, EventOutcome.event_id == Event.id)
        .where(*counted(windows))
        .group_by(Event.kind, Event.theme, Event.site_id, *slices)
        .subquery()
    )
    c = inner.c
    query = select(
        c.kind,
        c.theme,
        c.site_id,
        SpeedwatchSite.road,
        SpeedwatchSite.location,
        SpeedwatchSite.speed_limit,
        *_slice_columns(inner, windows),
        c.events,
        c.outcomes,
        c.people,
        c.checked,
        c.over,
        c.highest,
    ).outerjoin(SpeedwatchSite, SpeedwatchSite.id == c.site_id)
    return [tuple(row) for row in db.session.execute(query)]


def hand_out_rows(windows: Sequence[Window]) -> list[tuple]:
    """Items handed out at counted events, by item, event kind and the venue's ward, one sum
    per window: (item id, name, kind, ward, *handed out in each window).

    Hand-outs are the largest table: a sum per window (conditional aggregation) keeps the
    groups few, which lets PostgreSQL aggregate in parallel; grouping by venue and looking up
    the ward per group spares a lookup per hand-out."""
    sums = [
        (-func.sum(case((_inside(w), StockMovement.quantity), else_=0))).label(f"h{i}")
        for i, w in enumerate(windows)
    ]
    inner = (
        select(
            StockMovement.item_id.label("item_id"),
            Event.kind.label("kind"),
            Event.venue_id.label("venue_id"),
            *sums,
        )
        .select_from(StockMovement)
        .join(Event, Event.id == StockMovement.event_id)
        .where(StockMovement.kind.in_(HANDED_OUT), *counted(windows))
        .group_by(StockMovement.item_id, Event.kind, Event.venue_id)
        .subquery()
    )
    c = inner.c
    query = (
        select(
            c.item_id,
            StockItem.name,
            c.kind,
            Venue.ward,
            *(c[f"h{i}"] for i in range(len(windows))),
        )
        .join(StockItem, StockItem.id == c.item_id)
        .outerjoin(Venue, Venue.id == c.venue_id)
    )
    return [tuple(row) for row in db.session.execute(query)]


def attendance_rows(windows: Sequence[Window]) -> list[tuple]:
    """Volunteers' attendance at counted events, grouped by volunteer and each window's slice:
    (user id, name, *slices, minutes given, sessions attended, no-shows)."""
    came = Attendance.attended.is_(True)
    slices = _slices_of(windows)
    inner = (
        select(
            Attendance.user_id.label("user_id"),
            func.sum(case((came, Attendance.minutes), else_=0)).label("given"),
            func.sum(case((came, 1), else_=0)).label("came"),
            func.sum(case((came, 0), else_=1)).label("missed"),
            *slices,
        )
        .select_from(Attendance)
        .join(Event, Event.id == Attendance.event_id)
        .where(*counted(windows))
        .group_by(Attendance.user_id, *slices)
        .subquery()
    )
    c = inner.c
    query = select(
        c.user_id, User.name, *_slice_columns(inner, windows), c.given, c.came, c.missed
    ).join(User, User.id == c.user_id)
    return [tuple(row) for row in db.session.execute(query)]
