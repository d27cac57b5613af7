"""The report page (with charts, printable), its CSV download, and the partner returns."""

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user

from ..access import roles
from ..auth.roles import Role
from ..formfields import options, options_of, show_error
from ..timezones import to_local, utcnow
from . import cached_charts, csvexport, returns, rules, services
from .forms import PeriodForm

bp = Blueprint("reports", __name__, url_prefix="/reports")
# Partner officers read the partnership's figures too; only the coordinator sees each
# volunteer's name against their hours.
readers = roles(Role.COORDINATOR, Role.PARTNER)


def _period_form() -> PeriodForm:
    today = to_local(utcnow()).date()
    earliest = services.first_year_with_events()
    years = rules.year_choices(to_local(earliest).date() if earliest else None, today)
    form = PeriodForm(request.args)
    form.year.choices = options((y, rules.year_label(y)) for y in years)
    return form


def _period() -> tuple[PeriodForm, rules.Period]:
    today = to_local(utcnow()).date()
    form = _period_form()
    period = rules.financial_year(rules.financial_year_of(today))
    if not request.args:
        form.year.data = period.first.year
        return form, period
    if form.validate():
        try:
            quarter = int(form.quarter.data) if form.quarter.data else None
            period = rules.choose_period(
                form.year.data, quarter, form.first.data, form.last.data, today
            )
        except rules.PeriodProblem as problem:
            show_error(form.last, str(problem))
    return form, period


@bp.get("")
@readers
def report():
    form, period = _period()
    figures, before = services.figures_with_year_before(period)
    return render_template(
        "reports/report.html",
        form=form,
        report=figures,
        before=before,
        charts=cached_charts.charts_for(figures, before),
        show_people=current_user.role == Role.COORDINATOR,
        export_args=request.args.to_dict(flat=False),
        rules=rules,
    )


@bp.get("/export.csv")
@readers
def export_csv():
    form, period = _period()
    if form.errors:
        abort(400)
    figures, before = services.figures_with_year_before(period)
    body = csvexport.to_csv(figures, before, with_people=current_user.role == Role.COORDINATOR)
    name = f"report-{period.first.isoformat()}-to-{period.last.isoformat()}.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _csv(body: str, name: str) -> Response:
    return Response(
        body, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def _returns_page(form: PeriodForm):
    today = to_local(utcnow()).date()
    if not form.year.errors and form.year.data is None:
        form.year.data = rules.financial_year_of(today)
    offered = {choice.value for choice in options_of(form.year)}
    shortcuts = [
        (text, args) for text, args in rules.recent_periods(today) if args["year"] in offered
    ]
    return render_template("reports/returns.html", form=form, shortcuts=shortcuts)


@bp.get("/returns")
@readers
def partner_returns():
    return _returns_page(_period_form())


@bp.get("/speedwatch-log.csv")
@readers
def speedwatch_log_csv():
    form, period = _period()
    if form.errors:
        return _returns_page(form), 400
    body = returns.speedwatch_log_csv(services.speedwatch_log(period))
    return _csv(body, f"speedwatch-log-{period.first.isoformat()}-to-{period.last.isoformat()}.csv")


@bp.get("/quarterly-return.csv")
@readers
def quarterly_return_csv():
    form = _period_form()
    if not form.validate():
        return _returns_page(form), 400
    year = form.year.data or rules.financial_year_of(to_local(utcnow()).date())
    quarters, whole = services.quarterly_return(year)
    return _csv(returns.quarterly_csv(quarters, whole), f"quarterly-return-{year}-{year + 1}.csv")
