"""Full addresses for links in emails, in a request or from the command line."""

from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values) -> str:
    """PUBLIC_BASE_URL when it is set (always in production) or from the command line; in local
    development, the address the person used."""
    if has_request_context() and not current_app.config.get("PUBLIC_BASE_URL_FIXED"):
        return url_for(endpoint, _external=True, **values)
    return configured_url(endpoint, **values)


def configured_url(endpoint: str, **values) -> str:
    """Always from PUBLIC_BASE_URL, never the request: for what is kept or compared later
    (calendar content, whose bytes must not depend on the address a client used)."""
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def public_host() -> str:
    return urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "csp-events"


def calendar_uid_domain() -> str:
    """The fixed right-hand side of every calendar UID (see CALENDAR_UID_DOMAIN)."""
    return current_app.config.get("CALENDAR_UID_DOMAIN") or public_host()
