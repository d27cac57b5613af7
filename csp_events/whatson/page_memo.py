"""An event's public page given again from memory to visitors without a cookie.

Residents arrive at an event's page from a council site, a search engine or a shared link,
many to the same few pages, and each gets the same bytes: the page shows nothing personal to
somebody who is not signed in (the policy allows GOV.UK's inline script by its hash, not a
per-request nonce). Each worker keeps the last answer the app gave for each address (without
a query string), host, scheme and encoding, and gives it again without Flask's request
machinery while it is still what the app would give: the change log's version is the one it
was made from and this process can vouch for it without reading (changes.services.
remembered_version: within the version memo's TTL, never after a commit here), the event has
not ended (its page is then gone), and the settings it shows are unchanged. Anything else goes
to the app as before.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, request

from ..answer_capture import KeptAnswers, accepts_gzip, captured_answer, sets_cookie
from ..changes.services import remembered_version
from ..timezones import utcnow

# Set by a view whose answer may be given again to other visitors without a cookie.
REPLAYABLE = "csp_events.replayable_page"
# What a page shows besides its data and the address it was asked at.
SETTINGS = ("PUBLIC_BASE_URL", "PARTNERSHIP_NAME", "EMBED_ALLOWED_ORIGINS")
# An event's page is ~15 KB: this keeps a few thousand per worker.
MAX_BYTES = 32 * 2**20
# The views whose answers are kept (each marks its answers with may_replay).
PAGE_VIEWS = ("whatson.event_page",)
# Request headers that may make the answer someone's own.
PERSONAL_REQUEST = ("HTTP_COOKIE", "HTTP_AUTHORIZATION")


@dataclass(frozen=True)
class PageStamp:
    """What a page was made from: the change log's version, and the moment it stops being
    what the app would give (an event's end)."""

    version: str
    until: datetime


@dataclass(frozen=True)
class Answer:
    """An answer as the app gave it (status, headers and body), with what it was made from."""

    stamp: PageStamp
    settings: tuple
    status: str
    headers: list[tuple[str, str]]
    body: bytes

    def size(self) -> int:
        return len(self.body) + 1024


def may_replay(version: str, until: datetime) -> None:
    """The page being answered shows only what the version made it, until `until`."""
    request.environ[REPLAYABLE] = PageStamp(version, until)


class PageMemo:
    """WSGI middleware around the Flask app (inside ProxyFix and the request log)."""

    def __init__(self, app, prefixes: tuple[str, ...], settings: Callable[[], tuple]):
        self.app = app
        self.prefixes = prefixes
        self.settings = settings
        self._kept = KeptAnswers(MAX_BYTES)

    def forget(self) -> None:
        self._kept.forget()

    def __call__(self, environ, start_response):
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or not environ.get("PATH_INFO", "").startswith(self.prefixes)
            or any(environ.get(name) for name in PERSONAL_REQUEST)
            # Each query string (a tracking tag on a shared link) would be a page of its own.
            or environ.get("QUERY_STRING")
        ):
            return self.app(environ, start_response)
        place = (
            environ["PATH_INFO"],
            # Everything the page's own addresses are made from (werkzeug's get_host).
            environ.get("wsgi.url_scheme", "http"),
            environ.get("HTTP_HOST") or (environ.get("SERVER_NAME"), environ.get("SERVER_PORT")),
            environ.get("SCRIPT_NAME", ""),
            accepts_gzip(environ),
        )
        answer = self._kept.get(place)
        if answer is not None and self._still_right(answer):
            start_response(answer.status, list(answer.headers))
            return [answer.body]
        return self._remembering(place, environ, start_response)

    def _still_right(self, answer: Answer) -> bool:
        return (
            answer.stamp.version == remembered_version()
            and utcnow() < answer.stamp.until
            and answer.settings == self.settings()
        )

    def _remembering(self, place: tuple, environ, start_response):
        settings = self.settings()  # as they were when the answer was made

        def replayable(status: str, headers) -> bool:
            return (
                environ.get(REPLAYABLE) is not None
                and status.startswith("200 ")
                and not sets_cookie(headers)
            )

        result, taken = captured_answer(self.app, environ, start_response, replayable)
        if taken is not None:
            answer = Answer(environ[REPLAYABLE], settings, taken.status, taken.headers, taken.body)
            self._kept.put(place, answer)
        return result


def install(app: Flask) -> None:
    """Around the app's WSGI callable, for the addresses of the pages that may be replayed
    (each rule up to its first variable part: only answers their views mark are kept)."""
    prefixes = tuple(
        rule.rule.split("<", 1)[0] for view in PAGE_VIEWS for rule in app.url_map.iter_rules(view)
    )
    config = app.config
    memo = PageMemo(app.wsgi_app, prefixes, lambda: tuple(config.get(n) for n in SETTINGS))
    app.extensions["csp_page_answers"] = memo
    app.wsgi_app = memo  # type: ignore[method-assign]  # Flask documents wrapping it like this
