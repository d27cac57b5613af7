"""Rota pages: the printable rota, the same as CSV, and a session's roster as CSV."""

from datetime import date

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user

from ..access import coordinator_only, signed_in
from ..auth.roles import Role
from ..events.vocabulary import EventKind
from ..formfields import show_error
from ..timezones import to_local, utcnow
from . import rules, services
from .forms import RotaForm

bp = Blueprint("rotas", __name__)


def _choose() -> tuple[RotaForm, tuple[date, date] | None, list[EventKind]]:
    """The form as sent, the days it asks for (None when it cannot be read), and the kinds."""
    is_coordinator = current_user.role == Role.COORDINATOR
    offered = rules.visible_kinds(is_coordinator)
    form = RotaForm(request.args)
    form.offer(offered)
    if not form.validate():
        return form, None, offered
    try:
        days = rules.rota_period(form.first.data, form.last.data, to_local(utcnow()).date())
    except rules.RotaPeriodProblem as problem:
        show_error(form.last, str(problem))
        return form, None, offered
    kinds = [EventKind(k) for k in form.kind.data or [] if k] or offered
    return form, days, kinds


def _csv(body: str, name: str) -> Response:
    return Response(
        body, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@bp.get("/rotas")
@signed_in
def rota():
    form, days, kinds = _choose()
    with_phones = current_user.role == Role.COORDINATOR
    lines = services.rota(*days, kinds, with_phones=with_phones) if days else []
    return render_template(
        "rotas/rota.html",
        form=form,
        days=days,
        lines=lines,
        show_phones=with_phones,
        months=rules.month_periods(to_local(utcnow()).date()),
        query=request.args.to_dict(flat=False),
    ), (200 if days else 400)


@bp.get("/rotas.csv")
@signed_in
def rota_csv():
    _form, days, kinds = _choose()
    if days is None:
        return rota()
    with_phones = current_user.role == Role.COORDINATOR
    lines = services.rota(*days, kinds, with_phones=with_phones)
    body = rules.rota_csv(lines, with_phones=with_phones)
    return _csv(body, f"rota-{days[0].isoformat()}-to-{days[1].isoformat()}.csv")


@bp.get("/events/<int:event_id>/roster.csv")
@coordinator_only
def session_roster_csv(event_id: int):
    found = services.session_roster(event_id) or abort(404)
    event, people = found
    day = to_local(event.starts_at).date().isoformat()
    return _csv(rules.roster_csv(people), f"roster-{day}-{event.id}.csv")
