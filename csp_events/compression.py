"""Pages and the JSON API gzipped for clients that accept it, with an ETag for each encoding.

Flask-Compress was the first choice, but it sends gzip to `Accept-Encoding: gzip;q=0` (a
refusal) and ignores `gzip; q=0.5` written with a space; werkzeug already parses the header
by the RFC. Feeds compress themselves (the gzipped body is built once and kept with the plain
one); anything already encoded, streamed or sent as a file is left alone.
"""

from flask import Flask, Request, Response, request
from isal import igzip

COMPRESSIBLE = frozenset(
    {
        "text/html",
        "text/plain",
        "text/csv",
        "text/css",
        "text/calendar",
        "text/javascript",
        "application/json",
        "application/javascript",
        "application/xml",
        "image/svg+xml",
    }
)
# Below this a gzip header and trailer cost about as much as they save.
MIN_SIZE = 500
# ISA-L (python-isal) at its level 1: standard gzip, ~20x faster than zlib's level 6 for a body
# ~10% larger.
LEVEL = 1
GZIP_SUFFIX = "-gzip"


def _may_carry_secrets(response: Response, req: Request) -> bool:
    """A page for someone with a session may hold a CSRF token or personal details beside
    text the request put there; compressed, its size could give them away (BREACH). Pages
    for people without a session (residents on What's on, the embed, search engines) and
    everything that is not HTML are compressed."""
    return response.mimetype == "text/html" and bool(req.cookies)


def accepts_gzip(req: Request) -> bool:
    """gzip with a quality above 0 (`gzip;q=0` refuses it; `*` accepts it)."""
    return req.accept_encodings.quality("gzip") > 0


def compress(response: Response) -> Response:
    if response.mimetype not in COMPRESSIBLE:
        return response
    response.vary.add("Accept-Encoding")
    if (
        response.status_code != 200
        or response.direct_passthrough
        or response.is_streamed
        or "Content-Encoding" in response.headers
    ):
        return response
    etag, weak = response.get_etag()
    if (
        accepts_gzip(request)
        and (response.content_length or 0) >= MIN_SIZE
        and not _may_carry_secrets(response, request)
    ):
        response.set_data(igzip.compress(response.get_data(), LEVEL, mtime=0))
        response.headers["Content-Encoding"] = "gzip"
        if etag and not weak:
            # Another representation, another strong ETag.
            response.set_etag(etag + GZIP_SUFFIX)
    if etag and not weak and _holds_either(etag):
        response.status_code = 304  # werkzeug drops the body and its headers
    return response


def _holds_either(etag: str) -> bool:
    """The client's copy is this content, plain or gzipped (compared weakly, RFC 9110)."""
    held = request.if_none_match
    return bool(held) and (held.contains_weak(etag) or held.contains_weak(etag + GZIP_SUFFIX))


def register_compression(app: Flask) -> None:
    app.after_request(compress)
