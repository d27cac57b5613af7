"""Single events as plain rows, for the feeds that carry thousands of them: only the columns a
VEVENT shows, in one query with its venue and site, no ORM objects to build or track."""

from datetime import datetime
from typing import NamedTuple

from ..events.models import Event
from ..events.vocabulary import EventKind, EventStatus, Theme
from ..extensions import db
from ..places.models import SpeedwatchSite, Venue


class VenueShown(NamedTuple):
    name: str
    address: str
    postcode: str


class SiteShown(NamedTuple):
    road: str
    location: str
    latitude: float | None
    longitude: float | None


class EventRow(NamedTuple):
    """What feed_items.event_item reads of an Event, and nothing else (a tuple: ten thousand
    are made in a few milliseconds)."""

    id: int
    kind: EventKind
    theme: Theme | None
    title: str
    area: str
    starts_at: datetime
    ends_at: datetime
    updated_at: datetime
    sequence: int
    status: EventStatus
    venue: VenueShown | None
    site: SiteShown | None


_COLUMNS = (
    Event.id,
    Event.kind,
    Event.theme,
    Event.title,
    Event.area,
    Event.starts_at,
    Event.ends_at,
    Event.updated_at,
    Event.sequence,
    Event.status,
    Venue.id,
    Venue.name,
    Venue.address,
    Venue.postcode,
    SpeedwatchSite.id,
    SpeedwatchSite.road,
    SpeedwatchSite.location,
    SpeedwatchSite.latitude,
    SpeedwatchSite.longitude,
)


def event_rows(*conditions) -> list[EventRow]:
    """The events meeting `conditions`, in no particular order (a feed puts its VEVENTs in
    order itself)."""
    query = (
        db.select(*_COLUMNS)
        .outerjoin(Venue, Event.venue_id == Venue.id)
        .outerjoin(SpeedwatchSite, Event.site_id == SpeedwatchSite.id)
        .where(*conditions)
    )
    # On the session's connection, not through the ORM: these are plain columns, and the ORM's
    # handling of each row cost more than reading it.
    return [_row(*columns) for columns in db.session.connection().execute(query)]


def _row(
    event_id, kind, theme, title, area, starts_at, ends_at, updated_at, sequence, status,
    venue_id, name, address, postcode, site_id, road, location, latitude, longitude,
) -> EventRow:  # fmt: skip
    return EventRow(
        event_id,
        kind,
        theme,
        title,
        area,
        starts_at,
        ends_at,
        updated_at,
        sequence,
        status,
        VenueShown(name, address, postcode) if venue_id is not None else None,
        SiteShown(road, location, latitude, longitude) if site_id is not None else None,
    )
