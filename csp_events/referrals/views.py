"""Referral pages. Resident details are shown only where the access rules allow, and each look
is audited; a referral someone may not see answers 404, as if it did not exist."""

import json
from datetime import date, datetime

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import absent_to_others, coordinator_only, roles, signed_in
from ..auth.roles import Role
from ..errors import DomainError, NotFound
from ..formfields import options, show_error, validated
from ..routing import id_arg
from ..templating import local_date, local_datetime
from ..timezones import AmbiguousLocalTime, NonexistentLocalTime, local_to_utc, to_local, utcnow
from ..visits.forms import VisitForm
from ..visits.lone_working import safety_checks
from ..visits.services import eligible_visitors, outcomes_of, visiting_pair
from . import erasure, services
from .audit import trail, trail_filter
from .forms import EraseForm, ReferralForm, ResidentForm, StatusForm
from .rules import MANUAL_NEXT, ResidentAccess, can_view_resident, may_schedule_visit
from .subject_access import export_resident
from .vocabulary import (
    PARTNER_SOURCES,
    ReferralSource,
    ReferralStatus,
    Vulnerability,
    source_for_organisation,
)

bp = Blueprint("referrals", __name__)
referrers = roles(Role.COORDINATOR, Role.PARTNER)

RESIDENT_FIELDS = (
    "name",
    "address",
    "postcode",
    "phone",
    "vulnerabilities",
    "vulnerability_note",
    "contact_method",
    "contact_note",
    "consent_given_by",
    "consent_method",
    "consent_given_on",
)


def _referral(referral_id: int) -> tuple:
    try:
        return services.referral_for(referral_id, current_user)
    except NotFound:
        abort(404)


def _resident_data(form: ResidentForm) -> services.ResidentData:
    values = {name: getattr(form, name).data for name in RESIDENT_FIELDS}
    for optional in ("vulnerability_note", "contact_note"):
        values[optional] = values[optional] or ""
    values["vulnerabilities"] = [Vulnerability(v) for v in values["vulnerabilities"]]
    return services.ResidentData(**values)


@bp.get("/referrals")
@referrers
def list_referrals():
    return render_template(
        "referrals/referrals.html",
        referrals=services.referrals_for(current_user),
        manage=current_user.role == Role.COORDINATOR,
    )


@bp.route("/referrals/new", methods=["GET", "POST"])
@referrers
def new_referral():
    form = ReferralForm()
    if current_user.role == Role.PARTNER:
        form.limit_sources(PARTNER_SOURCES)
    if request.method == "GET":
        form.consent_given_on.data = to_local(utcnow()).date()
        if current_user.role == Role.PARTNER:
            guess = source_for_organisation(current_user.organisation)
            form.source.data = guess.value if guess else None
    if form.validate_on_submit():
        try:
            referral = services.create_referral(
                _resident_data(form),
                source=ReferralSource(form.source.data),
                partner_reference=form.partner_reference.data or "",
                by=current_user,
            )
        except DomainError as error:
            getattr(form, error.field or "source").errors.append(error.message)
        else:
            flash(
                f"Referral {referral.reference} received. Thank you. Note {referral.reference} "
                "in your own records: the Community Safety team will contact the resident, "
                "and you can follow the referral’s progress here.",
                "success",
            )
            return redirect(url_for("referrals.referral_detail", referral_id=referral.id))
    return render_template("referrals/referral_form.html", form=form, referral=None)


@bp.get("/referrals/<int:referral_id>")
@signed_in
def referral_detail(referral_id: int):
    referral, access = _referral(referral_id)
    shows_details = can_view_resident(access) and referral.details is not None
    if shows_details:
        services.record_view(referral, current_user)
    manage, partner_view = access == ResidentAccess.FULL, access == ResidentAccess.STATUS
    visit_ids = [v.id for v in referral.visits]
    return render_template(
        "referrals/referral.html",
        referral=referral,
        access=access,
        details=referral.details if shows_details else None,
        manage=manage,
        next_steps=MANUAL_NEXT[referral.status] if manage else (),
        may_arrange=manage and shows_details and may_schedule_visit(referral.status),
        pairs={} if partner_view else {v.id: visiting_pair(v) for v in referral.visits},
        outcomes={} if partner_view else outcomes_of(visit_ids),
        checks=safety_checks(visit_ids),
        audit=trail(referral_id=referral.id) if manage else [],
        purge_due=manage and erasure.purge_is_due(referral),
        now=utcnow(),
    )


@bp.route("/referrals/<int:referral_id>/correct", methods=["GET", "POST"])
@coordinator_only
def correct_referral(referral_id: int):
    referral, _ = _referral(referral_id)
    if referral.details is None:
        flash("This resident’s details have been removed, so there is nothing to correct.", "info")
        return redirect(url_for("referrals.referral_detail", referral_id=referral.id))
    form = ResidentForm()
    if request.method == "GET":
        services.record_view(referral, current_user)
        for name, value in vars(services.current_data(referral)).items():
            getattr(form, name).data = (
                [v.value for v in value] if name == "vulnerabilities" else value
            )
    if form.validate_on_submit():
        changed = services.correct_details(referral, _resident_data(form), by=current_user)
        flash(
            "Corrected: " + ", ".join(changed) + "." if changed else "Nothing was changed.",
            "success",
        )
        return redirect(url_for("referrals.referral_detail", referral_id=referral.id))
    return render_template("referrals/referral_form.html", form=form, referral=referral)


@bp.route("/referrals/<int:referral_id>/status", methods=["GET", "POST"])
@coordinator_only
def referral_status(referral_id: int):
    referral, _ = _referral(referral_id)
    form = StatusForm()
    form.status.choices = options((s.value, s.label) for s in MANUAL_NEXT[referral.status])
    if form.validate_on_submit():
        try:
            services.move_referral(referral, ReferralStatus(form.status.data), by=current_user)
        except DomainError as error:
            show_error(form.status, error.message)
        else:
            flash(f"{referral.reference} is now {referral.status.label.lower()}.", "success")
            return redirect(url_for("referrals.referral_detail", referral_id=referral.id))
    return render_template("referrals/status.html", form=form, referral=referral)


@bp.get("/referrals/<int:referral_id>/export")
@coordinator_only
@absent_to_others
def export_referral(referral_id: int):
    referral, _ = _referral(referral_id)
    return render_template(
        "referrals/export.html",
        referral=referral,
        export=export_resident(referral, by=current_user),
        rows=readable_rows,
    )


def readable_rows(data: dict) -> list[dict]:
    """A section of the export as summary-list rows: local times, Yes/No, no empty rows."""
    rows = []
    for key, value in data.items():
        if isinstance(value, dict) or (
            isinstance(value, list) and value and isinstance(value[0], dict)
        ):
            continue
        if value in (None, "", []):
            continue
        if isinstance(value, datetime):
            text = local_datetime(value)
        elif isinstance(value, date):
            text = local_date(value)
        elif isinstance(value, bool):
            text = "Yes" if value else "No"
        elif isinstance(value, list):
            text = ", ".join(str(v) for v in value)
        else:
            text = str(value)
        rows.append({"key": {"text": key.replace("_", " ").capitalize()}, "value": {"text": text}})
    return rows


@bp.get("/referrals/<int:referral_id>/export.json")
@coordinator_only
@absent_to_others
def export_referral_json(referral_id: int):
    referral, _ = _referral(referral_id)
    export = export_resident(referral, by=current_user)
    body = json.dumps(export, indent=2, default=lambda value: value.isoformat())
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": (
                f'attachment; filename="{referral.reference}-subject-access.json"'
            )
        },
    )


@bp.route("/referrals/<int:referral_id>/erase", methods=["GET", "POST"])
@coordinator_only
def erase_referral(referral_id: int):
    referral, _ = _referral(referral_id)
    form = EraseForm()
    if form.validate_on_submit():
        try:
            erasure.erase_resident(referral, by=current_user)
        except DomainError as error:
            show_error(form.confirmed, error.message)
        else:
            flash(f"The resident’s details for {referral.reference} have been erased.", "success")
            return redirect(url_for("referrals.referral_detail", referral_id=referral.id))
    return render_template("referrals/erase.html", form=form, referral=referral)


@bp.get("/audit")
@coordinator_only
def audit_trail():
    person, people = trail_filter(id_arg("user"))
    return render_template(
        "referrals/audit.html",
        person=person,
        records=trail(actor_id=person.id) if person else trail(),
        people=people,
    )


def _volunteer_choices() -> list:
    return options([("", "Choose a volunteer")] + [(p.id, p.name) for p in eligible_visitors()])


@bp.route("/referrals/<int:referral_id>/visits/new", methods=["GET", "POST"])
@coordinator_only
def arrange_visit(referral_id: int):
    referral, _ = _referral(referral_id)
    form = VisitForm()
    form.first_volunteer.choices = form.second_volunteer.choices = _volunteer_choices()
    if form.validate_on_submit():
        try:
            day = validated(form.start_date.data)
            starts_at = local_to_utc(day, form.start_time.data)
            ends_at = local_to_utc(day, form.end_time.data)
            visit = services.arrange_visit(
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
    return render_template("referrals/arrange.html", form=form, referral=referral)
