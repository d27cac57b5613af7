"""Pure rules of the public listing: time windows, what to expect, map links."""

from datetime import date, datetime, time, timedelta

from ..events.vocabulary import EventKind, Theme
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


def period_window(period: Period, now: datetime) -> tuple[datetime | None, datetime | None]:
    """From when to when a period runs, on the Europe/London calendar, each end at local
    midnight: this week (until Sunday night), next week (Monday to Sunday), this month,
    next month; (None, None) for any time. 'This' periods start now (the listing shows
    only what is still to come anyway)."""
    if period == Period.ALL:
        return None, None
    today = now.astimezone(LONDON).date()
    if period in (Period.THIS_WEEK, Period.NEXT_WEEK):
        first = today - timedelta(days=today.weekday())
        if period == Period.NEXT_WEEK:
            first += timedelta(days=7)
        following = first + timedelta(days=7)
    else:
        first = today.replace(day=1)
        if period == Period.NEXT_MONTH:
            first = _first_of_next_month(first)
        following = _first_of_next_month(first)
    start = None if period in (Period.THIS_WEEK, Period.THIS_MONTH) else _midnight(first)
    return start, _midnight(following)


def period_end(period: Period, now: datetime) -> datetime | None:
    """The end of a period (see period_window)."""
    return period_window(period, now)[1]


def _first_of_next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LONDON)


def map_link(latitude: float | None, longitude: float | None) -> str:
    """A plain link to OpenStreetMap at the spot (no map, no scripts on our pages)."""
    if latitude is None or longitude is None:
        return ""
    lat, lon = f"{latitude:.5f}", f"{longitude:.5f}"
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"
