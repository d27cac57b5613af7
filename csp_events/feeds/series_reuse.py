"""A feed rebuilt after a change makes a series' VEVENTs again only when a row they are made of
changed.

A series' items (its master with RRULE and EXDATEs, an override per session changed on its
own, and sessions left over from an earlier pattern) are made from the series' row, every
session of it, and those sessions' venues and sites. Loading all of that through the ORM was a
third of a 1,000-event feed's rebuild after one change. The database makes one text per series
of every column of every one of those rows (on PostgreSQL, of their versions: `xmin`), its mark,
as event_rows.py makes one for single events;
a series whose mark is the one its items were made from keeps them. Every column, not only
those shown: a column left out could hide a change, one too many costs a rebuild.

The items are remembered in this process only, by series and by what else they are made of
(the calendar host, where event links point, public sessions only or all).
"""

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import NamedTuple

from sqlalchemy import ColumnElement, FromClause, func

from ..events.models import Event, EventSeries
from ..extensions import db
from ..places.models import SpeedwatchSite, Venue
from .event_rows import inline, marked, row_version, server_started
from .ical import FeedEvent
from .row_reuse import mark_digest

# Series kept per process; a partnership has tens.
KEPT_AT_MOST = 512

_kept: OrderedDict[tuple, tuple[bytes, list[FeedEvent]]] = OrderedDict()


class _Probe(NamedTuple):
    id: int


def _all_columns(table: FromClause) -> ColumnElement[str]:
    text: ColumnElement[str] = inline("")
    for column in table.columns:
        text = text + marked(column) + inline("|")
    return text


def _row_version(table: FromClause) -> ColumnElement[str]:
    return func.coalesce(row_version(table), inline("~")) + inline("|")


def _marks_select(row_text: Callable[[FromClause], ColumnElement[str]], head: ColumnElement[str]):
    """One text per series: `head`, then `row_text` of its row, and of each session's row,
    venue's and site's."""
    # Aliases: a filter on the series (the public feed's series_within subquery, its venue's
    # ward) names the plain tables, which must not be taken for the joined ones.
    session = Event.__table__.alias("session_row")
    venue = Venue.__table__.alias("venue_row")
    site = SpeedwatchSite.__table__.alias("site_row")
    each_session = row_text(session) + row_text(venue) + row_text(site)
    return (
        db.select(
            EventSeries.id,
            row_text(EventSeries.__table__)
            + inline("#")
            + func.aggregate_strings(each_session, ";"),
        )
        .join(session, session.c.series_id == EventSeries.id)
        .outerjoin(venue, session.c.venue_id == venue.c.id)
        .outerjoin(site, session.c.site_id == site.c.id)
        .group_by(EventSeries.id)
    )


# Built once: every column of four tables is hundreds of expression objects. On PostgreSQL the
# rows' versions (event_rows.row_version) stand for their columns.
MARKS = {"postgresql": _marks_select(_row_version, server_started() + inline("|"))}
ANY_DATABASE = _marks_select(_all_columns, inline(""))


def series_items(
    conditions: Sequence[ColumnElement[bool]],
    load: Callable[[list[int]], list[EventSeries]],
    make: Callable[[EventSeries], list[FeedEvent]],
    made_with: tuple,
    url_for_event: Callable,
) -> list[FeedEvent]:
    """The items of every series meeting `conditions`: kept ones where the series' mark is the
    one they were made from, the rest loaded (`load`, by id) and made (`make`). `made_with`
    is what else `make` depends on besides the rows and where event links point."""
    context = (*made_with, url_for_event(_Probe(0)))
    connection = db.session.connection()
    marks = {
        series_id: mark_digest(text)
        for series_id, text in connection.execute(
            MARKS.get(connection.dialect.name, ANY_DATABASE).where(*conditions)
        ).all()
    }
    items: list[FeedEvent] = []
    fresh = []
    for series_id, digest in marks.items():
        kept = _kept.get((series_id, *context))
        if kept is not None and kept[0] == digest:
            _kept.move_to_end((series_id, *context))
            items += kept[1]
        else:
            fresh.append(series_id)
    for series in load(fresh) if fresh else []:
        made = make(series)
        items += made
        _keep((series.id, *context), (marks[series.id], made))
    return items


def _keep(key: tuple, entry: tuple[bytes, list[FeedEvent]]) -> None:
    _kept[key] = entry
    _kept.move_to_end(key)
    while len(_kept) > KEPT_AT_MOST:
        _kept.popitem(last=False)


def forget_all() -> None:
    _kept.clear()


def forget_one() -> None:
    """The series kept longest ago is made again next time."""
    if _kept:
        _kept.popitem(last=False)
