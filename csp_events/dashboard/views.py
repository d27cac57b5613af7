"""The front door, and the coordinator's dashboard."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from ..access import coordinator_only, public
from ..auth.roles import Role
from ..reading_pages import reads_only
from ..timezones import utcnow
from .services import coordinator_dashboard

bp = Blueprint("dashboard", __name__)

HOME_FOR_ROLE = {
    Role.COORDINATOR: "dashboard.index",
    Role.VOLUNTEER: "signups.needing_people",
    Role.PARTNER: "events.calendar",
}


@bp.get("/")
@public
def home():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for(HOME_FOR_ROLE[Role(current_user.role)]))


@bp.get("/dashboard")
@reads_only
@coordinator_only
def index():
    return render_template("dashboard/index.html", view=coordinator_dashboard(utcnow()))
