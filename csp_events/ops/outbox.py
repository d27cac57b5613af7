"""The development outbox page: what the app would have emailed, for the coordinator to read.

It lives with the operating pages, not in mail/: mail is delivery that every area (sign-in
included) uses, so it cannot import the access rules built on accounts. The blueprint keeps
its name, so its endpoints and addresses are unchanged."""

from pathlib import Path

from flask import Blueprint, abort, current_app, render_template

from ..access import coordinator_only
from ..mail import outbox
from ..mail.services import uses_outbox

bp = Blueprint("mail", __name__, url_prefix="/outbox")


def _folder() -> Path:
    return Path(current_app.config["MAIL_FILE_PATH"])


@bp.get("")
@coordinator_only
def outbox_list():
    return render_template(
        "mail/outbox.html",
        messages=outbox.entries(_folder()),
        total=outbox.count(_folder()),
        active=uses_outbox(),
        server=current_app.config["MAIL_SERVER"],
    )


@bp.get("/<name>")
@coordinator_only
def outbox_message(name: str):
    message = outbox.read(_folder(), name)
    if message is None:
        abort(404)
    body = message.get_body(preferencelist=("plain",))
    attachments = [
        (part.get_filename() or "attachment", part.get_content_type(), part.get_content())
        for part in message.iter_attachments()
    ]
    return render_template(
        "mail/message.html",
        message=message,
        body=body.get_content() if body is not None else "",
        attachments=attachments,
    )
