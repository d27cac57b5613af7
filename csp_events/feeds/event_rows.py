"""Single events as plain rows, for the feeds that carry thousands of them: only the columns a
VEVENT shows, in one query with its venue and site, no ORM objects to build or track. A feed
built again first reads each row's marks (its id and one text of all those columns), and then
the full rows of only those whose marks are new to it."""

from collections.abc import Collection
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import ColumnElement, FromClause, Text, cast, func, literal_column

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


class RowMark(NamedTuple):
    """One event's id and a text that changes whenever any column its VEVENT shows does (on
    PostgreSQL, whenever its row, its venue's or its site's is written)."""

    id: int
    text: str


def inline(constant: str) -> ColumnElement[str]:
    """A constant written into the SQL itself: as a bound parameter, each one was sent and
    bound again on every execution (the marks queries have hundreds)."""
    if "'" in constant:
        raise ValueError(f"not a plain constant: {constant!r}")
    return literal_column(f"'{constant}'", Text)


def marked(column):
    """`length:value`, or `~` for NULL: no two different rows make the same text (a `|` in a
    title cannot pass for the border between two columns)."""
    as_text = cast(column, Text)
    return func.coalesce(cast(func.length(as_text), Text) + inline(":") + as_text, inline("~"))


def row_version(table: FromClause) -> ColumnElement[str]:
    """PostgreSQL's own mark of a row: `xmin`, the transaction that wrote its current version.
    Any write to the row (an UPDATE from anywhere, raw SQL too) gives it a new one, and reading
    it costs the database nothing, where making the text of every column took most of the marks
    query (8 ms of 13 for a 1,000-event feed). A row locked or only read keeps it."""
    return cast(literal_column(f"{table.description}.xmin"), Text)


def server_started() -> ColumnElement[str]:
    """When this PostgreSQL server started, read once per query: a row's version is unique only
    within one server's history (a backup restored into a new cluster numbers its transactions
    from the start again), so a mark carries the server it was read from."""
    return db.select(cast(func.pg_postmaster_start_time(), Text)).scalar_subquery()


def _row_text():
    text = marked(_COLUMNS[0])
    for column in _COLUMNS[1:]:
        text = text + inline("|") + marked(column)
    return text


def _select(*columns):
    return (
        db.select(*columns)
        .outerjoin(Venue, Event.venue_id == Venue.id)
        .outerjoin(SpeedwatchSite, Event.site_id == SpeedwatchSite.id)
    )


def _marks_select():
    return _select(Event.id, _row_text())


def _versions_select():
    """The marks on PostgreSQL: the versions of the event's row, its venue's and its site's."""
    text = server_started() + inline("|") + row_version(Event.__table__)
    for table in (Venue.__table__, SpeedwatchSite.__table__):
        text = text + inline("|") + func.coalesce(row_version(table), inline("~"))
    return _select(Event.id, text)


# Built once: nineteen casts and concatenations are hundreds of expression objects.
MARKS = {"postgresql": _versions_select()}
ANY_DATABASE = _marks_select()


def event_marks(*conditions) -> list[RowMark]:
    """The marks of the events meeting `conditions`, in no particular order: two short columns
    made by the database, where the full rows cost turning four dates and three names per row
    into Python values (most of a 1,000-event feed's rebuild after one change)."""
    connection = db.session.connection()
    query = MARKS.get(connection.dialect.name, ANY_DATABASE).where(*conditions)
    return [RowMark(*columns) for columns in connection.execute(query).all()]


def event_rows(*conditions) -> list[EventRow]:
    """The events meeting `conditions`, in no particular order (a feed puts its VEVENTs in
    order itself)."""
    # On the session's connection, not through the ORM: these are plain columns, and the ORM's
    # handling of each row cost more than reading it.
    result = db.session.connection().execute(_select(*_COLUMNS).where(*conditions))
    return [_row(*columns) for columns in result.all()]


# Beyond this many, the rows are found by the feed's own conditions and kept by id: a cold
# build's IN list of thousands of ids cost more than reading the feed again.
BY_ID_AT_MOST = 500


def event_rows_by_id(ids: Collection[int], *conditions) -> list[EventRow]:
    """The rows of these events that still meet `conditions`."""
    if len(ids) > BY_ID_AT_MOST:
        wanted = set(ids)
        return [row for row in event_rows(*conditions) if row.id in wanted]
    return event_rows(Event.id.in_(ids), *conditions) if ids else []


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
