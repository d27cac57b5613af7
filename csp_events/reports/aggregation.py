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

from sqlalchemy import and_, case, false, func, null, or_, select

from ..auth.models import User
from ..engagement.models import Attendance, EventOutcome
from ..events.kinds import EventStatus
from ..events.models import Event
from ..extensions import db
from ..places.models import SpeedwatchSite, Venue
from ..stock.kinds import HANDED_OUT
from ..stock.models import StockItem, StockMovement
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
    whens = [(column < held.start, null()), (column >= held.end, null())]
    whens += [(column < cut, i) for i, cut in enumerate(held.cuts)]
    return case(*whens, else_=len(held.cuts))


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
    ranges = [and_(Event.starts_at >= s, Event.starts_at < e) for s, e in _ranges(windows)]
    return (Event.status != EventStatus.CANCELLED, or_(*ranges) if ranges else false())


def _with_slices(columns: list, windows: Sequence[Window], *, whole: bool = False):
    """`columns` and one slice column per window (`whole`: 0 for the whole window)."""
    slices = [
        _slice_in(Event.starts_at, Window(w.start, w.end) if whole else w).label(f"p{i}")
        for i, w in enumerate(windows)
    ]
    return [*columns, *slices]


def _slice_columns(inner, windows: Sequence[Window]) -> list:
    return [inner.c[f"p{i}"] for i in range(len(windows))]


def event_rows(windows: Sequence[Window]) -> list[tuple]:
    """Events and their outcomes, grouped by kind, theme, Speedwatch site and each window's
    slice: (kind, theme, site id, road, location, limit, *slices, events, with outcome,
    people, vehicles checked, at or over, highest speed)."""
    inner = (
        select(
            *_with_slices(
                [
                    Event.kind.label("kind"),
                    Event.theme.label("theme"),
                    Event.site_id.label("site_id"),
                    Event.id.label("event_id"),
                    EventOutcome.id.label("outcome_id"),
                    EventOutcome.people_engaged.label("people"),
                    EventOutcome.vehicles_checked.label("checked"),
                    EventOutcome.vehicles_over_threshold.label("over"),
                    EventOutcome.highest_speed_mph.label("highest"),
                ],
                windows,
            )
        )
        .outerjoin(EventOutcome, EventOutcome.event_id == Event.id)
        .where(*counted(windows))
        .subquery()
    )
    slices = _slice_columns(inner, windows)
    site = (SpeedwatchSite.road, SpeedwatchSite.location, SpeedwatchSite.speed_limit)
    query = (
        select(
            inner.c.kind,
            inner.c.theme,
            inner.c.site_id,
            *site,
            *slices,
            func.count(inner.c.event_id),
            func.count(inner.c.outcome_id),
            func.coalesce(func.sum(inner.c.people), 0),
            func.coalesce(func.sum(inner.c.checked), 0),
            func.coalesce(func.sum(inner.c.over), 0),
            func.max(inner.c.highest),
        )
        .outerjoin(SpeedwatchSite, SpeedwatchSite.id == inner.c.site_id)
        .group_by(inner.c.kind, inner.c.theme, inner.c.site_id, *site, *slices)
    )
    return [tuple(row) for row in db.session.execute(query)]


def hand_out_rows(windows: Sequence[Window]) -> list[tuple]:
    """Items handed out at counted events, grouped by item, event kind, the venue's ward and
    whether each window holds the event: (item id, name, kind, ward, *in window, handed out)."""
    inner = (
        select(
            *_with_slices(
                [
                    StockMovement.item_id.label("item_id"),
                    Event.kind.label("kind"),
                    Venue.ward.label("ward"),
                    StockMovement.quantity.label("quantity"),
                ],
                windows,
                whole=True,
            )
        )
        .select_from(StockMovement)
        .join(Event, Event.id == StockMovement.event_id)
        .outerjoin(Venue, Venue.id == Event.venue_id)
        .where(StockMovement.kind.in_(HANDED_OUT), *counted(windows))
        .subquery()
    )
    slices = _slice_columns(inner, windows)
    query = (
        select(
            inner.c.item_id,
            StockItem.name,
            inner.c.kind,
            inner.c.ward,
            *slices,
            -func.sum(inner.c.quantity),
        )
        .join(StockItem, StockItem.id == inner.c.item_id)
        .group_by(inner.c.item_id, StockItem.name, inner.c.kind, inner.c.ward, *slices)
    )
    return [tuple(row) for row in db.session.execute(query)]


def attendance_rows(windows: Sequence[Window]) -> list[tuple]:
    """Volunteers' attendance at counted events, grouped by volunteer and each window's slice:
    (user id, name, *slices, minutes given, sessions attended, no-shows)."""
    came = Attendance.attended.is_(True)
    inner = (
        select(
            *_with_slices(
                [
                    Attendance.user_id.label("user_id"),
                    case((came, Attendance.minutes), else_=0).label("given"),
                    case((came, 1), else_=0).label("came"),
                    case((came, 0), else_=1).label("missed"),
                ],
                windows,
            )
        )
        .select_from(Attendance)
        .join(Event, Event.id == Attendance.event_id)
        .where(*counted(windows))
        .subquery()
    )
    slices = _slice_columns(inner, windows)
    query = (
        select(
            inner.c.user_id,
            User.name,
            *slices,
            func.sum(inner.c.given),
            func.sum(inner.c.came),
            func.sum(inner.c.missed),
        )
        .join(User, User.id == inner.c.user_id)
        .group_by(inner.c.user_id, User.name, *slices)
    )
    return [tuple(row) for row in db.session.execute(query)]
