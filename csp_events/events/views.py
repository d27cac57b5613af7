"""Calendar, event pages, and scheduling single events."""

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import coordinator_only, signed_in
from ..auth.rules import can_manage
from ..availability.services import people_away
from ..errors import DomainError
from ..page_parts import Page, parts_of
from ..places.services import venue_choices
from ..reading_pages import reads_only
from ..routing import id_arg
from ..timezones import to_local, utcnow
from . import services
from .calendar import AGENDA_DAYS, grid_span, month_grid, parse_month, shift_month, utc_window
from .forms import (
    EventForm,
    copy_form_data,
    fields_from_form,
    form_data_for,
    kinds_asked_for,
    offer_choices,
    show_problems,
)
from .models import Event
from .rules import copy_refusal
from .vocabulary import EventKind, EventStatus

bp = Blueprint("events", __name__)


@bp.get("/calendar")
@reads_only
@signed_in
def calendar():
    today = to_local(utcnow()).date()
    kinds, venue_id = kinds_asked_for(), id_arg("venue")
    view = "agenda" if request.args.get("view") == "agenda" else "month"
    if view == "month":
        first = parse_month(request.args.get("month"), today)
        start, end = utc_window(*grid_span(first))
    else:
        start, end = utc_window(today, today + timedelta(days=AGENDA_DAYS))
        first = today
    events = services.events_between(start, end, kinds=kinds, venue_id=venue_id)
    venues = venue_choices()
    return render_template(
        "events/calendar.html",
        view=view,
        first=first,
        events=events,
        today=today,
        weeks=month_grid(first, events) if view == "month" else None,
        previous=shift_month(first, -1),
        following=shift_month(first, 1),
        kinds=kinds,
        venue_id=venue_id,
        venues=venues,
        all_kinds=list(EventKind),
        **parts_of(Page.CALENDAR, events=events),
    )


@bp.get("/events/<int:event_id>")
@reads_only
@signed_in
def event_detail(event_id: int):
    """The event, with the parts the areas built on it add (roster, speed gun, visit,
    cover, outcome: see page_parts.py)."""
    event = services.get_event(event_id, viewer=current_user) or abort(404)
    now = utcnow()
    people = [s.user_id for s in event.signups if s.status.is_active] + [current_user.id]
    manage = can_manage(current_user.role)
    return render_template(
        "events/detail.html",
        event=event,
        manage=manage,
        can_copy=copy_refusal(event.kind) is None,
        now=now,
        EventStatus=EventStatus,
        away=people_away(people, event.starts_at, event.ends_at),
        **parts_of(Page.EVENT, event=event, viewer=current_user, now=now, manage=manage),
    )


@bp.route("/events/new", methods=["GET", "POST"])
@coordinator_only
def new_event():
    form = EventForm(data={"kind": request.args.get("kind")} if request.method == "GET" else None)
    return _schedule(form)


@bp.route("/events/<int:event_id>/copy", methods=["GET", "POST"])
@coordinator_only
def copy_event(event_id: int):
    """Schedule another like this: the new-event form with everything but the date."""
    original = services.get_event(event_id) or abort(404)
    refusal = copy_refusal(original.kind)
    if refusal:
        flash(refusal, "error")
        return redirect(url_for("events.event_detail", event_id=event_id))
    form = EventForm(data=copy_form_data(original) if request.method == "GET" else None)
    return _schedule(form, original=original)


def _schedule(form: EventForm, original: Event | None = None):
    offer_choices(form, services.scheduling_choices())
    if form.validate_on_submit():
        try:
            event = services.schedule_event(fields_from_form(form), by=current_user)
        except services.ScheduleProblems as problems:
            show_problems(form, problems)
        else:
            flash(f"{event.title} has been scheduled.", "success")
            return redirect(url_for("events.event_detail", event_id=event.id))
    return render_template("events/form.html", form=form, event=None, original=original)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@coordinator_only
def edit_event(event_id: int):
    event = services.get_event(event_id) or abort(404)
    form = EventForm(data=form_data_for(event) if request.method == "GET" else None)
    offer_choices(
        form, services.scheduling_choices(), keep_home_visit=event.kind == EventKind.HOME_VISIT
    )
    if form.validate_on_submit():
        try:
            services.update_event(event, fields_from_form(form), by=current_user)
        except services.ScheduleProblems as problems:
            show_problems(form, problems)
        else:
            flash("Changes saved.", "success")
            return redirect(url_for("events.event_detail", event_id=event.id))
    return render_template("events/form.html", form=form, event=event)


@bp.post("/events/<int:event_id>/status")
@coordinator_only
def set_status(event_id: int):
    event = services.get_event_or_404(event_id)
    status = request.form.get("status", "")
    if status not in EventStatus._value2member_map_:
        abort(400)
    try:
        services.set_status(event, EventStatus(status), by=current_user)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(f"The event is now {EventStatus(status).label.lower()}.", "success")
    return redirect(url_for("events.event_detail", event_id=event.id))


@bp.get("/events/<int:event_id>/cancel")
@coordinator_only
def confirm_cancel(event_id: int):
    """Are you sure? before cancelling one event (or one session of a series)."""
    event = services.get_event(event_id) or abort(404)
    paragraphs = [
        f"{to_local(event.starts_at):%A %-d %B %Y at %H:%M}, {event.place_name}.",
        (
            "It stays in the calendar marked as cancelled, and everyone signed up sees it is "
            "cancelled. You can reinstate it later."
        ),
    ]
    if event.series_id:
        paragraphs.append("Only this session is cancelled; the rest of the series carries on.")
    if event.kind == EventKind.SPEEDWATCH:
        paragraphs.append("Its speed gun booking is released for others.")
    return render_template(
        "confirm.html",
        caption=event.title,
        heading="Cancel this session only?" if event.series_id else "Cancel this event?",
        paragraphs=paragraphs,
        action=url_for("events.set_status", event_id=event.id),
        hidden={"status": EventStatus.CANCELLED.value},
        button="Yes, cancel it",
        back=url_for("events.event_detail", event_id=event.id),
    )
