"""Loading rotas: sessions in a period with their volunteers, in a fixed number of queries."""

from datetime import date, time, timedelta

from sqlalchemy.orm import selectinload

from ..events.models import Event
from ..events.vocabulary import EventKind, EventStatus
from ..extensions import db
from ..signups.models import Signup
from ..signups.vocabulary import SignupStatus
from ..timezones import local_to_utc
from .rules import RotaLine, RotaPerson, roster_people


def _line(event: Event, with_phones: bool) -> RotaLine:
    people = [
        RotaPerson(s.user.name, s.user.phone if with_phones else "")
        for s in event.signups
        if s.status == SignupStatus.CONFIRMED
    ]
    return RotaLine(
        event_id=event.id,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        title=event.title,
        kind=event.kind,
        place=event.place_name,
        people=sorted(people, key=lambda p: p.name),
        waiting=sum(1 for s in event.signups if s.status == SignupStatus.WAITLISTED),
        min_volunteers=event.min_volunteers,
    )


def rota(first: date, last: date, kinds: list[EventKind], *, with_phones: bool) -> list[RotaLine]:
    """Sessions starting on the UK days first to last (cancelled ones left out), of these kinds,
    with who is signed up: one query for the sessions and one each for places and people.
    Phone numbers are only read out for the coordinator (`with_phones`)."""
    start = local_to_utc(first, time(0))  # midnight always exists in the UK
    end = local_to_utc(last + timedelta(days=1), time(0))
    events = db.session.execute(
        db.select(Event)
        .where(
            Event.starts_at >= start,
            Event.starts_at < end,
            Event.status != EventStatus.CANCELLED,
            Event.kind.in_(kinds),
        )
        .options(
            selectinload(Event.venue),
            selectinload(Event.site),
            selectinload(Event.signups).selectinload(Signup.user),
        )
        .order_by(Event.starts_at, Event.id)
    ).scalars()
    return [_line(event, with_phones) for event in events]


def session_roster(event_id: int) -> tuple[Event, list[RotaPerson]] | None:
    """A session and everyone on its roster or waiting list, in order, for the coordinator."""
    event = db.session.execute(
        db.select(Event)
        .where(Event.id == event_id)
        .options(selectinload(Event.signups).selectinload(Signup.user))
    ).scalar_one_or_none()
    if event is None:
        return None
    rows = [(s.user.name, s.user.phone, s.user.email, s.status) for s in event.signups]
    return event, roster_people(rows)
