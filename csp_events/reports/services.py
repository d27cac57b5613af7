"""The report's figures: a few GROUP BY passes run by the database (no row-by-row loading).

A report and the year before it (or a year and its quarters) are counted together, one pass
per figure family (aggregation.py); this module adds up the grouped rows into Figures. Every
pass counts an event in the period its start falls in (UTC bounds of local midnights), leaves
cancelled events out, and gives no hours for no-shows: the rules in rules.py.
"""

from datetime import datetime

from sqlalchemy import case, func, select

from ..engagement.models import Attendance, EventOutcome
from ..events.models import Event
from ..events.vocabulary import EventKind, Theme
from ..extensions import db
from ..places.models import SpeedwatchSite
from ..timezones import utcnow
from . import aggregation, homevisits
from .aggregation import Window
from .figures import (
    Figures,
    HomeVisitFigures,
    KindFigures,
    SiteFigures,
    ThemeFigures,
    VolunteerFigures,
)
from .returns import SpeedwatchLogEntry
from .rules import Period, financial_year, quarter, slices, year_before

NO_WARD = "Ward not recorded"


def _kinds(parts: list[Period]) -> dict[EventKind, KindFigures]:
    return {k: KindFigures(k, [0] * len(parts), [0] * len(parts)) for k in EventKind}


def _count_events(windows: list[Window], reports: list[Figures]) -> None:
    """Events by kind and slice, themes and Speedwatch sites: one pass for every period."""
    n = len(reports)
    kinds = [_kinds(r.slices) for r in reports]
    themes: list[dict] = [{} for _ in reports]
    sites: list[dict] = [{} for _ in reports]
    for kind, theme, site_id, road, where, limit, *rest in aggregation.event_rows(windows):
        parts, (events, outcomes, people, checked, over, top) = rest[:n], rest[n:]
        kind = EventKind(kind)
        for i, part in enumerate(parts):
            if part is None:
                continue
            entry = kinds[i][kind]
            entry.per_slice[part] += events
            entry.people_per_slice[part] += int(people)
            entry.with_outcome += outcomes
            theme_sums = themes[i].setdefault(theme, [0, 0])
            theme_sums[0] += events
            theme_sums[1] += int(people)
            if kind == EventKind.SPEEDWATCH and site_id is not None:
                _add_site(
                    sites[i], site_id, road, where, limit, events, outcomes, checked, over, top
                )
    for report, by_kind, by_theme, by_site in zip(reports, kinds, themes, sites, strict=True):
        report.kinds = list(by_kind.values())
        found = [ThemeFigures(Theme(t) if t else None, e, p) for t, (e, p) in by_theme.items()]
        report.themes = sorted(found, key=lambda f: (-f.events, f.theme is None, f.theme or ""))
        report.sites = sorted(by_site.values(), key=lambda s: (-s.sessions, s.name))


def _add_site(sites: dict, site_id, road, where, limit, events, outcomes, checked, over, top):
    site = sites.setdefault(site_id, SiteFigures(f"{road} ({where})", limit, 0, 0, 0, 0, None))
    site.sessions += events
    site.with_outcome += outcomes
    site.checked += int(checked)
    site.over += int(over)
    if top is not None and (site.highest is None or top > site.highest):
        site.highest = top


def _count_hand_outs(windows: list[Window], reports: list[Figures]) -> None:
    """Items handed out, by item, by ward, and at home visits: one pass for every period."""
    items: list[dict] = [{} for _ in reports]
    at_visits: list[dict] = [{} for _ in reports]
    wards: list[dict] = [{} for _ in reports]
    for item_id, name, kind, ward, *per_window in aggregation.hand_out_rows(windows):
        for i, handed in enumerate(per_window):
            handed = int(handed or 0)
            if not handed:
                continue
            items[i][item_id, name] = items[i].get((item_id, name), 0) + handed
            if kind == EventKind.HOME_VISIT:
                at_visits[i][item_id, name] = at_visits[i].get((item_id, name), 0) + handed
            # No venue (None) and no ward ("") are one group.
            wards[i][ward or NO_WARD] = wards[i].get(ward or NO_WARD, 0) + handed
    for report, by_item, by_visit, by_ward in zip(reports, items, at_visits, wards, strict=True):
        report.items = _most_first(by_item)
        report.home_visits.items = _most_first(by_visit)
        found = [(w, total) for w, total in by_ward.items() if total]
        report.wards = sorted(found, key=lambda r: (r[0] == NO_WARD, -r[1], r[0]))


def _most_first(by_item: dict) -> list[tuple[str, int]]:
    found = [(name, total) for (_, name), total in by_item.items() if total]
    return sorted(found, key=lambda r: (-r[1], r[0]))


def _count_attendance(windows: list[Window], reports: list[Figures]) -> None:
    """Volunteers' hours, sessions and no-shows, and hours by slice: one pass for every period."""
    n = len(reports)
    people: list[dict] = [{} for _ in reports]
    minutes = [[0] * len(r.slices) for r in reports]
    for user_id, name, *rest in aggregation.attendance_rows(windows):
        parts, (given, came, missed) = rest[:n], rest[n:]
        for i, part in enumerate(parts):
            if part is None:
                continue
            sums = people[i].setdefault(user_id, [name, 0, 0, 0])
            sums[1] += int(given or 0)
            sums[2] += int(came or 0)
            sums[3] += int(missed or 0)
            minutes[i][part] += int(given or 0)
    for report, by_person, per_slice in zip(reports, people, minutes, strict=True):
        found = [VolunteerFigures(*sums) for sums in by_person.values()]
        report.volunteers = sorted(found, key=lambda v: (-v.minutes, v.name))
        report.minutes_per_slice = per_slice


def _gather(periods: list[Period], detail: list[bool]) -> list[Figures]:
    """The figures of several periods, one query per figure family whatever their number.
    Without detail a period gets only what a comparison needs (events by kind, people, items,
    Speedwatch, hours): no themes, wards, hours by slice or home-visit breakdown."""
    now = utcnow()
    reports = [Figures(period=p, slices=slices(p), kinds=[]) for p in periods]
    windows = [aggregation.window(r.period, r.slices, now) for r in reports]
    _count_events(windows, reports)
    _count_hand_outs(windows, reports)
    _count_attendance(windows, reports)
    for report, detailed in zip(reports, detail, strict=True):
        visits = report.kind(EventKind.HOME_VISIT).events
        if detailed:
            start, end = report.period.utc_bounds()
            items = report.home_visits.items
            report.home_visits = HomeVisitFigures(
                visits, items, homevisits.measures_fitted(start, end)
            )
        else:
            report.themes, report.wards, report.minutes_per_slice = [], [], []
            report.home_visits = HomeVisitFigures(visits=visits)
    return reports


def figures(period: Period, *, detail: bool = True) -> Figures:
    """Every figure of the report; `detail=False` gives only what the year-on-year
    comparison needs (events by kind, people, items, Speedwatch, hours)."""
    return _gather([period], [detail])[0]


def figures_with_year_before(period: Period) -> tuple[Figures, Figures]:
    """The report's figures and, for comparison, the same days a year earlier: both periods
    counted together, one query per figure family."""
    report, before = _gather([period, year_before(period)], [True, False])
    return report, before


def first_year_with_events() -> datetime | None:
    return db.session.scalar(select(func.min(Event.starts_at)))


def speedwatch_log(period: Period) -> list[SpeedwatchLogEntry]:
    """Every Speedwatch session held in the period with its counts, in one query; volunteers
    are those the outcome says came (no names: the police get numbers)."""
    held = aggregation.window(period, [period], utcnow())
    team = (
        select(
            Attendance.event_id.label("event_id"),
            func.count().label("recorded"),
            func.sum(case((Attendance.attended.is_(True), 1), else_=0)).label("came"),
        )
        .group_by(Attendance.event_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Event.starts_at,
            Event.ends_at,
            SpeedwatchSite.road,
            SpeedwatchSite.location,
            SpeedwatchSite.speed_limit,
            team.c.came,
            EventOutcome.vehicles_checked,
            EventOutcome.vehicles_over_threshold,
            EventOutcome.threshold_mph,
            EventOutcome.highest_speed_mph,
            EventOutcome.weather,
        )
        .join(SpeedwatchSite, SpeedwatchSite.id == Event.site_id)
        .outerjoin(EventOutcome, EventOutcome.event_id == Event.id)
        .outerjoin(team, team.c.event_id == Event.id)
        .where(Event.kind == EventKind.SPEEDWATCH, *aggregation.counted([held]))
        .order_by(Event.starts_at, Event.id)
    )
    return [
        SpeedwatchLogEntry(
            row.starts_at,
            row.ends_at,
            f"{row.road} ({row.location})",
            row.speed_limit,
            None if row.came is None else int(row.came),
            row.vehicles_checked,
            row.vehicles_over_threshold,
            row.threshold_mph,
            row.highest_speed_mph,
            row.weather,
        )
        for row in rows
    ]


def quarterly_return(start_year: int) -> tuple[list[Figures], Figures]:
    """The headline figures of each quarter of a financial year, and of the whole year, all
    counted together (one query per figure family)."""
    periods = [quarter(start_year, n) for n in range(1, 5)] + [financial_year(start_year)]
    *quarters, whole = _gather(periods, [False] * len(periods))
    return quarters, whole
