"""Equipment pages: the register, an item's page, booking, cancelling, check-out and check-in."""

from datetime import datetime, time

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import coordinator_only, roles, signed_in
from ..auth.models import User
from ..auth.roles import Role
from ..errors import DomainError
from ..events.models import Event
from ..events.services import qualified_confirmed_count
from ..events.vocabulary import EventKind
from ..formfields import options, show_error
from ..people.services import active_people, find_person
from ..timezones import AmbiguousLocalTime, NonexistentLocalTime, local_to_utc, to_local, utcnow
from . import custody, services
from .forms import BookingForm, CheckInForm, CheckOutForm, ItemForm
from .speedwatch import bookings_by_event, readiness_problems
from .vocabulary import Condition, ItemStatus

bp = Blueprint("equipment", __name__, url_prefix="/equipment")
bookers = roles(Role.COORDINATOR, Role.VOLUNTEER)

ITEM_FIELDS = (
    "name",
    "kind",
    "serial_number",
    "kept_at",
    "volunteers_may_book",
    "status",
    "out_of_service_reason",
    "calibration_certificate",
    "calibration_expires_on",
    "handover_buffer_minutes",
    "max_booking_hours",
    "handover_opens",
    "handover_closes",
    "closed_on_bank_holidays",
    "notes",
)


@bp.get("")
@signed_in
def list_items():
    now = utcnow()
    items, today = services.items(), to_local(now).date()
    return render_template(
        "equipment/list.html",
        items=items,
        now=now,
        today=today,
        mine=services.bookings_of(current_user, now),
        may_book=services.items_bookable_by(current_user, items, today),
    )


@bp.get("/<int:item_id>")
@signed_in
def item_detail(item_id: int):
    item = services.item_or_404(item_id)
    now = utcnow()
    return render_template(
        "equipment/detail.html",
        item=item,
        now=now,
        today=to_local(now).date(),
        bookings=services.upcoming_bookings(item, now),
        holder=custody.open_checkout(item),
        history=custody.history(item),
        manage=current_user.role == Role.COORDINATOR,
        refusal=services.booking_refusal(current_user, item, to_local(now).date()),
    )


@bp.route("/new", methods=["GET", "POST"], defaults={"item_id": None})
@bp.route("/<int:item_id>/edit", methods=["GET", "POST"])
@coordinator_only
def edit_item(item_id: int | None):
    item = services.item_or_new(item_id)
    form = ItemForm(obj=item if item_id else None)
    if request.method == "GET" and item_id:
        form.handover_days.data = sorted(item.handover_days.split(","))
        form.required_qualification.data = item.required_qualification or ""
    if form.validate_on_submit():
        fields = {f: getattr(form, f).data for f in ITEM_FIELDS}
        fields["handover_days"] = ",".join(sorted(form.handover_days.data or []))
        fields["required_qualification"] = form.required_qualification.data or None
        fields["status"] = ItemStatus(form.status.data)
        try:
            services.save_item(item, fields)
        except DomainError as error:
            getattr(form, error.field or "name").errors.append(error.message)
        else:
            flash(f"Saved {item.name}.", "success")
            return redirect(url_for("equipment.item_detail", item_id=item.id))
    return render_template("equipment/item_form.html", form=form, item=item if item_id else None)


def _moment(form, date_field: str, time_field: str) -> datetime | None:
    try:
        return local_to_utc(getattr(form, date_field).data, getattr(form, time_field).data)
    except (NonexistentLocalTime, AmbiguousLocalTime) as error:
        getattr(form, time_field).errors.append(str(error))
        return None


@bp.route("/<int:item_id>/book", methods=["GET", "POST"])
@bookers
def book(item_id: int):
    item = services.item_or_404(item_id)
    refusal = services.booking_refusal(current_user, item, to_local(utcnow()).date())
    if refusal:  # no form to fill in only to be refused at the end
        flash(refusal, "error")
        return redirect(url_for("equipment.item_detail", item_id=item.id))
    form = BookingForm()
    suggestions = []
    if form.validate_on_submit():
        starts_at, ends_at = (
            _moment(form, "start_date", "start_time"),
            _moment(form, "end_date", "end_time"),
        )
        if starts_at and ends_at:
            try:
                booking = services.book(
                    item, current_user, starts_at, ends_at, purpose=form.purpose.data or ""
                )
            except services.BookingConflict as conflict:
                show_error(form.start_time, conflict.message)
                suggestions = conflict.suggestions
            except services.BookingRefused as refused:
                for field, message in refused.problems.items():
                    show_error(getattr(form, field, form.start_date), message)
            else:
                note = services.handover_explained(booking)
                flash(f"{item.name} is booked for you. {note}".strip(), "success")
                return redirect(url_for("equipment.item_detail", item_id=item.id))
    elif request.method == "GET":
        _prefill(form)
    return render_template(
        "equipment/book.html",
        form=form,
        item=item,
        suggestions=suggestions,
        bookings=services.upcoming_bookings(item, utcnow()),
    )


def _prefill(form: BookingForm) -> None:
    """A suggested slot arrives as ?start=…&end=… (ISO); anything unreadable is ignored."""
    try:
        start = datetime.fromisoformat(request.args.get("start", ""))
        end = datetime.fromisoformat(request.args.get("end", ""))
    except ValueError:
        return
    if start.tzinfo is None or end.tzinfo is None:
        return
    start, end = to_local(start), to_local(end)
    form.start_date.data, form.start_time.data = start.date(), start.time().replace(tzinfo=None)
    form.end_date.data, form.end_time.data = end.date(), end.time().replace(tzinfo=None)


@bp.post("/bookings/<int:booking_id>/cancel")
@bookers
def cancel_booking(booking_id: int):
    booking = services.booking_or_404(booking_id)
    if current_user.role != Role.COORDINATOR and booking.booked_by_id != current_user.id:
        abort(404)
    services.cancel_booking(booking, current_user)
    flash("The booking is cancelled and the time is free for others.", "success")
    return redirect(url_for("equipment.item_detail", item_id=booking.item_id))


def _people_choices(form_field) -> None:
    form_field.choices = options((p.id, p.name) for p in active_people())


@bp.route("/<int:item_id>/check-out", methods=["GET", "POST"])
@coordinator_only
def check_out(item_id: int):
    item = services.item_or_404(item_id)
    now = utcnow()
    booking = custody.current_booking(item, now)
    form = CheckOutForm()
    _people_choices(form.collected_by_id)
    if request.method == "GET" and booking is not None:
        due = to_local(booking.ends_at)
        form.collected_by_id.data = booking.booked_by_id
        form.due_back_date.data, form.due_back_time.data = due.date(), time(due.hour, due.minute)
    if form.validate_on_submit():
        due_back_at = _moment(form, "due_back_date", "due_back_time")
        if due_back_at:
            try:
                custody.check_out(
                    item,
                    collected_by=find_person(form.collected_by_id.data) or abort(404),
                    condition=Condition(form.condition.data),
                    due_back_at=due_back_at,
                    booking=booking,
                    notes=form.notes.data or "",
                )
            except DomainError as error:
                getattr(form, error.field or "collected_by_id").errors.append(error.message)
            else:
                flash(f"{item.name} is checked out.", "success")
                return redirect(url_for("equipment.item_detail", item_id=item.id))
    return render_template("equipment/check_out.html", form=form, item=item, booking=booking)


@bp.route("/<int:item_id>/check-in", methods=["GET", "POST"])
@coordinator_only
def check_in(item_id: int):
    item = services.item_or_404(item_id)
    holder = custody.open_checkout(item)
    form = CheckInForm()
    _people_choices(form.returned_by_id)
    if request.method == "GET" and holder is not None:
        form.returned_by_id.data = holder.collected_by_id
    if form.validate_on_submit():
        try:
            custody.check_in(
                item,
                returned_by=find_person(form.returned_by_id.data) or abort(404),
                condition=Condition(form.condition.data),
                notes=form.notes.data or "",
            )
        except DomainError as error:
            show_error(form.returned_by_id, error.message)
        else:
            flash(f"{item.name} is checked back in.", "success")
            return redirect(url_for("equipment.item_detail", item_id=item.id))
    return render_template("equipment/check_in.html", form=form, item=item, holder=holder)


def event_page_part(event: Event, viewer: User, now: datetime, manage: bool) -> dict:
    """A Speedwatch session's speed gun bookings, and why it is not ready yet."""
    if event.kind != EventKind.SPEEDWATCH:
        return {"gun_bookings": [], "readiness": None}
    bookings = bookings_by_event([event.id]).get(event.id, [])
    readiness = readiness_problems(event, bookings, qualified_confirmed_count(event))
    return {"gun_bookings": [b for b in bookings if b.is_active], "readiness": readiness}
