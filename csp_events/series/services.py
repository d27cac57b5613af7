"""Recurring series: create one, change or cancel the whole of it from today on."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy.orm import selectinload
from werkzeug.exceptions import NotFound

from ..auth.models import User
from ..changes.bus import publish
from ..database import unit_of_work
from ..errors import DomainError
from ..events.messages import EventChanged, EventScheduled, EventSnapshot, StatusChanging
from ..events.models import Event, EventSeries, SeriesStatus
from ..events.recurrence import (
    Frequency,
    Occurrence,
    RecurrenceError,
    RecurrencePattern,
    occurrences,
)
from ..events.services import (
    EventFields,
    ScheduleProblems,
    apply_fields,
    bump_sequence_if_changed,
    check_schedulable,
    confirmed_count,
)
from ..events.vocabulary import EventKind, EventStatus
from ..extensions import db
from ..plain_text import one_line
from ..timezones import to_local, utcnow

SERIES_KINDS = (EventKind.SURGERY, EventKind.ROADSHOW, EventKind.POP_UP, EventKind.SPEEDWATCH)


@dataclass
class SeriesPlan:
    pattern: RecurrencePattern
    details: EventFields  # starts_at/ends_at of the first session; the rest follow the pattern


def pattern_of(series: EventSeries) -> RecurrencePattern:
    return RecurrencePattern(
        frequency=Frequency(series.frequency),
        first_day=series.first_day,
        starts_at=series.local_start,
        duration=timedelta(minutes=series.duration_minutes),
        until=series.until,
        count=series.count,
        week_of_month=series.week_of_month,
    )


def plan_occurrences(plan: SeriesPlan) -> list[Occurrence]:
    """Every session of the plan, each checked as if scheduled on its own."""
    if plan.details.kind not in SERIES_KINDS:
        raise ScheduleProblems({"kind": "Home visits are arranged one at a time, not as a series."})
    try:
        sessions = occurrences(plan.pattern)
    except RecurrenceError as error:
        raise ScheduleProblems({"frequency": str(error)}) from None
    now = utcnow()
    for session in sessions:
        try:
            check_schedulable(_fields_for(plan.details, session), now)
        except ScheduleProblems as error:
            field, message = next(iter(error.problems.items()))
            when = f"{session.local_day.day} {session.local_day:%B %Y}"
            raise ScheduleProblems(
                {field: f"The session on {when} cannot be scheduled: {message}"}
            ) from None
    return sessions


def _fields_for(details: EventFields, session: Occurrence) -> EventFields:
    return replace(details, starts_at=session.starts_at, ends_at=session.ends_at)


def _copy_details(series: EventSeries, plan: SeriesPlan) -> None:
    pattern, details = plan.pattern, plan.details
    series.title, series.kind, series.theme = (
        one_line(details.title),
        details.kind,
        details.theme or None,
    )
    series.venue_id = details.venue_id
    series.min_volunteers, series.max_volunteers = details.min_volunteers, details.max_volunteers
    series.partner_agencies = details.partner_agencies
    series.is_public, series.notes = details.is_public, details.notes.strip()
    series.frequency, series.first_day, series.local_start = (
        pattern.frequency,
        pattern.first_day,
        pattern.starts_at,
    )
    series.duration_minutes = int(pattern.duration.total_seconds() // 60)
    series.until, series.count, series.week_of_month = (
        pattern.until,
        pattern.count,
        pattern.week_of_month,
    )


@unit_of_work()
def create_series(plan: SeriesPlan, *, by: User | None = None) -> EventSeries:
    """A series and every one of its sessions, so volunteers can sign up for any of them.

    A Speedwatch series books a speed gun for every session, or is refused as a whole.
    """
    sessions = plan_occurrences(plan)
    series = EventSeries()
    _copy_details(series, plan)
    db.session.add(series)
    events = []
    for session in sessions:
        event = Event(status=EventStatus.PLANNED, series=series, original_start=session.starts_at)
        apply_fields(event, _fields_for(plan.details, session))
        db.session.add(event)
        events.append(event)
    db.session.flush()
    try:
        for event in events:
            publish(EventScheduled(event, by))
    except DomainError:
        db.session.rollback()
        raise
    db.session.commit()
    return series


@unit_of_work()
def update_series(series: EventSeries, plan: SeriesPlan, *, by: User | None = None) -> EventSeries:
    """Change every session from now on that was not changed on its own.

    A session that no longer falls on the pattern is cancelled (kept, so its roster is not
    lost); a new date gets a new session. Past sessions stay as they happened.
    """
    if series.status == SeriesStatus.CANCELLED:
        raise DomainError("This series has been cancelled.")
    now = utcnow()
    today = to_local(now).date()
    # Matched by local date from today on; a session that has already started is left as it was.
    sessions = [s for s in plan_occurrences(plan) if s.local_day >= today]
    upcoming = {
        to_local(e.original_start).date(): e
        for e in series.events
        if e.original_start and to_local(e.original_start).date() >= today
    }
    _refuse_overfilled_rosters(upcoming, sessions, plan)
    _copy_details(series, plan)
    series.sequence += 1
    try:
        _update_occurrences(series, plan, sessions, upcoming, now, by)
    except DomainError:
        db.session.rollback()
        raise
    db.session.commit()
    return series


def _update_occurrences(series, plan, sessions, upcoming: dict, now, by: User | None) -> None:
    for session in sessions:
        event = upcoming.pop(session.local_day, None)
        if event is None:
            if session.starts_at <= now:
                continue
            event = Event(
                status=EventStatus.PLANNED, series=series, original_start=session.starts_at
            )
            db.session.add(event)
            _apply_to_occurrence(event, _fields_for(plan.details, session), session)
            db.session.flush()
            publish(EventScheduled(event, by))
            continue
        if event.detached or event.starts_at <= now:
            continue
        snapshot = EventSnapshot.of(event)
        if event.status == EventStatus.CANCELLED:
            event.status = EventStatus.PLANNED  # back on the pattern: the session is on again
            event.sequence += 1
        _apply_to_occurrence(event, _fields_for(plan.details, session), session)
        db.session.flush()
        publish(EventChanged(event, by, snapshot))
    for leftover in upcoming.values():
        if leftover.starts_at <= now or leftover.detached:
            continue
        if leftover.status != EventStatus.CANCELLED:
            _cancel_occurrence(leftover, by)


def _cancel_occurrence(event: Event, by: User | None) -> None:
    snapshot = EventSnapshot.of(event)
    event.status = EventStatus.CANCELLED
    event.sequence += 1
    db.session.flush()
    publish(EventChanged(event, by, snapshot))


def _refuse_overfilled_rosters(
    upcoming: dict, sessions: list[Occurrence], plan: SeriesPlan
) -> None:
    """A series change may not leave a session with more confirmed volunteers than places."""
    for session in sessions:
        event = upcoming.get(session.local_day)
        if event is None or event.detached:
            continue
        confirmed = confirmed_count(event)
        if plan.details.max_volunteers < confirmed:
            when = f"{session.local_day.day} {session.local_day:%B %Y}"
            raise ScheduleProblems(
                {
                    "max_volunteers": (
                        f"The session on {when} has {confirmed} volunteers signed up; "
                        "remove some from its roster before lowering the most volunteers."
                    )
                }
            )


def _apply_to_occurrence(event: Event, fields: EventFields, session: Occurrence) -> None:
    before = {
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "venue_id": event.venue_id,
        "site_id": event.site_id,
        "title": event.title,
        "status": event.status,
    }
    officers = list(event.partner_officers) if event.id else []
    apply_fields(event, replace(fields, partner_officer_ids=[]))
    event.partner_officers = officers
    event.original_start = session.starts_at
    if event.id is not None:
        bump_sequence_if_changed(event, before)


def cancel_series(series: EventSeries, *, by: User | None = None) -> int:
    """Cancel the series and every session still to come; returns how many were cancelled.
    Once only: again (a page left open) would cancel sessions reinstated since."""
    if series.status == SeriesStatus.CANCELLED:
        raise DomainError("This series has already been cancelled.")
    now = utcnow()
    series.status = SeriesStatus.CANCELLED
    series.sequence += 1
    cancelled = 0
    try:
        for event in series.events:
            if event.starts_at > now and event.status != EventStatus.CANCELLED:
                publish(StatusChanging(event, EventStatus.CANCELLED))
                _cancel_occurrence(event, by)
                cancelled += 1
    except DomainError:
        db.session.rollback()
        raise
    db.session.commit()
    return cancelled


def first_session_time(series: EventSeries) -> datetime | None:
    return series.events[0].starts_at if series.events else None


def series_or_404(series_id: int) -> EventSeries:
    return db.get_or_404(EventSeries, series_id)


def series_with_sessions_or_404(series_id: int) -> EventSeries:
    """The series with its sessions and venue, for its page."""
    series = db.session.execute(
        db.select(EventSeries)
        .where(EventSeries.id == series_id)
        .options(selectinload(EventSeries.events), selectinload(EventSeries.venue))
    ).scalar_one_or_none()
    if series is None:
        raise NotFound()
    return series
