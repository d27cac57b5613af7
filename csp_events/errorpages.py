"""Friendly error pages; no request ends in a bare 500."""

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException

from .ops.busy import register_busy_page
from .plain_text import has_control_characters
from .routing import UnknownQueryValue
from .visits.keyring import KeyProblem

MESSAGES = {
    400: ("Something was wrong with that request", "Go back, reload the page and try again."),
    403: (
        "You cannot do that",
        "Your account does not allow this. Ask the coordinator if you need it.",
    ),
    404: ("Page not found", "Check the address, or use the menu to find what you need."),
    405: ("That did not work", "Use the buttons on the page rather than typing the address."),
    413: ("That was too large", "Send less at once."),
    429: ("Too many attempts", "Wait a few minutes and try again."),
    500: ("Sorry, something went wrong", "Try again later. The problem has been logged."),
}


def render_error(code: int):
    title, message = MESSAGES.get(code, MESSAGES[400])
    return render_template("errors.html", code=code, title=title, message=message), code


def _as_typed(value: str) -> str:
    if not value.strip():
        return ""
    return value.replace("\x0b", "\n").replace("\x0c", "\n")


def register_error_pages(app: Flask) -> None:
    @app.before_request
    def take_input_as_typed():
        """Control characters (NUL and its kin, not tab or line breaks) are refused: no form
        field ever needs one, PostgreSQL cannot store NUL and a calendar may not hold any.
        Word's line and page breaks (vertical tab, form feed) come with pasted text and are
        read as line breaks. A value of only spaces is taken as left blank, so "Enter a
        title" (not a blank title saved, or a blank time failing later) is what comes back."""
        posted = request.method not in ("GET", "HEAD")
        if posted:
            typed = [(key, v) for key, vs in request.form.lists() for v in vs]
            taken = [(key, _as_typed(v)) for key, v in typed]
            if taken != typed:
                request.form = ImmutableMultiDict(taken)
        form = request.form.lists() if posted else ()
        sent = [v for _key, vs in (*request.args.lists(), *form) for v in vs]
        sent += [v for v in (request.view_args or {}).values() if isinstance(v, str)]
        if any(has_control_characters(value) for value in sent):
            return render_error(400)
        return None

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        title = "Your form expired"
        message = "For your security the form timed out. Go back, reload the page and try again."
        return render_template("errors.html", code=400, title=title, message=message), 400

    @app.errorhandler(KeyProblem)
    def resident_key_problem(error: KeyProblem):
        from .extensions import db

        db.session.rollback()
        app.logger.error("Resident data key problem: %s", error)
        title = "Residents’ details cannot be read just now"
        message = (
            "The key that unlocks residents’ details is missing or wrong on this server. "
            "Tell whoever runs the system; nothing has been changed."
        )
        return render_template("errors.html", code=503, title=title, message=message), 503

    register_busy_page(app)

    @app.errorhandler(OverflowError)
    def number_too_large(_error):
        from .extensions import db

        db.session.rollback()  # an id no database integer can hold names nothing: not found
        return render_error(404)

    @app.errorhandler(UnknownQueryValue)
    def unknown_query_value(error: UnknownQueryValue):
        title = "That choice is not one we know"
        return render_template("errors.html", code=400, title=title, message=error.description), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        from .extensions import db

        db.session.rollback()
        app.logger.exception("Unhandled error", exc_info=error)
        return render_error(500)
