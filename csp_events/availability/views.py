"""A volunteer's own list of when they are away."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from ..access import roles
from ..auth.models import User
from ..auth.roles import Role
from ..errors import DomainError
from ..timezones import to_local, utcnow
from . import services
from .forms import AbsenceForm
from .vocabulary import AbsenceKind, Weekday

bp = Blueprint("availability", __name__, url_prefix="/account/away")
volunteer_only = roles(Role.VOLUNTEER)


@bp.route("", methods=["GET", "POST"])
@volunteer_only
def absences():
    today = to_local(utcnow()).date()
    form = AbsenceForm()
    if form.validate_on_submit():
        try:
            services.record_absence(
                current_user,
                kind=AbsenceKind(form.kind.data),
                first_day=form.first_day.data,
                last_day=form.last_day.data,
                weekday=form.weekday_number(),
                note=form.note.data or "",
                today=today,
            )
        except services.AbsenceProblems as problems:
            for name, message in problems.problems.items():
                getattr(form, name).errors = [*getattr(form, name).errors, message]
        else:
            flash("Saved. The coordinator will see you are away then.", "success")
            return redirect(url_for("availability.absences"))
    return render_template(
        "availability/absences.html",
        form=form,
        absences=services.absences_of(current_user, today),
        Weekday=Weekday,
    )


@bp.post("/<int:absence_id>/delete")
@volunteer_only
def delete_absence(absence_id: int):
    try:
        services.delete_absence(current_user, absence_id)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash("Removed.", "success")
    return redirect(url_for("availability.absences"))


def person_page_part(person: User, today: date) -> dict:
    """What the coordinator sees on a volunteer's page: the times they said they are away,
    with their notes (the form tells volunteers the coordinator sees them)."""
    away = services.absences_of(person, today) if person.is_volunteer else []
    return {"away": away, "Weekday": Weekday}
