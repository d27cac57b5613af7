"""Signing up for, or withdrawing from, every future session of a series in one step.

Each session goes through the same per-session service as a single sign-up, so capacity,
qualifications on the day, clashes and the cut-off are applied in one place only.
"""

from dataclasses import dataclass
from datetime import datetime

from ..auth.models import User
from ..availability.rules import is_away
from ..availability.services import absences_of, away_of
from ..errors import DomainError
from ..events.models import Event, EventSeries
from ..events.vocabulary import EventStatus
from ..extensions import db
from ..timezones import to_local
from .services import ACTIVE, sign_up, withdraw, withdraw_by
from .vocabulary import SeriesSessionOutcome, SignupStatus


@dataclass(frozen=True)
class SessionResult:
    event: Event
    outcome: SeriesSessionOutcome
    reason: str = ""
    away: bool = False  # the volunteer said they are away that day


def get_series(series_id: int) -> EventSeries | None:
    return db.session.get(EventSeries, series_id)


def future_sessions(series: EventSeries, now: datetime) -> list[Event]:
    """The series' sessions still to come that take volunteers (cancelled ones left out)."""
    return list(
        db.session.execute(
            db.select(Event)
            .where(
                Event.series_id == series.id,
                Event.starts_at > now,
                Event.status.in_((EventStatus.PLANNED, EventStatus.CONFIRMED)),
                Event.max_volunteers > 0,
            )
            .order_by(Event.starts_at)
        ).scalars()
    )


def my_places(person: User, events: list[Event]) -> dict[int, SignupStatus]:
    """The person's active place on each of these sessions, by event id."""
    from .models import Signup

    if not events:
        return {}
    rows = db.session.execute(
        db.select(Signup.event_id, Signup.status).where(
            Signup.user_id == person.id,
            Signup.event_id.in_([e.id for e in events]),
            Signup.status.in_(ACTIVE),
        )
    )
    return {event_id: SignupStatus(status) for event_id, status in rows}


def away_sessions(person: User, events: list[Event], now: datetime) -> set[int]:
    aways = [away_of(a) for a in absences_of(person, to_local(now).date())]
    return {e.id for e in events if is_away(aways, e.starts_at, e.ends_at)}


def sign_up_for_series(series: EventSeries, person: User, now: datetime) -> list[SessionResult]:
    """Sign the volunteer up for every future session; each keeps its own rules. A session
    already inside the withdrawal cut-off is left for its own page, where the volunteer is
    told first that they could not withdraw."""
    events = future_sessions(series, now)
    places, away = my_places(person, events), away_sessions(person, events, now)
    results = []
    for event_id in [e.id for e in events]:  # ids: each sign-up expires the loaded rows
        event = db.session.get_one(Event, event_id)  # sessions are cancelled, never deleted
        if event_id in places:
            outcome, reason = SeriesSessionOutcome.ALREADY_ON, places[event_id].label
        elif now >= withdraw_by(event):
            outcome = SeriesSessionOutcome.REFUSED
            reason = (
                "It starts soon (withdrawal closed "
                f"{to_local(withdraw_by(event)):%a %-d %b at %H:%M}): "
                "sign up for it on its own page if you are sure you can come."
            )
        else:
            outcome, reason = _sign_up_one(event, person)
        results.append(SessionResult(event, outcome, reason, event_id in away))
    return results


def _sign_up_one(event: Event, person: User) -> tuple[SeriesSessionOutcome, str]:
    try:
        signup = sign_up(event, person, by=person)
    except DomainError as refusal:
        db.session.rollback()  # releases the session's row locks
        return SeriesSessionOutcome.REFUSED, refusal.message
    if signup.status == SignupStatus.CONFIRMED:
        return SeriesSessionOutcome.SIGNED_UP, ""
    return SeriesSessionOutcome.WAITING, "The session is full; you move up if someone withdraws."


def withdraw_from_series(series: EventSeries, person: User, now: datetime) -> list[SessionResult]:
    """Withdraw from every future session the volunteer is on; past the cut-off a session
    stays as it is and the result says to contact the coordinator."""
    events = future_sessions(series, now)
    places = my_places(person, events)
    results = []
    for event_id in [e.id for e in events if e.id in places]:
        event = db.session.get_one(Event, event_id)
        try:
            withdraw(event, person, by=person)
        except DomainError as refusal:
            db.session.rollback()
            results.append(SessionResult(event, SeriesSessionOutcome.REFUSED, refusal.message))
        else:
            results.append(SessionResult(event, SeriesSessionOutcome.WITHDRAWN))
    return results
