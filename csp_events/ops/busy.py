"""A database busy past its timeout, or not answering: 503 and Retry-After, never a 500, and
the form that was being sent is offered again with what the person typed."""

import contextlib

from flask import Flask, g, render_template, request
from flask_login import AnonymousUserMixin
from sqlalchemy import exc

from ..extensions import db

RETRY_AFTER_SECONDS = 10
# OperationalError: SQLite's "database is locked", PostgreSQL gone or refusing connections;
# TimeoutError: no pooled connection free in time; InterfaceError: a connection that died.
UNAVAILABLE = (exc.OperationalError, exc.TimeoutError, exc.InterfaceError)


def register_busy_page(app: Flask) -> None:
    for error_class in UNAVAILABLE:
        app.register_error_handler(error_class, database_unavailable)


def database_unavailable(error: Exception):
    from flask import current_app

    current_app.logger.warning("Database busy or unavailable: %s", str(error).splitlines()[0])
    _end_transaction()
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    if request.path.endswith(".ics"):
        text = "The calendar is busy just now. Try again in a moment.\n"
        return text, 503, {**headers, "Content-Type": "text/plain; charset=utf-8"}
    _forget_user_unless_readable()
    page = render_template(
        "ops/busy.html",
        resend=request.method == "POST",
        fields=typed_values(),
        password_fields=_password_fields(),
        file_fields=list(request.files),
        retry_after=RETRY_AFTER_SECONDS,
    )
    return page, 503, headers


def typed_values() -> list[tuple[str, str]]:
    """Everything the form sent except passwords, which are never written into a page."""
    secret = set(_password_fields())
    return [
        (name, value)
        for name, values in request.form.lists()
        for value in values
        if name not in secret
    ]


def _password_fields() -> list[str]:
    return [name for name in request.form if "password" in name]


def _end_transaction() -> None:
    with contextlib.suppress(exc.SQLAlchemyError):  # the connection is gone; the pool replaces it
        db.session.rollback()
    db.session.close()


def _forget_user_unless_readable() -> None:
    """The page shows the person's menu only if their details are already in memory."""
    user = g.get("_login_user")
    try:
        if user is not None and user.is_authenticated:
            _ = user.role, user.name
    except exc.SQLAlchemyError:
        user = None
    if user is None or not user.is_authenticated:
        g._login_user = AnonymousUserMixin()
