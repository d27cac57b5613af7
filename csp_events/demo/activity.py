"""Loads the demo's past activity: last financial year in full (demo.history), this year so
far, stock deliveries and hand-outs, and outcomes for the recent demo events."""

from collections.abc import Callable
from datetime import date, time, timedelta

from sqlalchemy import select

from ..auth.models import User
from ..engagement.models import Attendance, EventOutcome
from ..engagement.rules import enforcement_threshold
from ..engagement.vocabulary import Audience, OutcomeSource
from ..events.models import Event
from ..events.vocabulary import EventKind, EventStatus, Theme
from ..extensions import db
from ..places.models import SpeedwatchSite, Venue
from ..reports.rules import financial_year_of
from ..signups.models import Signup
from ..signups.vocabulary import SignupStatus
from ..stock import services as stock
from ..stock.models import StockItem
from ..timezones import local_to_utc, utcnow
from . import history as h
from .stock import COUNCIL, ITEMS, PFCC


def load_activity(
    today: date,
    coordinator: User,
    volunteers: list[User],
    venues: dict[str, Venue],
    sites: list[SpeedwatchSite],
) -> None:
    items = _stock_items()
    year = financial_year_of(today)
    place = _Places(venues, {s.road: s for s in sites}, items, volunteers, coordinator)
    for fy, scale, before in ((year - 1, 1.0, None), (year, 1.1, today - timedelta(days=45))):
        for name, quantity in _needed().items():
            funder = PFCC if name != "Carbon monoxide detectors" else COUNCIL
            stock.record_delivery(
                items[name],
                quantity + 20,
                funder=funder,
                delivered_at=local_to_utc(date(fy, 4, 1), time(12)),
                by=coordinator,
            )
        _year(fy, scale, before, place)
    _recent_outcomes(today, coordinator, items)
    for name, left in (("Purse bells", 18), ("Carbon monoxide detectors", 3)):
        stock.record_count(items[name], left, reason="Stock count at the Town Hall", by=coordinator)


def _stock_items() -> dict[str, StockItem]:
    items = {}
    for name, description, low in ITEMS:
        items[name] = StockItem(name=name, description=description, low_stock_level=low)
        db.session.add(items[name])
    db.session.commit()
    return items


def _needed() -> dict[str, int]:
    """What one year of the history table hands out, item by item (plus 10% for growth)."""
    totals: dict[str, int] = {}

    def add(handed: dict[str, int]) -> None:
        for name, n in handed.items():
            totals[name] = totals.get(name, 0) + n

    for venue, _day, _who, people in h.SURGERIES:
        add({h.LEAFLETS: sum(p for p in people if p), h.PENS: 12 * h.SURGERY_PENS.get(venue, 0)})
    for pop_up in h.POP_UPS:
        add(pop_up[6])
    for roadshow in h.ROADSHOWS:
        add(roadshow[7])
    for visit in h.HOME_VISITS:
        add(visit[3])
    return {name: round(n * 1.1) + 10 for name, n in totals.items()}


class _Places:
    def __init__(self, venues, sites, items, volunteers, coordinator):
        self.venues, self.sites, self.items = venues, sites, items
        self.volunteers, self.coordinator = volunteers, coordinator


def _day(fy: int, month: int, day: int) -> date:
    calendar_month = (3 + month) % 12 + 1
    return date(fy if calendar_month >= 4 else fy + 1, calendar_month, day)


Wanted = Callable[[date], bool]


def _year(fy: int, scale: float, before: date | None, p: _Places) -> None:
    def wanted(day: date) -> bool:
        return before is None or day < before

    _surgeries(fy, scale, wanted, p)
    _pop_ups(fy, scale, wanted, p)
    _roadshows(fy, scale, wanted, p)
    _speedwatch(fy, wanted, p)
    _home_visits(fy, wanted, p)
    _cancelled(fy, wanted, p)
    stock.commit_hand_outs()


def _surgeries(fy: int, scale: float, wanted: Wanted, p: _Places) -> None:
    for venue, day_of_month, who, monthly in h.SURGERIES:
        for month, count in enumerate(monthly):
            day = _day(fy, month, day_of_month)
            if count is None or not wanted(day):
                continue
            handed = {h.LEAFLETS: round(count * scale)}
            if h.SURGERY_PENS.get(venue):
                handed[h.PENS] = h.SURGERY_PENS[venue]
            title = f"Neighbourhood Watch surgery – {venue.replace('Brentwood ', '')}"
            event = _event(
                EventKind.SURGERY, title, Theme.GENERAL, day, time(10), 2, venue=p.venues[venue]
            )
            _outcome(event, p, round(count * scale), handed, (who,), ())


def _pop_ups(fy: int, scale: float, wanted: Wanted, p: _Places) -> None:
    for month, d, title, theme, venue, people, handed, team, absent in h.POP_UPS:
        day = _day(fy, month, d)
        if wanted(day):
            event = _event(EventKind.POP_UP, title, theme, day, time(10), 3, venue=p.venues[venue])
            _outcome(event, p, round(people * scale), handed, team, absent, Audience.PUBLIC)


def _roadshows(fy: int, scale: float, wanted: Wanted, p: _Places) -> None:
    for month, d, title, theme, venue, audience, people, handed, team in h.ROADSHOWS:
        day = _day(fy, month, d)
        if wanted(day):
            event = _event(
                EventKind.ROADSHOW, title, theme, day, time(13, 30), 2, venue=p.venues[venue]
            )
            _outcome(event, p, round(people * scale), handed, team, (), audience)


def _speedwatch(fy: int, wanted: Wanted, p: _Places) -> None:
    for month, d, road, checked, over, top, weather, team, absent in h.SPEEDWATCH:
        day = _day(fy, month, d)
        if wanted(day):
            site = p.sites[road]
            event = _event(
                EventKind.SPEEDWATCH,
                f"Speedwatch – {road}",
                Theme.ROAD_SAFETY,
                day,
                time(10),
                1.5,
                site=site,
            )
            outcome = _outcome(event, p, 0, {}, team, absent)
            outcome.threshold_mph = enforcement_threshold(site.speed_limit)
            outcome.vehicles_checked, outcome.vehicles_over_threshold = checked, over
            outcome.highest_speed_mph, outcome.weather = top, weather


def _home_visits(fy: int, wanted: Wanted, p: _Places) -> None:
    for month, d, area, handed, who in h.HOME_VISITS:
        day = _day(fy, month, d)
        if wanted(day):
            event = _event(EventKind.HOME_VISIT, "Home visit", None, day, time(14), 1, area=area)
            _outcome(event, p, 0, handed, (who,), ())


def _cancelled(fy: int, wanted: Wanted, p: _Places) -> None:
    for month, d, title, theme, venue in h.CANCELLED:
        day = _day(fy, month, d)
        if wanted(day):
            event = _event(EventKind.POP_UP, title, theme, day, time(10), 3, venue=p.venues[venue])
            event.status = EventStatus.CANCELLED


def _event(kind, title, theme, day, starts, hours, *, venue=None, site=None, area="") -> Event:
    starts_at = local_to_utc(day, starts)
    event = Event(
        title=title,
        kind=kind,
        theme=theme,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        status=EventStatus.COMPLETED,
        venue_id=venue.id if venue else None,
        site_id=site.id if site else None,
        area=area,
        min_volunteers=1,
        max_volunteers=4,
        is_public=kind != EventKind.HOME_VISIT,
    )
    db.session.add(event)
    db.session.flush()
    return event


def _outcome(event, p: _Places, people, handed, team, absent, audience=None) -> EventOutcome:
    minutes = int((event.ends_at - event.starts_at).total_seconds() // 60)
    for index in team:
        person = p.volunteers[index]
        db.session.add(Signup(event_id=event.id, user_id=person.id, status=SignupStatus.CONFIRMED))
        came = index not in absent
        db.session.add(
            Attendance(
                event_id=event.id, user_id=person.id, attended=came, minutes=minutes if came else 0
            )
        )
    outcome = EventOutcome(
        event_id=event.id,
        people_engaged=people,
        audience=audience,
        source=OutcomeSource.RECORDED,
        recorded_by_id=p.coordinator.id,
    )
    db.session.add(outcome)
    stock.hand_out_for_event(
        event, {p.items[name].id: n for name, n in handed.items()}, by=p.coordinator
    )
    return outcome


def _recent_outcomes(today: date, coordinator: User, items: dict[str, StockItem]) -> None:
    """The demo's own recent events get outcomes, except the latest two (the dashboard shows
    what it looks like when an outcome is missing)."""
    now = utcnow()
    recent = (
        db.session.execute(
            select(Event)
            .outerjoin(EventOutcome, EventOutcome.event_id == Event.id)
            .where(
                EventOutcome.id.is_(None),
                Event.status != EventStatus.CANCELLED,
                Event.ends_at < now,
            )
            .order_by(Event.starts_at)
        )
        .scalars()
        .all()
    )
    for event in recent[:-2]:
        people = 6 + event.id % 9
        db.session.add(
            EventOutcome(event_id=event.id, people_engaged=people, recorded_by_id=coordinator.id)
        )
        event.status = EventStatus.COMPLETED
        stock.hand_out_for_event(event, {items[h.LEAFLETS].id: people}, by=coordinator)
    stock.commit_hand_outs()
