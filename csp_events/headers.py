"""Security headers on every response, error pages included."""

import base64
import hashlib
import re
from collections.abc import Callable

from flask import Flask, request

from .config import embed_origins

# The page layout's one inline script (it adds `js-enabled`) is in GOV.UK Frontend's template.
LAYOUT_TEMPLATE = "govuk_frontend_jinja/template.html"
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL)


def inline_script_sources(app: Flask) -> list[str]:
    """'sha256-…' for each inline script of the layout, taken from the template's own text, so
    a GOV.UK Frontend that changes the script changes the policy with it. A hash and not a
    per-request nonce: a page without personal data is then the same bytes for every visitor,
    and may be given again from memory (whatson/page_memo.py)."""
    loader = app.jinja_env.loader
    assert loader is not None  # configure_templates has set it  # nosec B101
    source, _name, _uptodate = loader.get_source(app.jinja_env, LAYOUT_TEMPLATE)
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"
        for text in INLINE_SCRIPT.findall(source)
    ]


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
    script_src = " ".join(["'self'", *inline_script_sources(app)])

    @app.after_request
    def add_headers(response):
        ancestors = _frame_ancestors(app)
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
