"""Choosing reminder emails, and the signed link in every reminder that stops one kind."""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from ..access import public, signed_in
from ..errors import DomainError
from ..extensions import csrf
from ..formfields import show_error
from . import services
from .forms import PreferencesForm
from .registry import BY_KEY, kinds_for
from .tokens import read_stop_token

bp = Blueprint("reminders", __name__)


def _hint(kind) -> str:
    return kind.hint.format(**current_app.config)


@bp.route("/account/emails", methods=["GET", "POST"])
@signed_in
def preferences():
    offered = kinds_for(current_user.role)
    form = PreferencesForm()
    form.kinds.choices = [(k.key, k.label) for k in offered]
    if form.validate_on_submit():
        try:
            services.save_choices(current_user, set(form.kinds.data or []))
        except DomainError as error:
            show_error(form.kinds, error.message)
        else:
            flash("Your email choices are saved.", "success")
            return redirect(url_for("reminders.preferences"))
    elif not form.is_submitted():
        chosen = services.choices(current_user)
        form.kinds.data = [key for key, on in chosen.items() if on]
    hints = {k.key: _hint(k) for k in offered}
    return render_template("reminders/preferences.html", form=form, hints=hints)


@bp.get("/emails/stop/<token>")
@public
def stop(token: str):
    found = read_stop_token(token)
    if found is None or found[1] not in BY_KEY:
        return render_template("reminders/stop_invalid.html"), 404
    return render_template("reminders/stop.html", kind=BY_KEY[found[1]], token=token)


@bp.post("/emails/stop/<token>")
@public
@csrf.exempt  # mail clients' one-click unsubscribe (RFC 8058) posts without a form token
def stop_confirmed(token: str):
    found = read_stop_token(token)
    try:
        kind = services.stop(*found) if found else None
    except DomainError:
        kind = None
    if kind is None:
        return render_template("reminders/stop_invalid.html"), 404
    return render_template("reminders/stopped.html", kind=kind)
