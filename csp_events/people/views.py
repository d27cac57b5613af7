"""People pages: the coordinator's list, invitations, records and qualifications."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import coordinator_only
from ..auth import emails
from ..auth import services as accounts
from ..auth.models import User
from ..auth.roles import Role
from ..auth.rules import reset_link_lifetime_minutes
from ..auth.views import invite_url, invite_valid_days, reset_url
from ..errors import DomainError
from ..formfields import validated
from ..mail.services import try_deliver, uses_outbox
from ..page_parts import Page, parts_of
from ..templating import local_date
from ..timezones import to_local, utcnow
from . import services
from .forms import InviteForm, PersonDetailsForm, QualificationForm
from .vocabulary import QualificationKind

bp = Blueprint("people", __name__, url_prefix="/people")

DETAIL_FIELDS = ("name", "email", "phone", "ward", "organisation")


@bp.get("")
@coordinator_only
def list_people():
    today = to_local(utcnow()).date()
    return render_template(
        "people/list.html",
        people=services.people(),
        today=today,
        expiring=services.expiring_qualifications(today),
    )


@bp.route("/invite", methods=["GET", "POST"])
@coordinator_only
def invite():
    form = InviteForm()
    if form.validate_on_submit():
        details = {f: getattr(form, f).data or "" for f in DETAIL_FIELDS}
        try:
            person, token = accounts.invite_person(
                role=Role(form.role.data), valid_days=invite_valid_days(), **details
            )
        except DomainError as error:
            getattr(form, error.field or "email").errors.append(error.message)
        else:
            return _show_invitation(person, token)
    return render_template("people/invite.html", form=form, outbox=uses_outbox())


def _show_invitation(person: User, token: str):
    """Email the invitation, and show the link too (the coordinator may send it another way)."""
    link, days = invite_url(token), invite_valid_days()
    sent = try_deliver(emails.invitation(person, link, days))
    return render_template(
        "people/invite_link.html",
        person=person,
        link=link,
        lifetime=f"{days} {'day' if days == 1 else 'days'}",
        sent=sent,
        outbox=uses_outbox(),
        reset=False,
    )


@bp.route("/<int:person_id>", methods=["GET", "POST"])
@coordinator_only
def person_detail(person_id: int):
    person = services.person_or_404(person_id)
    form = PersonDetailsForm(obj=person)
    if form.validate_on_submit():
        try:
            services.update_details(
                person, **{f: getattr(form, f).data or "" for f in DETAIL_FIELDS}
            )
        except DomainError as error:
            getattr(form, error.field or "email").errors.append(error.message)
        else:
            flash("Details saved.", "success")
            return redirect(url_for("people.person_detail", person_id=person.id))
    today = to_local(utcnow()).date()
    return render_template(
        "people/detail.html",
        person=person,
        form=form,
        today=today,
        **parts_of(Page.PERSON, person=person, today=today),
    )


@bp.route("/<int:person_id>/qualifications", methods=["GET", "POST"])
@coordinator_only
def record_qualification(person_id: int):
    person = services.person_or_404(person_id)
    if person.role != Role.VOLUNTEER:
        abort(404)
    form = QualificationForm(kind=request.args.get("kind"))
    if form.validate_on_submit():
        services.record_qualification(
            person,
            kind=QualificationKind(form.kind.data),
            obtained_on=validated(form.obtained_on.data),
            expires_on=validated(form.expires_on.data),
            reference=form.reference.data or "",
            recorded_by=current_user,
        )
        flash(f"{QualificationKind(form.kind.data).label} recorded for {person.name}.", "success")
        return redirect(url_for("people.person_detail", person_id=person.id))
    return render_template("people/qualification_form.html", person=person, form=form)


def _qualification_or_404(person_id: int, qualification_id: int):
    person = services.person_or_404(person_id)
    return person, services.qualification_of(person, qualification_id) or abort(404)


@bp.get("/<int:person_id>/qualifications/<int:qualification_id>/remove")
@coordinator_only
def confirm_remove_qualification(person_id: int, qualification_id: int):
    """Are you sure? before taking a qualification off a record: places that need it go."""
    person, qualification = _qualification_or_404(person_id, qualification_id)
    label = qualification.kind.label
    return render_template(
        "confirm.html",
        caption=person.name,
        heading=f"Remove {label}?",
        paragraphs=[
            f"Passed {local_date(qualification.obtained_on)}, "
            f"expires {local_date(qualification.expires_on)}.",
            (
                f"If {person.name} is on sessions that need it, they are taken off them and "
                "told. To record a renewal instead, go back and choose Renew."
            ),
        ],
        action=url_for(
            "people.remove_qualification", person_id=person.id, qualification_id=qualification.id
        ),
        button="Yes, remove it",
        back=url_for("people.person_detail", person_id=person.id),
    )


@bp.post("/<int:person_id>/qualifications/<int:qualification_id>/remove")
@coordinator_only
def remove_qualification(person_id: int, qualification_id: int):
    person, qualification = _qualification_or_404(person_id, qualification_id)
    label = qualification.kind.label
    try:
        services.remove_qualification(person, qualification_id, by=current_user)
    except DomainError:
        abort(404)
    flash(f"{label} removed from {person.name}’s record.", "success")
    return redirect(url_for("people.person_detail", person_id=person.id))


@bp.post("/<int:person_id>/active")
@coordinator_only
def set_active(person_id: int):
    person = services.person_or_404(person_id)
    make_active = request.form.get("active") == "yes"
    try:
        accounts.set_active(person, make_active, by=current_user)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(f"{person.name} can {'now' if make_active else 'no longer'} sign in.", "success")
    return redirect(url_for("people.person_detail", person_id=person.id))


@bp.post("/<int:person_id>/invite")
@coordinator_only
def reissue_invite(person_id: int):
    person = services.person_or_404(person_id)
    if not person.active:
        flash("Reactivate the account before sending a new link.", "error")
        return redirect(url_for("people.person_detail", person_id=person.id))
    return _show_invitation(person, accounts.issue_invite(person, invite_valid_days()))


@bp.post("/<int:person_id>/password-reset")
@coordinator_only
def issue_password_reset(person_id: int):
    """For someone locked out: a reset link by email, shown here as well."""
    person = services.person_or_404(person_id)
    minutes = reset_link_lifetime_minutes(True, 0)
    try:
        token = accounts.issue_password_reset(person, minutes)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("people.person_detail", person_id=person.id))
    link = reset_url(token)
    mail = emails.password_reset(person, link, minutes)
    return render_template(
        "people/invite_link.html",
        person=person,
        link=link,
        lifetime="1 day",
        sent=try_deliver(mail),
        outbox=uses_outbox(),
        reset=True,
    )
