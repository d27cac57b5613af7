"""Asking for cover (the coordinator) and answering an offer (the volunteer, from an email)."""

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import coordinator_only, public
from ..auth.models import User
from ..errors import DomainError
from ..events.models import Event
from ..events.services import get_event
from ..timezones import utcnow
from . import services

bp = Blueprint("cover", __name__)


@bp.post("/events/<int:event_id>/cover")
@coordinator_only
def ask(event_id: int):
    event = get_event(event_id) or abort(404)
    try:
        asked = services.ask_for_cover(event, by=current_user)
    except DomainError as error:
        flash(error.message, "error")
    else:
        names = ", ".join(person.name for person in asked)
        flash(f"Asked {len(asked)} volunteers: {names}. The first to say yes gets the place.")
    return redirect(url_for("events.event_detail", event_id=event_id, _anchor="roster"))


@bp.route("/cover/<token>", methods=["GET", "POST"])
@public
def offer(token: str):
    """GET only shows the offer (mail scanners open links); the button POSTs the answer."""
    found = services.offer_for(token) or abort(404)
    state, problem = services.state_of(found, utcnow()), None
    if state == services.OfferState.OPEN and request.method == "POST":
        try:
            state = services.accept(found)
        except DomainError as error:
            problem = error.message
    return render_template(
        "cover/offer.html", offer=found, event=found.request.event, state=state, problem=problem
    )


def event_page_part(event: Event, viewer: User, now: datetime, manage: bool) -> dict:
    """The coordinator's "Ask for cover" on a short session."""
    return {"cover": services.panel(event, now) if manage else None}
