"""Building iCalendar (RFC 5545) text from plain values; no Flask, no database."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from icalendar import Calendar, Event, Timezone, vRecur

from ..plain_text import one_line
from ..timezones import LONDON

PRODID = "-//csp-events//Community Safety Partnership events//EN"

# The rules every client knows (as Thunderbird and Google publish them), rather than a long
# list of dated changes that stops in 2038.
LONDON_VTIMEZONE = Timezone.from_ical(
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Europe/London\r\n"
    "X-LIC-LOCATION:Europe/London\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "TZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\nTZNAME:BST\r\n"
    "DTSTART:19700329T010000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    "END:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\n"
    "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nTZNAME:GMT\r\n"
    "DTSTART:19701025T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n"
)


@dataclass
class FeedEvent:
    """One VEVENT: a single event, a series' master, or an override of one occurrence."""

    uid: str
    summary: str
    starts_at: datetime
    ends_at: datetime
    stamp: datetime
    last_modified: datetime
    sequence: int = 0
    cancelled: bool = False
    tentative: bool = False
    location: str = ""
    description: str = ""
    url: str = ""
    categories: list[str] = field(default_factory=list)
    geo: tuple[float, float] | None = None
    rrule: str | None = None
    exdates: list[datetime] = field(default_factory=list)
    recurrence_id: datetime | None = None


@dataclass(frozen=True)
class CalendarInfo:
    name: str
    description: str
    refresh_hours: int = 6


def _local(moment: datetime) -> datetime:
    return moment.astimezone(LONDON)


def vevent(item: FeedEvent) -> Event:
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", item.stamp)
    event.add("dtstart", _local(item.starts_at))
    event.add("dtend", _local(item.ends_at))
    event.add("summary", item.summary)
    event.add("sequence", item.sequence)
    event.add("last-modified", item.last_modified)
    event.add(
        "status",
        "CANCELLED" if item.cancelled else ("TENTATIVE" if item.tentative else "CONFIRMED"),
    )
    event.add("transp", "TRANSPARENT" if item.cancelled else "OPAQUE")
    if item.location:
        event.add("location", item.location)
    if item.description:
        event.add("description", item.description)
    if item.url:
        event.add("url", item.url)
    if item.categories:
        event.add("categories", item.categories)
    if item.geo:
        event.add("geo", item.geo)
    if item.rrule:
        event.add("rrule", vRecur.from_ical(item.rrule))
    for excluded in item.exdates:
        event.add("exdate", _local(excluded))
    if item.recurrence_id is not None:
        event.add("recurrence-id", _local(item.recurrence_id))
    return event


CALENDAR_END = b"END:VCALENDAR\r\n"


def vevent_text(item: FeedEvent) -> bytes:
    """One VEVENT's lines (folded, CRLF), exactly as they read inside a whole calendar: a feed
    is assembled from these, so one changed event costs one of them."""
    return vevent(item).to_ical()


@lru_cache(maxsize=256)
def calendar_head(info: CalendarInfo) -> bytes:
    """The VCALENDAR's own lines and the London VTIMEZONE: everything before the events (the
    same bytes for the same info: kept)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # One line each: icalendar writes NAME as it is, and a line break there broke the file.
    name, description = one_line(info.name), one_line(info.description)
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("description", description)
    calendar.add("x-wr-caldesc", description)
    calendar.add("x-wr-timezone", "Europe/London")
    calendar.add(
        "refresh-interval", timedelta(hours=info.refresh_hours), parameters={"VALUE": "DURATION"}
    )
    calendar.add("x-published-ttl", f"PT{info.refresh_hours}H")
    calendar.add_component(LONDON_VTIMEZONE)
    return calendar.to_ical().removesuffix(CALENDAR_END)


def assemble_calendar(head: bytes, vevents: list[bytes]) -> bytes:
    return b"".join((head, *vevents, CALENDAR_END))


def build_calendar(info: CalendarInfo, items: list[FeedEvent]) -> bytes:
    """A complete VCALENDAR: name, description, polling hint, the London VTIMEZONE, events."""
    return assemble_calendar(calendar_head(info), [vevent_text(item) for item in items])
