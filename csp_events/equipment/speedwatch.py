"""Speedwatch sessions and the speed gun: booked together, and whether a session is ready."""

from datetime import datetime, timedelta

from sqlalchemy.orm import joinedload

from ..auth.models import User
from ..changes.bus import subscribe
from ..events.messages import EventChanged, EventScheduled
from ..events.models import Event
from ..events.rules import SPEEDWATCH_MINIMUM_TEAM
from ..events.services import ScheduleProblems
from ..events.vocabulary import EventKind, EventStatus
from ..extensions import db
from ..places.daylight import is_in_daylight
from ..places.rules import site_approval_problem
from ..timezones import to_local, utcnow
from .models import EquipmentBooking
from .rules import Slot, calibration_problem
from .services import BookingConflict, BookingRefused, place_booking, speed_guns, travel_time
from .vocabulary import BookingStatus


class GunUnavailable(BookingConflict):
    pass


def on_event_scheduled(message: EventScheduled) -> None:
    sync_speed_gun(message.event, message.by, moved=True)


def on_event_changed(message: EventChanged) -> None:
    sync_speed_gun(message.event, message.by, moved=message.moved)


def sync_speed_gun(event: Event, by: User | None, *, moved: bool) -> None:
    """Keep a Speedwatch session's gun booking in step with the session (not committed).

    Cancelled sessions (and sessions no longer Speedwatch) free the gun; a session that moved,
    or has no gun, books one again when someone is acting.
    """
    wants_gun = event.kind == EventKind.SPEEDWATCH and event.status != EventStatus.CANCELLED
    if not wants_gun or moved:
        release_gun(event)
    # A gun can only be booked ahead of a session still to come; otherwise the readiness
    # warnings say what is missing, and completing or editing a past session still works.
    still_to_come = event.status in (EventStatus.PLANNED, EventStatus.CONFIRMED) and (
        event.starts_at - travel_time() > utcnow()
    )
    if not wants_gun or not still_to_come or by is None:
        return
    if active_gun_bookings(event) and not moved:
        return
    try:
        book_gun_for_session(event, by)
    except GunUnavailable as unavailable:
        raise ScheduleProblems({"start_time": gun_message(unavailable)}) from None


def gun_message(unavailable: GunUnavailable) -> str:
    if not unavailable.suggestions:
        return unavailable.message
    times = "; ".join(
        f"{to_local(s.starts_at):%a %-d %b %H:%M} to {to_local(s.ends_at):%H:%M}"
        for s in unavailable.suggestions
    )
    return f"{unavailable.message} The gun is free for a session at: {times}."


def subscribe_to_changes() -> None:
    subscribe(EventScheduled, on_event_scheduled)
    subscribe(EventChanged, on_event_changed)


def book_gun_for_session(event: Event, by: User) -> EquipmentBooking | None:
    """Book the first free speed gun from before the session to after it (travel either side).

    Nothing is booked when the register has no speed gun; the session then shows as not ready.
    Adds to the session without committing, so the event and its booking are saved together.
    """
    guns = speed_guns()
    if not guns:
        return None
    travel = travel_time()
    refusals: list[BookingConflict | BookingRefused] = []
    for gun in guns:
        try:
            return place_booking(
                gun,
                by,
                event.starts_at - travel,
                event.ends_at + travel,
                purpose=f"Speedwatch: {event.title}",
                event_id=event.id,
            )
        except (BookingConflict, BookingRefused) as refusal:
            refusals.append(refusal)
    first_refusal = refusals[0]  # there are guns, and every one refused
    suggestions = getattr(first_refusal, "suggestions", [])
    session_times = [Slot(s.starts_at + travel, s.ends_at - travel) for s in suggestions]
    # Only times a session could be scheduled at: a Speedwatch session keeps to daylight.
    site = event.site
    latitude, longitude = (site.latitude, site.longitude) if site else (None, None)
    session_times = [
        s for s in session_times if is_in_daylight(s.starts_at, s.ends_at, latitude, longitude)
    ]
    raise GunUnavailable(
        f"No speed gun is free for this session. {first_refusal.message}", session_times
    )


def release_gun(event: Event) -> None:
    """Cancel the session's gun booking (not committed), freeing the gun for others."""
    for booking in active_gun_bookings(event):
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = utcnow()


def active_gun_bookings(event: Event) -> list[EquipmentBooking]:
    if event.id is None:
        return []
    return list(
        db.session.execute(
            db.select(EquipmentBooking).where(
                EquipmentBooking.event_id == event.id,
                EquipmentBooking.status == BookingStatus.ACTIVE,
            )
        ).scalars()
    )


def readiness_problems(
    event: Event, bookings: list[EquipmentBooking], qualified_team: int
) -> list[str]:
    """Why a Speedwatch session is not ready: gun, calibration, site approval, team."""
    if event.kind != EventKind.SPEEDWATCH:
        return []
    problems = []
    live = [b for b in bookings if b.is_active]
    if not live:
        problems.append("No speed gun is booked for this session.")
    for booking in live:
        gun = booking.item
        if not gun.in_service:
            reason = f": {gun.out_of_service_reason}" if gun.out_of_service_reason else ""
            problems.append(f"{gun.name} is out of service{reason}.")
        else:
            lapse = calibration_problem(gun.calibration_expires_on, booking.ends_at)
            if lapse:
                problems.append(lapse)
        if booking.starts_at > event.starts_at or booking.ends_at < event.ends_at:
            problems.append("The speed gun booking no longer covers the session's time.")
    if event.site is not None:
        approval = site_approval_problem(
            event.site.approval_status,
            event.site.approval_expires_on,
            to_local(event.starts_at).date(),
        )
        if approval:
            problems.append(approval)
    if qualified_team < SPEEDWATCH_MINIMUM_TEAM:
        signed_up = {0: "No qualified volunteers are", 1: "Only 1 qualified volunteer is"}.get(
            qualified_team, f"Only {qualified_team} qualified volunteers are"
        )
        problems.append(f"{signed_up} signed up; at least {SPEEDWATCH_MINIMUM_TEAM} are needed.")
    return problems


def sessions_needing_attention(now: datetime, days: int = 60) -> list[tuple[Event, list[str]]]:
    """Upcoming Speedwatch sessions whose gun, calibration or site approval is a problem."""
    return sessions_needing_attention_between(now, now + timedelta(days=days))


def sessions_needing_attention_between(
    after: datetime, before: datetime
) -> list[tuple[Event, list[str]]]:
    """Planned or confirmed Speedwatch sessions starting between `after` and `before` whose
    gun, calibration or site approval is a problem (none of which depends on the clock).
    One query: each session with its place and its bookings (and their guns) joined."""
    rows = db.session.execute(
        db.select(Event, EquipmentBooking)
        .outerjoin(EquipmentBooking, EquipmentBooking.event_id == Event.id)
        .where(
            Event.kind == EventKind.SPEEDWATCH,
            Event.status.in_((EventStatus.PLANNED, EventStatus.CONFIRMED)),
            Event.starts_at > after,
            Event.starts_at < before,
        )
        .options(joinedload(Event.site), joinedload(Event.venue), joinedload(EquipmentBooking.item))
        .order_by(Event.starts_at, Event.id)
    )
    events: dict[int, Event] = {}
    bookings: dict[int, list[EquipmentBooking]] = {}
    for event, booking in rows:
        events.setdefault(event.id, event)
        if booking is not None:
            bookings.setdefault(event.id, []).append(booking)
    flagged = []
    for event in events.values():
        # The team is a roster matter shown elsewhere; here, what the equipment and site say.
        problems = readiness_problems(event, bookings.get(event.id, []), SPEEDWATCH_MINIMUM_TEAM)
        if problems:
            flagged.append((event, problems))
    return flagged


def bookings_by_event(event_ids: list[int]) -> dict[int, list[EquipmentBooking]]:
    if not event_ids:
        return {}
    rows = db.session.execute(
        db.select(EquipmentBooking)
        .where(EquipmentBooking.event_id.in_(event_ids))
        .options(joinedload(EquipmentBooking.item))
    ).scalars()
    grouped: dict[int, list[EquipmentBooking]] = {}
    for booking in rows:
        grouped.setdefault(booking.event_id, []).append(booking)
    return grouped
