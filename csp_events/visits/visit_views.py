"""Visit pages: arranging a pair, 'arrived' and 'left safely', confirming safety, the outcome."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from ..access import coordinator_only, roles
from ..auth.models import User
from ..auth.roles import Role
from ..errors import DomainError, NotFound
from ..events.kinds import EventKind
from ..events.models import Event
from ..extensions import db
from ..formfields import options, show_error, validated
from ..people.rules import missing_qualifications
from ..timezones import AmbiguousLocalTime, NonexistentLocalTime, local_to_utc, to_local, utcnow
from . import services, visiting
from .forms import OutcomeForm, VisitForm
from .kinds import Advice, Measure, OnwardReferral
from .models import VisitOutcome, codes
from .views import bp

visitors = roles(Role.COORDINATOR, Role.VOLUNTEER)


def _volunteer_choices() -> list:
    """Volunteers trained for home visits with a DBS check, both in date today (the visit's own
    date is checked when it is arranged)."""
    today = to_local(utcnow()).date()
    people = db.session.execute(
        db.select(User)
        .where(User.role == Role.VOLUNTEER, User.active.is_(True))
        .options(selectinload(User.qualifications))
        .order_by(User.name)
    ).scalars()
    eligible = [
        p
        for p in people
        if not missing_qualifications(
            EventKind.HOME_VISIT, today, {q.kind: q.expires_on for q in p.qualifications}
        )
    ]
    return options([("", "Choose a volunteer")] + [(p.id, p.name) for p in eligible])


@bp.route("/referrals/<int:referral_id>/visits/new", methods=["GET", "POST"])
@coordinator_only
def arrange_visit(referral_id: int):
    try:
        referral, _ = services.referral_for(referral_id, current_user)
    except NotFound:
        abort(404)
    form = VisitForm()
    form.first_volunteer.choices = form.second_volunteer.choices = _volunteer_choices()
    if form.validate_on_submit():
        try:
            day = validated(form.start_date.data)
            starts_at = local_to_utc(day, form.start_time.data)
            ends_at = local_to_utc(day, form.end_time.data)
            visit = visiting.schedule_visit(
                referral,
                starts_at,
                ends_at,
                [form.first_volunteer.data, form.second_volunteer.data],
                by=current_user,
            )
        except (NonexistentLocalTime, AmbiguousLocalTime) as error:
            show_error(form.start_time, str(error))
        except DomainError as error:
            field = "first_volunteer" if error.field == "volunteers" else error.field
            getattr(form, field or "start_date").errors.append(error.message)
        else:
            flash(f"Visit arranged for {referral.reference}.", "success")
            return redirect(url_for("events.event_detail", event_id=visit.id))
    return render_template("visits/arrange.html", form=form, referral=referral)


def _home_visit(event_id: int) -> Event:
    visit = db.session.get(Event, event_id)
    if visit is None or visit.kind != EventKind.HOME_VISIT:
        abort(404)
    return visit


@bp.post("/visits/<int:event_id>/arrived")
@roles(Role.VOLUNTEER)
def mark_arrived(event_id: int):
    return _safety_step(event_id, visiting.mark_arrived, "Marked as arrived. Stay safe.")


@bp.post("/visits/<int:event_id>/left")
@roles(Role.VOLUNTEER)
def mark_left(event_id: int):
    return _safety_step(event_id, visiting.mark_left_safely, "Marked as left safely. Thank you.")


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
        person = visiting.confirm_safe(visit, user_id, by=current_user)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(f"Recorded that {person.name} is safe.", "success")
    return redirect(url_for("events.event_detail", event_id=visit.id))


@bp.route("/visits/<int:event_id>/outcome", methods=["GET", "POST"])
@visitors
def visit_outcome(event_id: int):
    visit = _home_visit(event_id)
    if not visiting.may_record_outcome(visit, current_user):
        if not visiting.may_see_outcome_page_later(visit, current_user):
            abort(404)
        flash("You can record the visit’s outcome once it has begun.", "info")
        return redirect(url_for("events.event_detail", event_id=visit.id))
    outcome = db.session.get(VisitOutcome, visit.id)
    form = OutcomeForm()
    if request.method == "GET" and outcome is not None:
        form.measures.data = [m.value for m in outcome.measures]
        form.advice.data = [a.value for a in codes(outcome.advice_codes, Advice)]
        form.onward.data = [o.value for o in codes(outcome.onward_codes, OnwardReferral)]
        form.follow_up_needed.data = outcome.follow_up_needed
        # The note may name the resident: only the coordinator reads it back.
        form.note.data = (outcome.note or "") if current_user.role == Role.COORDINATOR else ""
    if form.validate_on_submit():
        try:
            visiting.record_outcome(
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
