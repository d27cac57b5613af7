"""The public listing: ONE query decides what the public may see; everything public (the
"What's on" pages, the embed, the API, their calendar files) is built on it."""

import sys
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Select, func, or_
from sqlalchemy.orm import selectinload

from ..changes.derived import DerivedValues, code_digest
from ..changes.services import current_version
from ..events.models import Event, EventSeries
from ..events.vocabulary import EventKind
from ..extensions import db
from ..feeds.services import public_event_file
from ..places.models import Venue
from . import listing, rules
from .listing import ListingFilter, ListingPage, PublicEvent, PublicPlace, public_status
from .rules import period_window, what_to_expect


def publicly_listed(filters: ListingFilter, now: datetime) -> Select:
    """Public events, never home visits, not over yet (a cancelled one stays, marked, until
    it would have ended), in a series only if the series is public too. The privacy rules are
    here and nowhere else: callers can narrow this query but not widen it."""
    query = (
        db.select(Event)
        .where(
            Event.is_public.is_(True),
            Event.kind != EventKind.HOME_VISIT,
            Event.referral_id.is_(None),
            Event.ends_at > now,
            or_(
                Event.series_id.is_(None),
                Event.series.has(EventSeries.is_public.is_(True)),
            ),
        )
        .order_by(Event.starts_at, Event.id)
    )
    if filters.kinds:
        query = query.where(Event.kind.in_(filters.kinds))
    if filters.themes:
        query = query.where(Event.theme.in_(filters.themes))
    if filters.venue_id:
        query = query.where(Event.venue_id == filters.venue_id)
    if filters.ward:
        query = query.where(Event.venue.has(Venue.ward == filters.ward))
    start, end = period_window(filters.period, now)
    if start is not None:
        query = query.where(Event.starts_at >= start)
    if end is not None:
        query = query.where(Event.starts_at < end)
    return query


# What is kept for an event the public may not see (the cache's None means "not kept").
NOT_LISTED = "not listed"
# Public events as their pages show them, under the code deciding what the public sees and
# its shape: an entry serves until the next change; one nobody asks for goes after an hour.
EVENTS = DerivedValues(
    "public-event", code_digest(sys.modules[__name__], listing, rules), 3600, in_process=512
)


def _place(event: Event) -> PublicPlace | None:
    if event.site is not None:
        site = event.site
        return PublicPlace(
            None, site.road, site.location, "", "", "", site.latitude, site.longitude
        )
    venue = event.venue
    if venue is None:
        return None
    return PublicPlace(
        venue.id,
        venue.name,
        venue.address,
        venue.postcode,
        venue.ward,
        venue.accessibility,
        venue.latitude,
        venue.longitude,
    )


def _public(event: Event) -> PublicEvent:
    moved = event.original_start if event.original_start != event.starts_at else None
    return PublicEvent(
        id=event.id,
        title=event.title,
        kind=event.kind,
        theme=event.theme,
        status=public_status(event.status, event.starts_at, event.original_start),
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        previous_start=moved,
        place=_place(event),
        what_to_expect=what_to_expect(event.kind, event.theme),
        updated_at=event.updated_at,
        partners=tuple(a.label for a in event.partner_agencies),
    )


def _with_places(query: Select) -> Select:
    return query.options(selectinload(Event.venue), selectinload(Event.site))


def listing_page(filters: ListingFilter, now: datetime, page: int, per_page: int) -> ListingPage:
    """One page of the listing, soonest first, and how many there are in all."""
    query = publicly_listed(filters, now)
    total = db.session.execute(
        db.select(func.count()).select_from(query.order_by(None).subquery())
    ).scalar_one()
    rows = db.session.execute(
        _with_places(query).limit(per_page).offset((page - 1) * per_page)
    ).scalars()
    return ListingPage([_public(e) for e in rows], page, per_page, total)


def upcoming(filters: ListingFilter, now: datetime, limit: int) -> list[PublicEvent]:
    rows = db.session.execute(_with_places(publicly_listed(filters, now)).limit(limit)).scalars()
    return [_public(e) for e in rows]


def _listed_event(event_id: int, now: datetime) -> Event | None:
    query = publicly_listed(ListingFilter(), now).where(Event.id == event_id)
    return db.session.execute(_with_places(query)).scalar_one_or_none()


def public_event(event_id: int, now: datetime) -> PublicEvent | None:
    """A listed event as the public may see it. Kept in the shared cache for each version of
    the data, so an event's page costs no query while nothing changes: of what decides it,
    only "not over yet" moves with the clock, and only one way (an event over stays over),
    so that alone is checked again on every read. The version is the feeds' (changes.
    services.current_version): another worker's edit shows here within its two seconds."""
    found = EVENTS.get(str(event_id), current_version(), lambda: _public_or_not(event_id, now))
    return found if isinstance(found, PublicEvent) and found.ends_at > now else None


def _public_or_not(event_id: int, now: datetime) -> PublicEvent | str:
    event = _listed_event(event_id, now)
    return _public(event) if event is not None else NOT_LISTED


def public_calendar_file(
    event_id: int, now: datetime, url_for_event: Callable
) -> tuple[PublicEvent, bytes] | None:
    """A listed event as .ics, with the UID and SEQUENCE the public feed gives it."""
    event = _listed_event(event_id, now)
    if event is None:
        return None
    return _public(event), public_event_file(event)


def listed_venues(now: datetime) -> list[PublicPlace]:
    """Venues holding at least one listed event: the only places the public is told about."""
    listed = publicly_listed(ListingFilter(), now).order_by(None).subquery()
    venues = db.session.execute(
        db.select(Venue)
        .where(Venue.id.in_(db.select(listed.c.venue_id).where(listed.c.venue_id.is_not(None))))
        .order_by(Venue.name)
    ).scalars()
    return [
        PublicPlace(
            v.id, v.name, v.address, v.postcode, v.ward, v.accessibility, v.latitude, v.longitude
        )
        for v in venues
    ]
