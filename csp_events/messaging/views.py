"""The coordinator's messages: write one, check who it reaches, send it, see who received it;
and GOV.UK Notify's delivery callbacks."""

import hmac

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import coordinator_only, public
from ..errors import DomainError
from ..extensions import csrf
from ..formfields import options
from ..people.vocabulary import QualificationKind
from ..templating import local_datetime
from ..timezones import utcnow
from . import audience as audiences
from . import services
from .enums import AudienceKind, Channel, RosterPart
from .forms import MessageForm

bp = Blueprint("messaging", __name__)


def _choices(form: MessageForm) -> None:
    now = utcnow()
    form.event_id.choices = options(
        [("", "Choose a session")]
        + [
            (e.id, f"{e.title}, {local_datetime(e.starts_at)}")
            for e in audiences.upcoming_sessions(now)
        ]
    )
    form.series_id.choices = options(
        [("", "Choose a series")] + [(s.id, s.title) for s in audiences.all_series()]
    )
    form.ward.choices = options([("", "Choose a ward")] + [(w, w) for w in audiences.wards()])


def _draft(form: MessageForm) -> services.Draft:
    audience = audiences.Audience(
        kind=AudienceKind(form.audience.data),
        event_id=form.event_id.data,
        series_id=form.series_id.data,
        part=RosterPart(form.part.data or RosterPart.BOTH.value),
        qualification=QualificationKind(form.qualification.data)
        if form.qualification.data
        else None,
        ward=form.ward.data or "",
    )
    return services.Draft(
        audience,
        {Channel(c) for c in form.channels.data or []},
        form.subject.data or "",
        form.body.data or "",
    )


def _plain_number(text: str) -> bool:
    # ASCII only: "²".isdigit() is true, and int("²") raises.
    return text.isascii() and text.isdigit() and len(text) <= 9


@bp.route("/messages/new", methods=["GET", "POST"])
@coordinator_only
def new_message():
    form = MessageForm()
    _choices(form)
    if request.method == "GET" and _plain_number(request.args.get("event", "")):
        form.audience.data, form.event_id.data = (
            AudienceKind.SESSION.value,
            int(request.args["event"]),
        )
    preview = None
    if form.validate_on_submit():
        try:
            if form.send.data:
                message = services.send_message(_draft(form), by=current_user)
                flash("Message sent. The list below shows who it went to, and how.", "success")
                return redirect(url_for("messaging.message_detail", message_id=message.id))
            preview = services.preview(_draft(form), utcnow())
        except DomainError as error:
            target = getattr(form, error.field or "", None) or form.audience
            target.errors = [*target.errors, error.message]
    return render_template("messaging/new.html", form=form, preview=preview)


@bp.get("/messages")
@coordinator_only
def list_messages():
    return render_template("messaging/list.html", messages=services.sent_messages())


@bp.get("/messages/<int:message_id>")
@coordinator_only
def message_detail(message_id: int):
    message = services.get_message(message_id) or abort(404)
    return render_template("messaging/detail.html", message=message)


@bp.post("/notify/callback")
@csrf.exempt
@public
def notify_callback():
    """GOV.UK Notify's delivery receipt, authenticated by the bearer token set in Notify."""
    expected = current_app.config.get("NOTIFY_CALLBACK_TOKEN") or ""
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        abort(401)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        abort(400)
    found = services.record_notify_status(
        str(payload.get("id", "")), str(payload.get("status", ""))
    )
    return ("", 204) if found else ("", 404)
