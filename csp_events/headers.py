"""Security headers on every response, error pages included."""

import secrets
from collections.abc import Callable

from flask import Flask, g, request

from .config import embed_origins


def csp_nonce() -> str:
    # Created on first use: before_request hooks do not run when CSRF rejects a request.
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def embeddable(view: Callable) -> Callable:
    """This page may be framed by the origins in EMBED_ALLOWED_ORIGINS (and no others)."""
    vars(view)["embeddable"] = True  # an attribute of the function, which mypy does not allow
    return view


def _frame_ancestors(app: Flask) -> str:
    view = app.view_functions.get(request.endpoint or "")
    if not getattr(view, "embeddable", False):
        return "'none'"
    return " ".join(embed_origins(app.config.get("EMBED_ALLOWED_ORIGINS", ()))) or "'none'"


def register_security_headers(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def add_headers(response):
        nonce = g.get("csp_nonce")
        ancestors = _frame_ancestors(app)
        script_src = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; "
            f"script-src {script_src}; "
            "style-src 'self'; img-src 'self' data:; object-src 'none'; "
            f"base-uri 'none'; form-action 'self'; frame-ancestors {ancestors}"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        if ancestors == "'none'":
            # Older browsers know only this; it cannot name several sites, so a page that
            # some sites may frame relies on frame-ancestors alone.
            response.headers["X-Frame-Options"] = "DENY"
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if request.endpoint != "static":
            # Pages carry personal data (rosters, names, invitation links): never cache them.
            response.headers.setdefault("Cache-Control", "no-store")
        return response
