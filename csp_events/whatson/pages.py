"""What each public page shows, assembled from the one listing query (see services)."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from flask import url_for
from markupsafe import escape

from ..changes.services import current_version
from ..events.vocabulary import Theme
from . import services
from .jsonld import event_json_ld, open_graph
from .listing import LISTED_KINDS, ListingFilter, ListingPage, Period, PublicEvent, PublicPlace
from .rules import map_link

EMBED_LIMIT = 10


class EmbedTheme(StrEnum):
    LIGHT = "light"
    DARK = "dark"


class EmbedAccent(StrEnum):
    """Link colours a council site can match; named, because inline styles are refused."""

    BLUE = "blue"
    GREEN = "green"
    PURPLE = "purple"
    BLACK = "black"


@dataclass(frozen=True)
class Choices:
    kinds: tuple = LISTED_KINDS
    themes: tuple = tuple(Theme)
    periods: tuple = tuple(Period)
    venues: tuple[PublicPlace, ...] = ()
    wards: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListingView:
    filters: ListingFilter
    page: ListingPage
    choices: Choices
    feed_url: str
    feed_name: str

    def page_url(self, number: int) -> str:
        return url_for("whatson.listing", page=number, **self.filters.query_args())


def _choices(now: datetime) -> Choices:
    venues = tuple(services.listed_venues(now))
    return Choices(venues=venues, wards=tuple(sorted({v.ward for v in venues if v.ward})))


def feed_name(filters: ListingFilter) -> str:
    parts = [k.plural_label for k in filters.kinds] + [t.label for t in filters.themes]
    return "Public events" + (f": {', '.join(parts)}" if parts else "")


def listing_view(filters: ListingFilter, now: datetime, page: int, per_page: int) -> ListingView:
    return ListingView(
        filters,
        services.listing_page(filters, now, page, per_page),
        _choices(now),
        url_for("feeds.public_feed", _external=True, **filters.feed_args()),
        feed_name(filters),
    )


@dataclass(frozen=True)
class EventView:
    event: PublicEvent
    url: str
    map_url: str
    json_ld: dict
    open_graph: dict
    feed_url: str
    kind_feed_url: str
    # The change log's version the page shows (or something newer).
    version: str


def event_view(event_id: int, now: datetime, partnership: str) -> EventView | None:
    version = current_version()
    event = services.public_event(event_id, now)
    if event is None:
        return None
    url = url_for("whatson.event_page", event_id=event.id, _external=True)
    place = event.place
    return EventView(
        event,
        url,
        map_link(place.latitude, place.longitude) if place else "",
        event_json_ld(event, url, partnership, url_for("whatson.listing", _external=True)),
        open_graph(event, url, f"{partnership} events"),
        url_for("feeds.public_feed", _external=True),
        url_for("feeds.public_feed", kind=event.kind.value, _external=True),
        version,
    )


def calendar_file(event_id: int, now: datetime, url_for_event: Callable) -> bytes | None:
    found = services.public_calendar_file(event_id, now, url_for_event)
    return found[1] if found else None


def _choice(enum, value: str | None, default):
    return enum(value) if value in enum._value2member_map_ else default


def embed_args(filters: ListingFilter, args: Mapping) -> dict:
    """The embed's address arguments: the filters and its look."""
    look = {
        "theme": _choice(EmbedTheme, args.get("theme"), EmbedTheme.LIGHT).value,
        "accent": _choice(EmbedAccent, args.get("accent"), EmbedAccent.BLUE).value,
    }
    return {**filters.query_args(), **look}


@dataclass(frozen=True)
class EmbedView:
    events: list[PublicEvent]
    theme: EmbedTheme
    accent: EmbedAccent
    more_url: str


def embed_view(filters: ListingFilter, now: datetime, args: Mapping) -> EmbedView:
    return EmbedView(
        services.upcoming(filters, now, EMBED_LIMIT),
        _choice(EmbedTheme, args.get("theme"), EmbedTheme.LIGHT),
        _choice(EmbedAccent, args.get("accent"), EmbedAccent.BLUE),
        url_for("whatson.listing", _external=True, **filters.query_args()),
    )


@dataclass(frozen=True)
class SnippetView:
    filters: ListingFilter
    embed_url: str
    snippet: str
    choices: Choices
    theme: EmbedTheme
    accent: EmbedAccent
    themes: tuple = tuple(EmbedTheme)
    accents: tuple = tuple(EmbedAccent)


def snippet_view(filters: ListingFilter, now: datetime, embed_url: str, args: Mapping):
    snippet = (
        f'<iframe src="{escape(embed_url)}" title="Community safety events near you" '
        'width="100%" height="600" loading="lazy" style="border:0"></iframe>'
    )
    return SnippetView(
        filters,
        embed_url,
        snippet,
        _choices(now),
        _choice(EmbedTheme, args.get("theme"), EmbedTheme.LIGHT),
        _choice(EmbedAccent, args.get("accent"), EmbedAccent.BLUE),
    )
