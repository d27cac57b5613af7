"""The public listing's vocabulary: its filters, and the only values it ever shows."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from ..events.vocabulary import EventKind, EventStatus, Theme
from ..places.wards import WARDS

# Home visits are never listed: they are not offered as a filter either.
LISTED_KINDS = tuple(k for k in EventKind if k != EventKind.HOME_VISIT)
TIME_ZONE = "Europe/London"


class Period(StrEnum):
    ALL = "all"
    THIS_WEEK = "this_week"
    NEXT_WEEK = "next_week"
    THIS_MONTH = "this_month"
    NEXT_MONTH = "next_month"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize() if self != Period.ALL else "Any time"


class PublicStatus(StrEnum):
    """What a resident needs to know: on as planned, moved, or called off."""

    SCHEDULED = "scheduled"
    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class ListingFilter:
    kinds: tuple[EventKind, ...] = ()
    themes: tuple[Theme, ...] = ()
    venue_id: int | None = None
    ward: str = ""
    period: Period = Period.ALL

    def feed_args(self) -> dict:
        """The same choice as query arguments of the public feed (it has no period)."""
        args: dict = {}
        if self.kinds:
            args["kind"] = [k.value for k in self.kinds]
        if self.themes:
            args["theme"] = [t.value for t in self.themes]
        if self.venue_id:
            args["venue"] = self.venue_id
        if self.ward:
            args["ward"] = self.ward
        return args

    def query_args(self) -> dict:
        args = self.feed_args()
        if self.period != Period.ALL:
            args["when"] = self.period.value
        return args


def lenient_filter(getlist, get, largest_id: int) -> ListingFilter:
    """A filter from a web page's query string: what cannot be understood is left out."""
    # Each once, however often repeated: the filter is copied into the feed's address, which
    # is drawn as a QR code (a kind repeated 200 times overflowed it).
    listed = {x.value for x in LISTED_KINDS}
    kinds = tuple(EventKind(k) for k in dict.fromkeys(getlist("kind")) if k in listed)
    themes = tuple(
        Theme(t) for t in dict.fromkeys(getlist("theme")) if t in Theme._value2member_map_
    )
    venue = get("venue", "")
    venue_id = (
        int(venue) if venue.isascii() and venue.isdigit() and 0 < int(venue) <= largest_id else None
    )
    ward = get("ward", "")
    when = get("when", "")
    return ListingFilter(
        kinds=kinds,
        themes=themes,
        venue_id=venue_id,
        ward=ward if ward in WARDS else "",
        period=Period(when) if when in Period._value2member_map_ else Period.ALL,
    )


@dataclass(frozen=True)
class PublicPlace:
    """A venue (with its id) or a Speedwatch roadside (id None): nothing private about it."""

    id: int | None
    name: str
    address: str
    postcode: str
    ward: str
    accessibility: str
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class PublicEvent:
    """Everything the public may see of an event, copied out field by field: notes, rosters,
    referrals and residents are never in it."""

    id: int
    title: str
    kind: EventKind
    theme: Theme | None
    status: PublicStatus
    starts_at: datetime
    ends_at: datetime
    previous_start: datetime | None
    place: PublicPlace | None
    what_to_expect: str
    updated_at: datetime
    partners: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class ListingPage:
    events: list[PublicEvent]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def public_status(status: EventStatus, starts_at: datetime, original_start) -> PublicStatus:
    """Cancelled wins; an occurrence moved from the date its series gave it is rescheduled."""
    if status == EventStatus.CANCELLED:
        return PublicStatus.CANCELLED
    if original_start is not None and original_start != starts_at:
        return PublicStatus.RESCHEDULED
    return PublicStatus.SCHEDULED
