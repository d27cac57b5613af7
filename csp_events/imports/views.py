"""Import pages: upload, the dry run (every row and every rejection), then the import."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from ..access import coordinator_only
from . import services
from .forms import UploadForm
from .rules import COLUMNS, REQUIRED

bp = Blueprint("imports", __name__, url_prefix="/imports")


@bp.route("", methods=["GET", "POST"])
@coordinator_only
def upload():
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            batch = services.upload(upload.filename, upload.read(), current_user)
        except services.UploadRefused as refused:
            form.file.errors.append(refused.message)
        else:
            return redirect(url_for("imports.dry_run", batch_id=batch.id))
    return render_template(
        "imports/upload.html",
        form=form,
        batches=services.recent_batches(),
        columns=COLUMNS,
        required=REQUIRED,
    )


@bp.get("/<int:batch_id>")
@coordinator_only
def dry_run(batch_id: int):
    batch = services.batch_or_404(batch_id)
    result = services.check(batch) if batch.imported_at is None else None
    return render_template("imports/dry_run.html", batch=batch, result=result)


@bp.post("/<int:batch_id>/import")
@coordinator_only
def run_import(batch_id: int):
    batch = services.batch_or_404(batch_id)
    try:
        count = services.run_import(batch, current_user)
    except services.NothingToImport as refused:
        flash(refused.message, "info")
    else:
        flash(
            f"Imported {count} {'event' if count == 1 else 'events'} from {batch.filename}.",
            "success",
        )
    return redirect(url_for("imports.dry_run", batch_id=batch.id))
