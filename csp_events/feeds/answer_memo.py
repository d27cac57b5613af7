"""Feed answers given again from memory while the version they were built from is current.

A county's calendars poll the feeds every few minutes and almost every poll finds them
unchanged, so the answer (a 304, or the same 200) is the same bytes each time. Each worker
keeps the last answer the app gave for each address, encoding and kind of request, headers and
all, and gives it again without the framework's request machinery for as long as
`services.still_right` vouches for it: the same day, and a version this process knows without
reading it (within the change log memo's TTL, never after a commit here) that is either the
answer's own or newer only by commits to tables the answer does not depend on. Under load,
each sign-up moves the version, and each personal feed poll then cost a token look-up, a
version check and a shared-cache round trip in the app (~4 ms of CPU) to find the feed
unchanged. Anything else (a version due for re-reading, If-Modified-Since, HEAD, any other
address) goes to the app as before, and an answer the app marks replayable is remembered in
turn.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from werkzeug.datastructures import ETags
from werkzeug.http import parse_etags

from ..answer_capture import KeptAnswers, accepts_gzip, captured_answer, sets_cookie
from . import responses, services

# Set by the feed view on a request whose answer may be replayed: the services.FeedEntry it
# answered from.
REPLAYABLE = "csp_events.replayable_feed"
REPLAYED_STATUSES = frozenset({200, 304})


@dataclass(frozen=True)
class Answer:
    entry: services.FeedEntry
    settings: tuple
    status: str
    headers: list[tuple[str, str]]
    body: bytes

    def size(self) -> int:
        return len(self.body) + 1024


@lru_cache(maxsize=256)
def _etags(if_none_match: str) -> ETags:
    return parse_etags(if_none_match)


class AnswerMemo:
    """WSGI middleware around the Flask app (inside ProxyFix and the request log, so both see
    replayed answers as any other)."""

    def __init__(
        self,
        app,
        prefixes: Iterable[str],
        settings: Callable[[], tuple],
        max_bytes: int,
        still_right: Callable[[services.FeedEntry], services.FeedEntry | None],
    ):
        self.app = app
        self.prefixes = tuple(prefixes)
        self.still_right = still_right
        # What a feed's bytes depend on besides its version (addresses in it, its title):
        # read on each replay, so a changed setting is never answered from memory.
        self.settings = settings
        self._kept = KeptAnswers(max_bytes)

    def forget(self) -> None:
        self._kept.forget()

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "GET" or not environ.get("PATH_INFO", "").startswith(
            self.prefixes
        ):
            return self.app(environ, start_response)
        if "HTTP_IF_MODIFIED_SINCE" in environ and "HTTP_IF_NONE_MATCH" not in environ:
            return self.app(environ, start_response)
        place = (
            environ["PATH_INFO"],
            environ.get("QUERY_STRING", ""),
            environ.get("wsgi.url_scheme", "http"),
            accepts_gzip(environ),
        )
        held = _etags(environ.get("HTTP_IF_NONE_MATCH", ""))
        answer = self._replayable(place, held)
        if answer is not None:
            start_response(answer.status, list(answer.headers))
            return [answer.body]
        return self._remembering(place, environ, start_response)

    def _replayable(self, place: tuple, held: ETags) -> Answer | None:
        """The answer the app would give now, if one is remembered and still current: the 304
        when the client holds the version, else the 200."""
        not_modified, full = self._kept.get((*place, 304)), self._kept.get((*place, 200))
        for answer, code, fits in ((not_modified, 304, True), (full, 200, False)):
            if (
                answer is None
                or responses.holds(held, answer.entry.stamp) != fits
                or answer.settings != self.settings()
            ):
                continue
            entry = self.still_right(answer.entry)
            if entry is None:
                continue
            if entry != answer.entry:  # carried to a newer version: checked once, not again
                answer = replace(answer, entry=entry)
                self._kept.put((*place, code), answer)
            return answer
        return None

    def _remembering(self, place: tuple, environ, start_response):
        settings = self.settings()  # as they were when the answer was made

        def replayable(status: str, headers) -> bool:
            return (
                environ.get(REPLAYABLE) is not None
                and _code(status) in REPLAYED_STATUSES
                and not sets_cookie(headers)
            )

        # The app's close (a feed sharing its build state with the other workers) runs once
        # the body has gone: it keeps no calendar waiting.
        result, taken = captured_answer(self.app, environ, start_response, replayable)
        if taken is not None:
            answer = Answer(environ[REPLAYABLE], settings, taken.status, taken.headers, taken.body)
            self._kept.put((*place, _code(taken.status)), answer)
        return result


def _code(status: str) -> int:
    return int(status.split(" ", 1)[0]) if status[:3].isdigit() else 0


# What a feed's bytes and headers depend on besides the change log and the day. (A feed
# token's life is in the change log: a revoked or deactivated one moves the version.)
SETTINGS = ("PUBLIC_BASE_URL", "CALENDAR_UID_DOMAIN", "PARTNERSHIP_NAME")
# Bodies kept per worker: a 10,000-event feed is ~5 MB plain, ~0.2 MB gzipped.
MAX_BYTES = 64 * 2**20


FEED_VIEWS = ("feeds.public_feed", "feeds.personal_feed", "feeds.equipment_feed")


def install(app) -> None:
    """Around the app's WSGI callable, for the addresses of the feeds (each rule up to its
    first variable part: only answers their views mark replayable are ever kept)."""
    prefixes = [
        rule.rule.split("<", 1)[0] for view in FEED_VIEWS for rule in app.url_map.iter_rules(view)
    ]
    config = app.config

    def still_right(entry: services.FeedEntry) -> services.FeedEntry | None:
        # The change log read (rarely) as a GET would read it: on SQLite, a transaction outside
        # a request would take the write lock at BEGIN and wait behind every writer.
        return services.still_right(entry, lambda: app.test_request_context(method="GET"))

    memo = AnswerMemo(
        app.wsgi_app,
        prefixes,
        lambda: tuple(config.get(name) for name in SETTINGS),
        MAX_BYTES,
        still_right,
    )
    app.extensions["csp_feed_answers"] = memo
    app.wsgi_app = memo
