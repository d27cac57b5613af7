"""The outcome page: record or correct what happened at an event."""

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import roles
from ..auth.models import User
from ..auth.roles import Role
from ..errors import PermissionDenied
from ..events.models import Event
from ..events.services import get_event
from ..events.vocabulary import EventStatus
from ..stock import services as stock
from ..timezones import utcnow
from . import services
from .forms import fill_outcome_form, outcome_form, read_outcome_form, show_problems

bp = Blueprint("engagement", __name__)
recorders = roles(Role.COORDINATOR, Role.VOLUNTEER)


@bp.route("/events/<int:event_id>/outcome", methods=["GET", "POST"])
@recorders
def record_outcome(event_id: int):
    event = get_event(event_id) or abort(404)
    now = utcnow()
    refusal = services.refusal(event, current_user, now)
    if refusal and (now < event.starts_at or event.status == EventStatus.CANCELLED):
        flash(refusal, "info")
        return redirect(url_for("events.event_detail", event_id=event.id))
    if refusal:
        abort(403)
    handed_out = stock.handed_out_at(event.id)
    items = [i for i in stock.items() if i.active or i.id in handed_out]
    attendees = services.attendees(event)
    walk_ins = (
        services.walk_in_choices(event) if services.takes_walk_ins(event, current_user) else None
    )
    form = outcome_form(event, attendees, items, walk_ins)
    outcome = services.outcome_of(event.id)
    if request.method == "GET":
        fill_outcome_form(
            form, event, attendees, outcome, services.attendance_of(event.id), handed_out
        )
    elif form.validate_on_submit() and (fields := read_outcome_form(form, attendees)):
        try:
            services.record_outcome(event, fields, by=current_user, now=now)
        except services.OutcomeRefused as refused:
            show_problems(form, refused.problems)
        except PermissionDenied:
            abort(403)
        else:
            flash(f"The outcome of {event.title} is saved.", "success")
            return redirect(url_for("events.event_detail", event_id=event.id))
    return render_template(
        "engagement/outcome_form.html",
        form=form,
        event=event,
        outcome=outcome,
        attendees=attendees,
        items=items,
        threshold=services.threshold_for(event),
        in_stock={i.id: i.balance for i in items},
    )


def event_page_part(event: Event, viewer: User, now: datetime, manage: bool) -> dict:
    """The recorded outcome, and why the viewer may not record it (if they may not)."""
    outcome = services.summary(event)
    return {
        "outcome": outcome,
        "outcome_refusal": services.refusal(
            event, viewer, now, existing=outcome.outcome if outcome else None
        ),
    }


def my_sessions_part(viewer: User, now: datetime) -> dict:
    """A volunteer's recent sessions whose outcome nobody has recorded yet."""
    return {"to_record": services.outcomes_to_record(viewer, now)}
