"""Volunteers' sign-up pages, and the coordinator's roster changes."""

from datetime import datetime, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import coordinator_only, roles
from ..auth.models import User
from ..auth.roles import Role
from ..availability.services import is_person_away
from ..events.models import Event
from ..events.services import get_event, get_event_or_404
from ..formfields import options, show_error
from ..page_parts import Page, parts_of
from ..people.services import coordinators_to_contact, person_or_404
from ..reading_pages import reads_only
from ..timezones import to_local, utcnow
from . import services, whole_series
from .candidates import find_volunteer, roster_candidates
from .forms import AddToRosterForm, RemoveFromRosterForm
from .vocabulary import SignupStatus

bp = Blueprint("signups", __name__)
volunteer_only = roles(Role.VOLUNTEER)


@bp.get("/sessions")
@reads_only
@volunteer_only
def needing_people():
    events = services.sessions_needing_people(utcnow())
    counts = services.roster_counts([e.id for e in events])
    mine = {s.event_id: s for s in services.my_signups(current_user, utcnow())}
    return render_template(
        "signups/needing_people.html",
        events=events,
        counts=counts,
        mine=mine,
        SignupStatus=SignupStatus,
    )


@bp.get("/my-sessions")
@reads_only
@volunteer_only
def my_sessions():
    now = utcnow()
    signups = services.my_signups(current_user, now - timedelta(days=30))
    return render_template(
        "signups/my_sessions.html",
        signups=signups,
        now=now,
        withdraw_by=services.withdraw_by,
        **parts_of(Page.MY_SESSIONS, viewer=current_user, now=now),  # outcomes to record
    )


@bp.post("/events/<int:event_id>/sign-up")
@volunteer_only
def sign_up(event_id: int):
    event = get_event_or_404(event_id)  # the service locks and reads what it needs
    # Asked before the sign-up commits, which leaves the event and the person to read again.
    away = is_person_away(current_user, event.starts_at, event.ends_at)
    try:
        signup = services.sign_up(event, current_user, by=current_user)
    except services.DomainError as error:
        flash(error.message, "error")
    else:
        flash(
            "You are signed up."
            if signup.status == SignupStatus.CONFIRMED
            else "The session is full, so you are on the waiting list. We will move you up "
            "if someone withdraws.",
            "success",
        )
        if away:
            flash(
                "You said you are away on this day. If you cannot come after all, "
                "withdraw so someone else can take your place.",
                "warning",
            )
    return redirect(url_for("events.event_detail", event_id=event_id))


@bp.post("/events/<int:event_id>/withdraw")
@volunteer_only
def withdraw(event_id: int):
    event = get_event_or_404(event_id)  # the service locks and reads what it needs
    try:
        services.withdraw(event, current_user, by=current_user)
    except services.DomainError as error:
        flash(error.message, "error")
    else:
        flash("You have withdrawn from this session.", "success")
    return redirect(url_for("events.event_detail", event_id=event_id))


@bp.route("/events/<int:event_id>/roster", methods=["GET", "POST"])
@coordinator_only
def add_to_roster(event_id: int):
    event = get_event(event_id) or abort(404)
    form = AddToRosterForm()
    candidates = roster_candidates(event)
    offered = [(v.id, v.name) for v in candidates.offered]
    form.volunteer_id.choices = options([("", "Choose a volunteer"), *offered])
    if form.validate_on_submit():
        person = find_volunteer(form.volunteer_id.data) or abort(404)
        try:
            services.sign_up(
                event, person, by=current_user, override_reason=form.override_reason.data or ""
            )
        except services.DomainError as error:
            show_error(form.volunteer_id, error.message)
        else:
            flash(f"{person.name} added.", "success")
            return redirect(url_for("events.event_detail", event_id=event_id))
    return render_template(
        "signups/add_to_roster.html",
        event=event,
        form=form,
        away=candidates.away,
        anyone_to_add=bool(offered),
    )


@bp.route("/events/<int:event_id>/roster/<int:person_id>/remove", methods=["GET", "POST"])
@coordinator_only
def remove_from_roster(event_id: int, person_id: int):
    """A page of its own: it confirms the removal, and asks why when it is late."""
    event = get_event(event_id) or abort(404)
    person = person_or_404(person_id)
    form = RemoveFromRosterForm()
    if form.validate_on_submit():
        try:
            services.withdraw(event, person, by=current_user, reason=form.reason.data or "")
        except services.DomainError as error:
            show_error(form.reason, error.message)
        else:
            flash(f"{person.name} removed from the roster.", "success")
            return redirect(url_for("events.event_detail", event_id=event_id, _anchor="roster"))
    return render_template(
        "signups/remove_from_roster.html",
        event=event,
        person=person,
        form=form,
        late=services.is_late_to_withdraw(event),
    )


@bp.route("/series/<int:series_id>/sign-up", methods=["GET", "POST"])
@volunteer_only
def series_sign_up(series_id: int):
    """Every future session of a series in one step: GET asks, POST does and reports."""
    series = whole_series.get_series(series_id) or abort(404)
    now = utcnow()
    if request.method == "POST":
        results = whole_series.sign_up_for_series(series, current_user, now)
        return render_template("signups/series_result.html", series=series, results=results)
    events = whole_series.future_sessions(series, now)
    return render_template(
        "signups/series_confirm.html",
        series=series,
        events=events,
        places=whole_series.my_places(current_user, events),
        away=whole_series.away_sessions(current_user, events, now),
        withdraw_by=services.withdraw_by,
        now=now,
        joining=True,
    )


@bp.route("/series/<int:series_id>/withdraw", methods=["GET", "POST"])
@volunteer_only
def series_withdraw(series_id: int):
    series = whole_series.get_series(series_id) or abort(404)
    now = utcnow()
    if request.method == "POST":
        results = whole_series.withdraw_from_series(series, current_user, now)
        return render_template("signups/series_result.html", series=series, results=results)
    events = whole_series.future_sessions(series, now)
    places = whole_series.my_places(current_user, events)
    return render_template(
        "signups/series_confirm.html",
        series=series,
        events=[e for e in events if e.id in places],
        places=places,
        away=set(),
        withdraw_by=services.withdraw_by,
        now=now,
        joining=False,
    )


@bp.get("/events/<int:event_id>/withdraw")
@volunteer_only
def confirm_withdraw(event_id: int):
    event = get_event(event_id) or abort(404)
    return render_template(
        "confirm.html",
        caption=event.title,
        heading="Are you sure you want to withdraw?",
        paragraphs=[
            f"{to_local(event.starts_at):%A %-d %B %Y at %H:%M}, {event.place_name}.",
            (
                "Your place goes to the first person on the waiting list. If you change your mind "
                "later you may find the session full."
            )
            if any(s.is_waiting for s in event.signups)
            else "If you change your mind later, someone else may have taken your place.",
        ],
        action=url_for("signups.withdraw", event_id=event.id),
        button="Yes, withdraw",
        back=url_for("events.event_detail", event_id=event.id),
    )


def event_page_part(event: Event, viewer: User, now: datetime, manage: bool) -> dict:
    """The event page's roster, the viewer's own place, and whom to call once it is late to
    withdraw."""
    withdraw_by = services.withdraw_by(event)
    late = event.starts_at > now >= withdraw_by
    return {
        "mine": next(
            (s for s in event.signups if s.user_id == viewer.id and s.status.is_active), None
        ),
        "confirmed": [s for s in event.signups if s.is_confirmed],
        "waiting": [s for s in event.signups if s.is_waiting],
        "removed": [s for s in event.signups if s.is_removed],
        "withdraw_by": withdraw_by,
        "missing": services.qualification_problems_for(viewer, event),
        "coordinators": coordinators_to_contact() if late else [],
    }


def calendar_part(events: list[Event]) -> dict:
    """How many are signed up and waiting on each event of the calendar, in one query."""
    return {"counts": services.roster_counts([e.id for e in events])}
