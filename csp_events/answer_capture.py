"""Answers taken whole from the app beneath a WSGI middleware, and kept, for the memos that
give answers again (feeds/answer_memo.py, whatson/page_memo.py)."""

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from cachetools import LRUCache
from werkzeug.http import parse_accept_header
from werkzeug.wsgi import ClosingIterator


@dataclass(frozen=True)
class Captured:
    status: str
    headers: list[tuple[str, str]]
    body: bytes


def accepts_gzip(environ) -> bool:
    """Whether the request takes gzip, as compression.py decides it: part of a kept answer's
    key, as each encoding is a different answer."""
    return _takes_gzip(environ.get("HTTP_ACCEPT_ENCODING", ""))


@lru_cache(maxsize=256)
def _takes_gzip(accept_encoding: str) -> bool:
    # Clients send a handful of spellings: each parsed once.
    return parse_accept_header(accept_encoding).quality("gzip") > 0


def sets_cookie(headers: list[tuple[str, str]]) -> bool:
    """Whether an answer is somebody's own: it must never be given to anyone else."""
    return any(name.lower() == "set-cookie" for name, _value in headers)


def captured_answer(
    app, environ, start_response, wanted: Callable[[str, list[tuple[str, str]]], bool]
) -> tuple[Iterable[bytes], Captured | None]:
    """The app's answer, passed on to `start_response` as it is, and, when `wanted(status,
    headers)` says so, its body read whole: (what the middleware returns to the server, the
    answer or None). What the app does when its answer is closed (a feed sharing its build
    with the other workers) still waits for the server to close it, after the body has gone."""
    seen: dict = {}

    def noting_start_response(status, headers, exc_info=None):
        seen.update(status=status, headers=list(headers))
        return start_response(status, headers, exc_info)

    result = app(environ, noting_start_response)
    if "status" not in seen or not wanted(seen["status"], seen["headers"]):
        return result, None
    try:
        body = b"".join(result)
    except BaseException:
        if hasattr(result, "close"):
            result.close()
        raise
    answer = Captured(seen["status"], seen["headers"], body)
    return ClosingIterator([body], getattr(result, "close", None)), answer


class KeptAnswers:
    """Answers kept in this process by key, safe across threads, the least recently used
    dropped first beyond `max_bytes` (each answer's own `size()`)."""

    def __init__(self, max_bytes: int):
        self._answers: LRUCache = LRUCache(maxsize=max_bytes, getsizeof=lambda a: a.size())
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            return self._answers.get(key)

    def put(self, key, answer) -> None:
        """Kept, unless it is larger than all that may be kept."""
        with self._lock:
            if answer.size() <= self._answers.maxsize:
                self._answers[key] = answer

    def forget(self) -> None:
        with self._lock:
            self._answers.clear()
