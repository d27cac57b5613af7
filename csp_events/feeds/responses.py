"""Feed answers over HTTP: an ETag for each encoding, and 304 when the client's copy is current."""

from flask import Request, Response
from werkzeug.datastructures import ETags

from ..timezones import utcnow
from .caching import FeedStamp

# The gzipped body is another representation of the same feed: its own strong ETag.
GZIP_SUFFIX = "-gzip"


def wants_gzip(request: Request) -> bool:
    """gzip when the client accepts it with a quality above 0 (`gzip;q=0` refuses it)."""
    return request.accept_encodings.quality("gzip") > 0


def etag_of(stamp: FeedStamp, gzipped: bool) -> str:
    return stamp.etag + GZIP_SUFFIX if gzipped else stamp.etag


def is_current(request: Request, stamp: FeedStamp) -> bool:
    """The client's copy is this version, in either encoding (If-None-Match compared weakly,
    as RFC 9110 says; If-Modified-Since only when no ETag was sent)."""
    if request.if_none_match:
        return holds(request.if_none_match, stamp)
    since = request.if_modified_since
    if since is not None and since > utcnow():
        return False  # a date in the future is not a valid one (RFC 9110, 13.1.3): ignored
    changed = stamp.last_modified
    return since is not None and changed is not None and changed.replace(microsecond=0) <= since


def holds(if_none_match: ETags, stamp: FeedStamp) -> bool:
    """If-None-Match names this version, plain or gzipped (compared weakly)."""
    return if_none_match.contains_weak(stamp.etag) or if_none_match.contains_weak(
        stamp.etag + GZIP_SUFFIX
    )


def feed_response(
    stamp: FeedStamp, body: bytes | None, *, gzipped: bool, private: bool, name: str
) -> Response:
    """200 with `body` (already gzipped when `gzipped`), or 304 with none when `body` is None."""
    response = Response(status=304 if body is None else 200, mimetype="text/calendar")
    response.set_etag(etag_of(stamp, gzipped))
    if stamp.last_modified is not None:
        response.last_modified = stamp.last_modified
    response.headers["Cache-Control"] = f"{'private' if private else 'public'}, max-age=900"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Content-Disposition"] = f'inline; filename="{name}.ics"'
    response.vary.add("Accept-Encoding")
    if body is not None:
        response.set_data(body)
        response.content_type = "text/calendar; charset=utf-8"
        if gzipped:
            response.headers["Content-Encoding"] = "gzip"
    return response
