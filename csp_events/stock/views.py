"""Stock pages: the list with low-stock warnings, an item's ledger, deliveries and counts."""

from datetime import time

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from ..access import coordinator_only
from ..errors import DomainError
from ..formfields import validated
from ..timezones import local_to_utc, to_local, utcnow
from . import services
from .forms import CountForm, DeliveryForm, StockItemForm

bp = Blueprint("stock", __name__, url_prefix="/stock")
ITEM_FIELDS = ("name", "description", "low_stock_level", "active")


@bp.get("")
@coordinator_only
def list_items():
    return render_template("stock/list.html", items=services.items())


@bp.get("/<int:item_id>")
@coordinator_only
def item_detail(item_id: int):
    item = services.item_or_404(item_id)
    return render_template(
        "stock/detail.html",
        item=item,
        ledger=services.ledger(item),
        delivered=services.delivered_total(item),
    )


@bp.route("/new", methods=["GET", "POST"], defaults={"item_id": None})
@bp.route("/<int:item_id>/edit", methods=["GET", "POST"])
@coordinator_only
def edit_item(item_id: int | None):
    item = services.item_or_new(item_id)
    form = StockItemForm(obj=item if item_id else None)
    if form.validate_on_submit():
        try:
            services.save_item(item, {f: getattr(form, f).data for f in ITEM_FIELDS})
        except DomainError as error:
            getattr(form, error.field or "name").errors.append(error.message)
        else:
            flash(f"Saved {item.name}.", "success")
            return redirect(url_for("stock.item_detail", item_id=item.id))
    return render_template("stock/item_form.html", form=form, item=item if item_id else None)


@bp.route("/<int:item_id>/delivery", methods=["GET", "POST"])
@coordinator_only
def record_delivery(item_id: int):
    item = services.item_or_404(item_id)
    form = DeliveryForm()
    if not form.is_submitted():
        form.delivered_on.data = to_local(utcnow()).date()
    if form.validate_on_submit():
        try:
            services.record_delivery(
                item,
                validated(form.quantity.data),
                funder=form.funder.data or "",
                delivered_at=local_to_utc(validated(form.delivered_on.data), time(12)),
                by=current_user,
            )
        except services.StockRefused as refused:
            _show(form, refused.problems)
        else:
            flash(f"Recorded {form.quantity.data} {item.name.lower()} delivered.", "success")
            return redirect(url_for("stock.item_detail", item_id=item.id))
    return render_template("stock/delivery.html", form=form, item=item)


@bp.route("/<int:item_id>/count", methods=["GET", "POST"])
@coordinator_only
def record_count(item_id: int):
    item = services.item_or_404(item_id)
    form = CountForm()
    if form.validate_on_submit():
        try:
            services.record_count(
                item, validated(form.counted.data), reason=form.reason.data or "", by=current_user
            )
        except services.StockRefused as refused:
            _show(form, refused.problems)
        else:
            flash(f"{item.name}: the stock is now {form.counted.data}.", "success")
            return redirect(url_for("stock.item_detail", item_id=item.id))
    return render_template("stock/count.html", form=form, item=item)


def _show(form, problems: dict[str, str]) -> None:
    for name, message in problems.items():
        getattr(form, name).errors.append(message)
