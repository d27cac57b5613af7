"""Visit pages: 'arrived' and 'left safely', confirming a volunteer is safe, the outcome."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import coordinator_only, roles
from ..auth.roles import Role
from ..errors import DomainError, NotFound
from ..events.models import Event
from ..formfields import show_error
from . import lone_working, services
from .forms import OutcomeForm
from .vocabulary import Advice, Measure, OnwardReferral

bp = Blueprint("visits", __name__)
visitors = roles(Role.COORDINATOR, Role.VOLUNTEER)


def _home_visit(event_id: int) -> Event:
    try:
        return services.home_visit(event_id)
    except NotFound:
        abort(404)


@bp.post("/visits/<int:event_id>/arrived")
@roles(Role.VOLUNTEER)
def mark_arrived(event_id: int):
    return _safety_step(event_id, lone_working.mark_arrived, "Marked as arrived. Stay safe.")


@bp.post("/visits/<int:event_id>/left")
@roles(Role.VOLUNTEER)
def mark_left(event_id: int):
    return _safety_step(
        event_id, lone_working.mark_left_safely, "Marked as left safely. Thank you."
    )


def _safety_step(event_id: int, step, done: str):
    visit = _home_visit(event_id)
    try:
        step(visit, current_user)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(done, "success")
    return redirect(url_for("events.event_detail", event_id=visit.id))


@bp.post("/visits/<int:event_id>/safe/<int:user_id>")
@coordinator_only
def confirm_safe(event_id: int, user_id: int):
    visit = _home_visit(event_id)
    try:
        person = lone_working.confirm_safe(visit, user_id, by=current_user)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(f"Recorded that {person.name} is safe.", "success")
    return redirect(url_for("events.event_detail", event_id=visit.id))


def _fill_from(form: OutcomeForm, outcome) -> None:
    form.measures.data = [m.value for m in outcome.measures]
    form.advice.data = [a.value for a in outcome.advice]
    form.onward.data = [o.value for o in outcome.onward]
    form.follow_up_needed.data = outcome.follow_up_needed
    # The note may name the resident: only the coordinator reads it back.
    form.note.data = (outcome.note or "") if current_user.role == Role.COORDINATOR else ""


@bp.route("/visits/<int:event_id>/outcome", methods=["GET", "POST"])
@visitors
def visit_outcome(event_id: int):
    visit = _home_visit(event_id)
    if not services.may_record_outcome(visit, current_user):
        if not services.may_see_outcome_page_later(visit, current_user):
            abort(404)
        flash("You can record the visit’s outcome once it has begun.", "info")
        return redirect(url_for("events.event_detail", event_id=visit.id))
    form = OutcomeForm()
    outcome = services.outcome_of(visit.id)
    if request.method == "GET" and outcome is not None:
        _fill_from(form, outcome)
    if form.validate_on_submit():
        try:
            services.record_outcome(
                visit,
                measures=[Measure(m) for m in form.measures.data or []],
                advice=[Advice(a) for a in form.advice.data or []],
                onward=[OnwardReferral(o) for o in form.onward.data or []],
                follow_up_needed=form.follow_up_needed.data,
                note=form.note.data or "",
                by=current_user,
            )
        except DomainError as error:
            show_error(form.measures, error.message)
        else:
            flash("Visit outcome saved.", "success")
            return redirect(url_for("events.event_detail", event_id=visit.id))
    return render_template("visits/outcome.html", form=form, visit=visit)
