"""The front door, and the coordinator's dashboard."""

from datetime import timedelta

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from ..access import coordinator_only, public
from ..auth.roles import Role
from ..engagement.services import overdue_days, overdue_outcomes
from ..equipment import custody
from ..equipment.speedwatch import sessions_needing_attention
from ..events.services import events_between
from ..people.services import expiring_qualifications
from ..places.services import approvals_ending
from ..referrals.services import referrals_waiting
from ..signups.rules import understaffed
from ..signups.services import roster_counts
from ..signups.vocabulary import SignupStatus
from ..stock.services import low_stock
from ..timezones import to_local, utcnow
from ..visits.lone_working import overdue_visits

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
@coordinator_only
def index():
    now = utcnow()
    events = events_between(now, now + timedelta(days=14), include_cancelled=False)
    counts = roster_counts([e.id for e in events])
    short = [
        e
        for e in events
        if understaffed(counts[e.id].get(SignupStatus.CONFIRMED, 0), e.min_volunteers)
    ]
    today = to_local(now).date()
    days = overdue_days()
    no_outcome_count, no_outcome = overdue_outcomes(now, days)
    return render_template(
        "dashboard/index.html",
        events=events,
        counts=counts,
        short=short,
        expiring=expiring_qualifications(today),
        today=today,
        calibration_due=custody.calibration_due(today),
        overdue=custody.overdue_returns(now),
        speedwatch_problems=sessions_needing_attention(now),
        overdue_visits=overdue_visits(now),
        new_referrals=referrals_waiting(),
        no_outcome=no_outcome,
        no_outcome_count=no_outcome_count,
        overdue_days=days,
        low_stock=low_stock(),
        approvals_ending=approvals_ending(today),
    )
