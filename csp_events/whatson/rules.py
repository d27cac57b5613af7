"""Pure rules of the public listing: time windows, what to expect, map links."""

from datetime import datetime, time, timedelta

from ..events.kinds import EventKind, Theme
from ..timezones import LONDON
from .listing import Period

WHAT_TO_EXPECT = {
    EventKind.SURGERY: (
        "Drop in to talk to Neighbourhood Watch and partners about crime and safety where "
        "you live. No appointment needed; stay as long as you like."
    ),
    EventKind.ROADSHOW: (
        "Stands from the police, fire service, council and local groups, with free advice "
        "and crime-prevention items while stocks last. Come along at any time."
    ),
    EventKind.POP_UP: (
        "A small stand where you can ask questions, pick up advice and free "
        "crime-prevention items. Just stop by."
    ),
    EventKind.SPEEDWATCH: (
        "Trained volunteers check traffic speeds at the roadside; drivers going too fast are "
        "sent an advisory letter by the police. You are welcome to say hello."
    ),
}


def what_to_expect(kind: EventKind, theme: Theme | None) -> str:
    """A resident's description of an event, from its kind and theme only: the coordinator's
    own notes are never published, so nothing typed about people can reach the public."""
    text = WHAT_TO_EXPECT.get(kind, "")
    if theme is not None and theme != Theme.GENERAL:
        text += f" This one focuses on {theme.label.lower()}."
    return text


def period_end(period: Period, now: datetime) -> datetime | None:
    """The end of 'this week' (midnight after Sunday) or 'this month' (midnight after its
    last day), on the Europe/London calendar; None for any time."""
    if period == Period.ALL:
        return None
    today = now.astimezone(LONDON).date()
    if period == Period.THIS_WEEK:
        last = today + timedelta(days=6 - today.weekday())
    else:
        following = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
        last = following - timedelta(days=1)
    return datetime.combine(last + timedelta(days=1), time(0), tzinfo=LONDON)


def map_link(latitude: float | None, longitude: float | None) -> str:
    """A plain link to OpenStreetMap at the spot (no map, no scripts on our pages)."""
    if latitude is None or longitude is None:
        return ""
    lat, lon = f"{latitude:.5f}", f"{longitude:.5f}"
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"
