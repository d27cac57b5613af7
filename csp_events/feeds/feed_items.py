"""The items (VEVENTs) of each feed: events, series (RRULE with overrides) and equipment
bookings, as plain FeedEvent values read from the database."""

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, func
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..changes.reads import reading_part
from ..equipment.models import EquipmentBooking, EquipmentItem
from ..equipment.vocabulary import BookingStatus
from ..events.models import Event, EventSeries
from ..events.recurrence import RecurrenceError, occurrences, to_rrule_string
from ..events.vocabulary import EventKind, EventStatus, Theme
from ..extensions import db
from ..places.models import Venue
from ..series.services import pattern_of
from ..signups.models import Signup
from ..signups.vocabulary import SignupStatus
from . import series_reuse
from .event_rows import EventRow, event_marks, event_rows_by_id
from .feed_content import FeedContent
from .ical import FeedEvent

PAST = timedelta(days=92)
AHEAD = timedelta(days=548)

# An Event, or the plain row of one (event_rows.py) that a feed of thousands reads instead.
Shown = Event | EventRow
UrlFor = Callable[[Shown], str]


def window(now: datetime) -> tuple[datetime, datetime]:
    """Feeds cover about 3 months back and 18 months ahead, so they stay small over the years.
    Counted from the start of the (UTC) day: a feed is kept per day, so two builds of it on
    one day from the same data must be the same bytes."""
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return day - PAST, day + AHEAD


def _location(event: Shown) -> str:
    if event.kind == EventKind.HOME_VISIT:
        return event.area  # the postcode district only, never an address
    if event.site is not None:
        return f"{event.site.road}, {event.site.location}"
    if event.venue is not None:
        return f"{event.venue.name}, {event.venue.address}, {event.venue.postcode}"
    return ""


def _summary(event: Shown) -> str:
    if event.kind == EventKind.HOME_VISIT:
        # Titles of visits are typed by people and may name the resident: never publish them.
        return f"Home visit – {event.area}" if event.area else "Home visit"
    return event.title


def event_uid(event_id: int, host: str) -> str:
    return f"event-{event_id}@{host}"


def event_item(
    event: Shown, host: str, url_for_event: UrlFor, now: datetime, **overrides
) -> FeedEvent:
    categories = [event.kind.label] + ([event.theme.label] if event.theme else [])
    site = event.site
    url = url_for_event(event)
    item = FeedEvent(
        uid=event_uid(event.id, host),
        summary=_summary(event),
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        stamp=now,
        last_modified=event.updated_at,
        sequence=event.sequence,
        cancelled=event.status == EventStatus.CANCELLED,
        location=_location(event),
        description=f"{event.kind.label}. Details: {url}",
        url=url,
        categories=categories,
        geo=(site.latitude, site.longitude)
        if site and site.latitude is not None and site.longitude is not None  # set together
        else None,
    )
    return replace(item, **overrides) if overrides else item


def single_event_item(event: Event, host: str, url_for_event: UrlFor, now: datetime) -> FeedEvent:
    """One event as its own download: an occurrence of a series keeps the series' UID and its
    RECURRENCE-ID, exactly as the feeds carry it, so importing it and subscribing never show
    the session twice."""
    series = event.series
    if series is None or event.original_start is None:
        return event_item(event, host, url_for_event, now)
    try:
        starts = {o.starts_at for o in occurrences(pattern_of(series))}
    except RecurrenceError:
        return event_item(event, host, url_for_event, now)
    if event.original_start not in starts:
        return event_item(event, host, url_for_event, now)
    return event_item(
        event,
        host,
        url_for_event,
        now,
        uid=f"series-{series.id}@{host}",
        recurrence_id=event.original_start,
        sequence=max(event.sequence, series.sequence),
    )


def _publishable(event: Event) -> bool:
    return event.is_public and event.kind != EventKind.HOME_VISIT


def series_items(
    series: EventSeries,
    host: str,
    url_for_event: UrlFor,
    now: datetime,
    *,
    public_only: bool = False,
) -> list[FeedEvent]:
    """One master VEVENT with the RRULE, an override for each occurrence changed on its own,
    EXDATE for a date the pattern makes but that has no session, and any session left over
    from an earlier pattern as an event of its own."""
    events = sorted(series.events, key=lambda e: e.original_start or e.starts_at)
    if public_only:
        # A session made private, or turned into a home visit, drops out: its date is excluded.
        events = [e for e in events if _publishable(e)]
    try:
        pattern = pattern_of(series)
        instances = {o.starts_at: o for o in occurrences(pattern)}
        rrule = to_rrule_string(pattern)
    except RecurrenceError:
        return [event_item(e, host, url_for_event, now) for e in events]
    uid = f"series-{series.id}@{host}"
    first_start = min(instances)
    first = instances[first_start]
    by_original = {e.original_start: e for e in events if e.original_start in instances}
    template = _pattern_template(by_original) or (events[0] if events else None)
    if template is None:
        return []
    master = event_item(
        template,
        host,
        url_for_event,
        now,
        uid=uid,
        summary=series.title,
        starts_at=first.starts_at,
        ends_at=first.ends_at,
        sequence=series.sequence,
        last_modified=series.updated_at,
        rrule=rrule,
        exdates=[start for start in instances if start not in by_original],
    )
    items = [master]
    for start, event in by_original.items():
        instance = instances[start]
        unchanged = (
            not event.detached
            and event.is_cancelled == template.is_cancelled
            and (event.starts_at, event.ends_at) == (instance.starts_at, instance.ends_at)
            and event.title == series.title
            and _shown_alike(event, template)
        )
        if not unchanged:
            items.append(
                event_item(
                    event,
                    host,
                    url_for_event,
                    now,
                    uid=uid,
                    recurrence_id=start,
                    sequence=max(event.sequence, series.sequence),
                )
            )
    items += [
        event_item(e, host, url_for_event, now) for e in events if e.original_start not in instances
    ]
    return items


def _pattern_template(by_original: dict[datetime, Event]) -> Event | None:
    """The session whose details the series' master entry shows: the last one on the pattern
    not changed on its own. A series change rewrites the sessions still to come, never the
    past ones, so the first session would keep the old place for ever; a cancelled series
    keeps the sessions that took place (its master is not cancelled: the sessions still to
    come each carry their own cancellation)."""
    kept = [e for e in by_original.values() if not e.detached]
    standing = [e for e in kept if e.status != EventStatus.CANCELLED] or kept
    return max(standing, key=lambda e: e.original_start or e.starts_at) if standing else None


def _shown_alike(event: Event, template: Event) -> bool:
    """Whether a calendar would show the session as the master shows it (apart from its
    times): otherwise it needs an entry of its own (a session before the series moved)."""
    return (
        _location(event) == _location(template)
        and (event.kind, event.theme) == (template.kind, template.theme)
        and event.site_id == template.site_id
    )


def _series_by_id(ids: list[int]) -> list[EventSeries]:
    return list(
        db.session.execute(
            db.select(EventSeries)
            .where(EventSeries.id.in_(ids))
            .options(
                selectinload(EventSeries.events).selectinload(Event.venue),
                selectinload(EventSeries.events).selectinload(Event.site),
            )
        ).scalars()
    )


def _event_options():
    return (selectinload(Event.venue), selectinload(Event.site))


def series_within(start: datetime, end: datetime) -> Select:
    """The series with a session starting before `end` and one ending after `start`: as one
    grouped subquery rather than two EXISTS, which took PostgreSQL over a millisecond to plan
    on every rebuild of the public feed (its series' marks, series_reuse.py), three times what
    it took to run."""
    return (
        db.select(Event.series_id)
        .where(Event.series_id.is_not(None))
        .group_by(Event.series_id)
        .having(func.min(Event.starts_at) < end, func.max(Event.ends_at) > start)
    )


def public_feed(
    kinds: list[EventKind],
    venue_id: int | None,
    now: datetime,
    host: str,
    url_for_event: UrlFor,
    *,
    themes: Sequence[Theme] = (),
    ward: str = "",
) -> FeedContent:
    """The public feed's single events as marks and rows (thousands, see event_rows.py) and
    its series as items."""
    start, end = window(now)
    singles = [
        Event.is_public.is_(True),
        Event.series_id.is_(None),
        Event.kind != EventKind.HOME_VISIT,
        Event.starts_at < end,
        Event.ends_at > start,
    ]
    series_wanted: list[ColumnElement[bool]] = [
        EventSeries.is_public.is_(True),
        EventSeries.id.in_(series_within(start, end)),
    ]
    if kinds:
        singles.append(Event.kind.in_(kinds))
        series_wanted.append(EventSeries.kind.in_(kinds))
    if venue_id:
        singles.append(Event.venue_id == venue_id)
        series_wanted.append(EventSeries.venue_id == venue_id)
    if themes:
        singles.append(Event.theme.in_(themes))
        series_wanted.append(EventSeries.theme.in_(themes))
    if ward:
        singles.append(Event.venue.has(Venue.ward == ward))
        series_wanted.append(EventSeries.venue.has(Venue.ward == ward))
    items = series_reuse.series_items(
        series_wanted,
        load=_series_by_id,
        make=lambda series: series_items(series, host, url_for_event, now, public_only=True),
        made_with=(host, "public"),
        url_for_event=url_for_event,
    )
    return FeedContent(
        event_marks(*singles),
        items,
        rows_of=lambda ids: event_rows_by_id(ids, *singles),
        item_of=lambda row: event_item(row, host, url_for_event, now),
        uid_of=lambda event_id: event_uid(event_id, host),
    )


def place_item(
    event: Event, signup: Signup | None, host: str, url_for_event: UrlFor, now: datetime
) -> FeedEvent:
    """An event as one person's own feed shows it: their waiting-list place as tentative, a
    place they left (or were taken off) as cancelled, otherwise the event itself."""
    if signup is None or signup.status == SignupStatus.CONFIRMED:
        return event_item(event, host, url_for_event, now)
    if signup.status == SignupStatus.WAITLISTED:
        return event_item(
            event,
            host,
            url_for_event,
            now,
            tentative=True,
            summary=f"Waiting list: {_summary(event)}",
        )
    return event_item(
        event,
        host,
        url_for_event,
        now,
        cancelled=True,
        summary=f"Withdrawn: {_summary(event)}",
        last_modified=max(event.updated_at, signup.changed_at),
        sequence=event.sequence + 1,
    )


def own_view(
    user: User, include_everything: bool, event: Event, host: str, url_for_event: UrlFor, now
) -> FeedEvent | None:
    """This event as `user`'s personal feed carries it, or None if that feed does not."""
    signup = next((s for s in event.signups if s.user_id == user.id), None)
    if signup is not None:
        return place_item(event, signup, host, url_for_event, now)
    if include_everything or any(p.id == user.id for p in event.partner_officers):
        return event_item(event, host, url_for_event, now)
    return None


def personal_feed(
    user: User, include_everything: bool, now: datetime, host: str, url_for_event: UrlFor
) -> list[FeedEvent]:
    """The person's sessions (waiting list marked; withdrawn ones as cancelled) and bookings."""
    start, end = window(now)
    owner = user.id
    # Only this person's sign-ups: somebody else signing up does not build this feed again.
    with reading_part(Signup.__tablename__, owner):
        signups = (
            db.session.execute(
                db.select(Signup)
                .join(Signup.event)
                .where(Signup.user_id == owner, Event.starts_at < end, Event.ends_at > start)
                .options(
                    selectinload(Signup.event).selectinload(Event.venue),
                    selectinload(Signup.event).selectinload(Event.site),
                )
            )
            .scalars()
            .all()
        )
    items, seen = [], set()
    for signup in signups:
        seen.add(signup.event_id)
        items.append(place_item(signup.event, signup, host, url_for_event, now))
    others = db.select(Event).where(
        Event.starts_at < end, Event.ends_at > start, Event.id.not_in(seen or {0})
    )
    if not include_everything:
        # A partner officer named as attending sees those events in their own feed.
        others = others.where(Event.partner_officers.any(User.id == user.id))
    items += [
        event_item(e, host, url_for_event, now)
        for e in db.session.execute(others.options(*_event_options())).scalars()
    ]
    bookings = (
        db.select(EquipmentBooking)
        .where(EquipmentBooking.starts_at < end, EquipmentBooking.ends_at > start)
        .options(selectinload(EquipmentBooking.item), selectinload(EquipmentBooking.booked_by))
    )
    if not include_everything:
        bookings = bookings.where(EquipmentBooking.booked_by_id == user.id)
    items += [booking_item(b, host, now) for b in db.session.execute(bookings).scalars()]
    return items


def booking_item(
    booking: EquipmentBooking, host: str, now: datetime, *, show_booker: bool = False
) -> FeedEvent:
    who = f" – {booking.booked_by.name}" if show_booker else ""
    purpose = f" ({booking.purpose})" if booking.purpose else ""
    changed = booking.cancelled_at or booking.created_at
    return FeedEvent(
        uid=f"booking-{booking.id}@{host}",
        summary=f"{booking.item.name} booked{who}{purpose}",
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        stamp=now,
        last_modified=changed,
        sequence=1 if booking.status == BookingStatus.CANCELLED else 0,
        cancelled=booking.status == BookingStatus.CANCELLED,
        location=booking.item.kept_at,
        categories=["Equipment booking"],
    )


def equipment_feed(item: EquipmentItem, now: datetime, host: str) -> list[FeedEvent]:
    start, end = window(now)
    bookings = db.session.execute(
        db.select(EquipmentBooking)
        .where(
            EquipmentBooking.item_id == item.id,
            EquipmentBooking.starts_at < end,
            EquipmentBooking.ends_at > start,
        )
        .options(selectinload(EquipmentBooking.item), selectinload(EquipmentBooking.booked_by))
    ).scalars()
    return [booking_item(b, host, now, show_booker=True) for b in bookings]
