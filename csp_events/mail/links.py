"""Full addresses for links in emails, in a request or from the command line."""

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any
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


# An id no event has, to find where an id goes in the event page's address.
_ANY_ID = 987654321


def configured_event_url(event) -> str:
    return configured_event_urls()(event)


def configured_event_address(event_id: int) -> str:
    return configured_event_urls()(SimpleNamespace(id=event_id))


def configured_event_urls() -> Callable[[Any], str]:
    """configured_url of an event's page, as a function of the event, made from the address's
    parts (remembered per app and PUBLIC_BASE_URL): a 10,000-event feed asks for 10,000 of
    them, and building each through the URL map cost half a second."""
    base = current_app.config["PUBLIC_BASE_URL"]
    remembered = current_app.extensions.setdefault("csp_event_url_parts", {})
    parts = remembered.get(base)
    if parts is None:
        parts = configured_url("events.event_detail", event_id=_ANY_ID).split(str(_ANY_ID))
        remembered[base] = parts
    before, after = parts
    return lambda event: f"{before}{int(event.id)}{after}"


def public_host() -> str:
    return urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "csp-events"


def calendar_uid_domain() -> str:
    """The fixed right-hand side of every calendar UID (see CALENDAR_UID_DOMAIN)."""
    return current_app.config.get("CALENDAR_UID_DOMAIN") or public_host()
