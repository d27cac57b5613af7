"""Recurring series pages: create, view, change or cancel the whole series."""

from datetime import datetime, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import coordinator_only, signed_in
from ..errors import DomainError
from ..events.forms import fields_from_form, offer_choices, show_problems
from ..events.models import EventSeries, SeriesStatus
from ..events.recurrence import Frequency, RecurrencePattern, describe
from ..events.services import ScheduleProblems, scheduling_choices
from ..formfields import validated
from . import services
from .forms import SeriesForm

bp = Blueprint("series", __name__, url_prefix="/series")


def plan_from_form(form: SeriesForm) -> services.SeriesPlan:
    details = fields_from_form(form)
    duration = details.ends_at - details.starts_at
    if duration <= timedelta(0):
        raise ScheduleProblems({"end_time": "The end time must be after the start time."})
    pattern = RecurrencePattern(
        frequency=Frequency(form.frequency.data),
        first_day=validated(form.start_date.data),
        starts_at=form.start_time.data,
        duration=duration,
        until=form.until.data if form.ends.data == "until" else None,
        count=form.count.data if form.ends.data == "count" else None,
        week_of_month=int(form.week_of_month.data) if form.week_of_month.data else None,
    )
    return services.SeriesPlan(pattern=pattern, details=details)


def form_data_for(series: EventSeries) -> dict:
    first_start = datetime.combine(series.first_day, series.local_start)
    return {
        "title": series.title,
        "kind": series.kind,
        "theme": series.theme or "",
        "venue_id": series.venue_id,
        "start_date": series.first_day,
        "start_time": series.local_start,
        "end_time": (first_start + timedelta(minutes=series.duration_minutes)).time(),
        "min_volunteers": series.min_volunteers,
        "max_volunteers": series.max_volunteers,
        "partner_agencies": series.partner_agency_codes.split(","),
        "is_public": series.is_public,
        "notes": series.notes,
        "frequency": series.frequency,
        "week_of_month": str(series.week_of_month) if series.week_of_month else "",
        "ends": "until" if series.until else "count",
        "until": series.until,
        "count": series.count,
    }


@bp.route("/new", methods=["GET", "POST"])
@coordinator_only
def new_series():
    form = SeriesForm(
        data={"kind": "surgery", "ends": "until"} if request.method == "GET" else None
    )
    offer_choices(form, scheduling_choices())
    if form.validate_on_submit():
        try:
            series = services.create_series(plan_from_form(form), by=current_user)
        except ScheduleProblems as problems:
            show_problems(form, problems)
        else:
            flash(f"{series.title}: {len(series.events)} sessions scheduled.", "success")
            return redirect(url_for("series.series_detail", series_id=series.id))
    return render_template("series/form.html", form=form, series=None)


@bp.get("/<int:series_id>")
@signed_in
def series_detail(series_id: int):
    series = services.series_with_sessions_or_404(series_id)
    return render_template(
        "series/detail.html", series=series, summary=describe(services.pattern_of(series))
    )


@bp.route("/<int:series_id>/edit", methods=["GET", "POST"])
@coordinator_only
def edit_series(series_id: int):
    series = services.series_or_404(series_id)
    form = SeriesForm(data=form_data_for(series) if request.method == "GET" else None)
    offer_choices(form, scheduling_choices())
    if form.validate_on_submit():
        try:
            services.update_series(series, plan_from_form(form), by=current_user)
        except ScheduleProblems as problems:
            show_problems(form, problems)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash("The series has been changed from today on.", "success")
            return redirect(url_for("series.series_detail", series_id=series.id))
    return render_template("series/form.html", form=form, series=series)


@bp.get("/<int:series_id>/cancel")
@coordinator_only
def confirm_cancel_series(series_id: int):
    """Are you sure? before cancelling every session still to come: it cannot be undone."""
    series = services.series_or_404(series_id)
    if series.status == SeriesStatus.CANCELLED:
        flash("This series has already been cancelled.", "error")
        return redirect(url_for("series.series_detail", series_id=series.id))
    return render_template(
        "confirm.html",
        caption=series.title,
        heading="Cancel the whole series?",
        paragraphs=[
            (
                "This cancels every session of the series that has not happened yet. Everyone "
                "signed up for them is told, and they show as cancelled in calendars."
            ),
            "Sessions that have already happened are kept.",
        ],
        warning="You can reinstate single sessions afterwards, but not the whole series.",
        action=url_for("series.cancel_series", series_id=series.id),
        button="Yes, cancel the whole series",
        back=url_for("series.series_detail", series_id=series.id),
    )


@bp.post("/<int:series_id>/cancel")
@coordinator_only
def cancel_series(series_id: int):
    series = services.series_or_404(series_id)
    try:
        cancelled = services.cancel_series(series, by=current_user)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(f"The series is cancelled: {cancelled} upcoming sessions cancelled.", "success")
    return redirect(url_for("series.series_detail", series_id=series.id))
