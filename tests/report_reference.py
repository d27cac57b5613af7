"""The report's figures as they were counted before the one-pass queries: one query per
figure and period. Kept only as the reference the one-pass services are checked against."""

from datetime import datetime

from sqlalchemy import case, func, literal, select

from csp_events.auth.models import User
from csp_events.engagement.models import Attendance, EventOutcome
from csp_events.events.models import Event
from csp_events.events.vocabulary import EventKind, EventStatus, Theme
from csp_events.extensions import db
from csp_events.places.models import SpeedwatchSite, Venue
from csp_events.reports import homevisits
from csp_events.reports.figures import (
    Figures,
    HomeVisitFigures,
    KindFigures,
    SiteFigures,
    ThemeFigures,
    VolunteerFigures,
)
from csp_events.reports.rules import Period, slices
from csp_events.reports.services import NO_WARD
from csp_events.stock.models import StockItem, StockMovement
from csp_events.stock.vocabulary import HANDED_OUT
from csp_events.timezones import utcnow


def _counted(start: datetime, end: datetime):
    """The events a report counts: held, so started in [start, end) by now, and not cancelled
    (sessions still to come in this year are plans, not activity)."""
    end = min(end, utcnow())
    return (Event.starts_at >= start, Event.starts_at < end, Event.status != EventStatus.CANCELLED)


def _slice_of(column, parts: list[Period]):
    """The slice (quarter) number of a start time, worked out by the database."""
    whens = [(column < part.utc_bounds()[1], i) for i, part in enumerate(parts[:-1])]
    return case(*whens, else_=len(parts) - 1) if whens else literal(0)


def kinds(period: Period, parts: list[Period]) -> list[KindFigures]:
    start, end = period.utc_bounds()
    inner = (
        select(
            Event.kind.label("kind"),
            _slice_of(Event.starts_at, parts).label("part"),
            Event.id.label("event_id"),
            EventOutcome.id.label("outcome_id"),
            EventOutcome.people_engaged.label("people"),
        )
        .outerjoin(EventOutcome, EventOutcome.event_id == Event.id)
        .where(*_counted(start, end))
        .subquery()
    )
    rows = db.session.execute(
        select(
            inner.c.kind,
            inner.c.part,
            func.count(inner.c.event_id),
            func.count(inner.c.outcome_id),
            func.coalesce(func.sum(inner.c.people), 0),
        ).group_by(inner.c.kind, inner.c.part)
    )
    figures = {k: KindFigures(k, [0] * len(parts), [0] * len(parts)) for k in EventKind}
    for kind, part, events, outcomes, people in rows:
        entry = figures[EventKind(kind)]
        entry.per_slice[part] += events
        entry.people_per_slice[part] += int(people)
        entry.with_outcome += outcomes
    return list(figures.values())


def themes(period: Period) -> list[ThemeFigures]:
    start, end = period.utc_bounds()
    rows = db.session.execute(
        select(
            Event.theme,
            func.count(Event.id),
            func.coalesce(func.sum(EventOutcome.people_engaged), 0),
        )
        .outerjoin(EventOutcome, EventOutcome.event_id == Event.id)
        .where(*_counted(start, end))
        .group_by(Event.theme)
    )
    found = [ThemeFigures(Theme(t) if t else None, n, int(p)) for t, n, p in rows]
    return sorted(found, key=lambda f: (-f.events, f.theme is None, f.theme or ""))


def _handed_out(start: datetime, end: datetime):
    handed = (-func.sum(StockMovement.quantity)).label("handed")
    return handed, (
        select()
        .select_from(StockMovement)
        .join(Event, Event.id == StockMovement.event_id)
        .where(StockMovement.kind.in_(HANDED_OUT), *_counted(start, end))
    )


def items(period: Period, *, kind: EventKind | None = None) -> list[tuple[str, int]]:
    start, end = period.utc_bounds()
    handed, base = _handed_out(start, end)
    query = (
        base.add_columns(StockItem.name, handed)
        .join(StockItem, StockItem.id == StockMovement.item_id)
        .group_by(StockItem.id, StockItem.name)
    )
    if kind is not None:
        query = query.where(Event.kind == kind)
    rows = [(name, int(n)) for name, n in db.session.execute(query) if n]
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def wards(period: Period) -> list[tuple[str, int]]:
    start, end = period.utc_bounds()
    handed, base = _handed_out(start, end)
    query = (
        base.add_columns(Venue.ward, handed)
        .outerjoin(Venue, Venue.id == Event.venue_id)
        .group_by(Venue.ward)
    )
    totals: dict[str, int] = {}
    for ward, n in db.session.execute(query):  # no venue (None) and no ward ("") are one group
        totals[ward or NO_WARD] = totals.get(ward or NO_WARD, 0) + int(n or 0)
    rows = [(w, n) for w, n in totals.items() if n]
    return sorted(rows, key=lambda r: (r[0] == NO_WARD, -r[1], r[0]))


def sites(period: Period) -> list[SiteFigures]:
    start, end = period.utc_bounds()
    rows = db.session.execute(
        select(
            SpeedwatchSite.road,
            SpeedwatchSite.location,
            SpeedwatchSite.speed_limit,
            func.count(Event.id),
            func.count(EventOutcome.id),
            func.coalesce(func.sum(EventOutcome.vehicles_checked), 0),
            func.coalesce(func.sum(EventOutcome.vehicles_over_threshold), 0),
            func.max(EventOutcome.highest_speed_mph),
        )
        .join(SpeedwatchSite, SpeedwatchSite.id == Event.site_id)
        .outerjoin(EventOutcome, EventOutcome.event_id == Event.id)
        .where(Event.kind == EventKind.SPEEDWATCH, *_counted(start, end))
        .group_by(
            SpeedwatchSite.id,
            SpeedwatchSite.road,
            SpeedwatchSite.location,
            SpeedwatchSite.speed_limit,
        )
    )
    found = [
        SiteFigures(f"{road} ({where})", limit, n, done, int(checked), int(over), top)
        for road, where, limit, n, done, checked, over, top in rows
    ]
    return sorted(found, key=lambda s: (-s.sessions, s.name))


def _given():
    """Minutes a volunteer gave: none for a no-show, whatever was typed."""
    return case((Attendance.attended.is_(True), Attendance.minutes), else_=0)


def volunteers(period: Period) -> list[VolunteerFigures]:
    start, end = period.utc_bounds()
    rows = db.session.execute(
        select(
            User.name,
            func.sum(_given()),
            func.sum(case((Attendance.attended.is_(True), 1), else_=0)),
            func.sum(case((Attendance.attended.is_(True), 0), else_=1)),
        )
        .select_from(Attendance)
        .join(Event, Event.id == Attendance.event_id)
        .join(User, User.id == Attendance.user_id)
        .where(*_counted(start, end))
        .group_by(User.id, User.name)
    )
    found = [
        VolunteerFigures(name, int(m or 0), int(s or 0), int(n or 0)) for name, m, s, n in rows
    ]
    return sorted(found, key=lambda v: (-v.minutes, v.name))


def minutes_per_slice(period: Period, parts: list[Period]) -> list[int]:
    start, end = period.utc_bounds()
    inner = (
        select(_slice_of(Event.starts_at, parts).label("part"), _given().label("given"))
        .select_from(Attendance)
        .join(Event, Event.id == Attendance.event_id)
        .where(*_counted(start, end))
        .subquery()
    )
    totals = [0] * len(parts)
    for part, given in db.session.execute(
        select(inner.c.part, func.sum(inner.c.given)).group_by(inner.c.part)
    ):
        totals[part] += int(given or 0)
    return totals


def home_visits(period: Period, visits: int) -> HomeVisitFigures:
    start, end = period.utc_bounds()
    return HomeVisitFigures(
        visits=visits,
        items=items(period, kind=EventKind.HOME_VISIT),
        measures=homevisits.measures_fitted(start, end),
    )


def figures(period: Period, *, detail: bool = True) -> Figures:
    """Every figure of the report; `detail=False` gives only what the year-on-year
    comparison needs (events by kind, people, items, Speedwatch, hours)."""
    parts = slices(period)
    report = Figures(period=period, slices=parts, kinds=kinds(period, parts))
    report.items = items(period)
    report.sites = sites(period)
    report.volunteers = volunteers(period)
    report.home_visits.visits = report.kind(EventKind.HOME_VISIT).events
    if detail:
        report.themes = themes(period)
        report.wards = wards(period)
        report.minutes_per_slice = minutes_per_slice(period, parts)
        report.home_visits = home_visits(period, report.home_visits.visits)
    return report
