"""Pages and the JSON API gzipped for clients that accept it, with an ETag for each encoding.

Flask-Compress was the first choice, but it sends gzip to `Accept-Encoding: gzip;q=0` (a
refusal) and ignores `gzip; q=0.5` written with a space; werkzeug already parses the header
by the RFC. Feeds compress themselves (the gzipped body is built once and kept with the plain
one); anything already encoded, streamed or sent as a file is left alone.
"""

import gzip

from flask import Flask, Request, Response, request

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
LEVEL = 6
GZIP_SUFFIX = "-gzip"


def accepts_gzip(req: Request) -> bool:
    """gzip with a quality above 0 (`gzip;q=0` refuses it; `*` accepts it)."""
    return req.accept_encodings.quality("gzip") > 0


def compress(response: Response) -> Response:
    if response.mimetype not in COMPRESSIBLE:
        return response
    response.vary.add("Accept-Encoding")
    if (
        not 200 <= response.status_code < 300
        or response.status_code == 206
        or response.direct_passthrough
        or response.is_streamed
        or "Content-Encoding" in response.headers
        or not accepts_gzip(request)
    ):
        return response
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    response.set_data(gzip.compress(body, LEVEL, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    etag, weak = response.get_etag()
    if etag and not weak:
        # Another representation, another strong ETag; either form sent back gives a 304.
        response.set_etag(etag + GZIP_SUFFIX)
        if request.if_none_match:
            response.make_conditional(request)
    return response


def register_compression(app: Flask) -> None:
    app.after_request(compress)
