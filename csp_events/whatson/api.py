"""The open JSON API, version 1: public events and venues, read-only, for anyone.

Every response is JSON (errors too), carries an ETag (304 when unchanged) and CORS for
reading; each address has a request limit (API_RATE_LIMIT)."""

import hashlib
import json

from flask import Blueprint, Response, current_app, request, url_for
from werkzeug.exceptions import HTTPException

from ..access import public
from ..errorpages import MESSAGES
from ..events.vocabulary import EventKind, Theme
from ..extensions import limiter
from ..routing import LARGEST_ID
from ..timezones import to_local, utcnow
from . import services
from .listing import TIME_ZONE, ListingFilter, Period, PublicEvent, PublicPlace
from .rules import map_link

bp = Blueprint("api", __name__, url_prefix="/api/v1")
limiter.limit(lambda: current_app.config["API_RATE_LIMIT"])(bp)


def _json(document: dict, status: int = 200) -> Response:
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    response = Response(body, status=status, mimetype="application/json")
    if status == 200:
        response.set_etag(hashlib.sha256(body).hexdigest()[:32])
        response.headers["Cache-Control"] = "public, max-age=300"
        response.make_conditional(request)
    return response


def _error(status: int, message: str, fields: dict | list | None = None) -> Response:
    # `fields` is marshmallow's ValidationError.messages: a dict for a schema, typed wider.
    detail = {"status": status, "message": message} | ({"fields": fields} if fields else {})
    response = _json({"error": detail}, status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.after_request
def json_and_cors(response: Response) -> Response:
    """Errors from anywhere (a 404, the rate limit, a refused character) answer in JSON."""
    if response.status_code >= 400 and response.mimetype != "application/json":
        title = MESSAGES.get(response.status_code, MESSAGES[400])[0]
        error = _error(response.status_code, title)
        response.set_data(error.get_data())
        response.mimetype = "application/json"
        response.headers["Cache-Control"] = "no-store"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "If-None-Match"
    response.headers["Access-Control-Expose-Headers"] = "ETag"
    response.headers["Access-Control-Max-Age"] = "86400"
    return response


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    code = error.code or 500
    return _error(code, MESSAGES.get(code, MESSAGES[400])[0])


def _query() -> dict:
    # The schemas (marshmallow, ~100 ms to import) load with the API's first request, not
    # with every worker.
    from .api_schemas import EventQuery

    fields = EventQuery().fields
    raw = {
        name: request.args.getlist(name) if name in ("kind", "theme") else request.args[name]
        for name in fields
        if name in request.args
    }
    return EventQuery().load(raw)


def _place(place: PublicPlace | None) -> dict | None:
    if place is None:
        return None
    return {
        "id": place.id,
        "name": place.name,
        "address": place.address,
        "postcode": place.postcode,
        "ward": place.ward,
        "accessibility": place.accessibility,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "map_url": map_link(place.latitude, place.longitude) or None,
    }


def _event(event: PublicEvent) -> dict:
    """Plain values for EventSchema to write (times as Europe/London wall time with offset)."""
    return {
        "id": event.id,
        "title": event.title,
        "kind": event.kind.value,
        "kind_label": event.kind.label,
        "theme": event.theme.value if event.theme else None,
        "status": event.status.value,
        "starts_at": to_local(event.starts_at),
        "ends_at": to_local(event.ends_at),
        "previous_start": to_local(event.previous_start) if event.previous_start else None,
        "time_zone": TIME_ZONE,
        "place": _place(event.place),
        "what_to_expect": event.what_to_expect,
        "partners": list(event.partners),
        "url": url_for("whatson.event_page", event_id=event.id, _external=True),
        "calendar_url": url_for("whatson.event_ics", event_id=event.id, _external=True),
    }


@bp.get("/events")
@public
def list_events():
    """Upcoming public events, soonest first."""
    from marshmallow import ValidationError

    from .api_schemas import EventList

    try:
        query = _query()
    except ValidationError as error:
        return _error(400, "Something was wrong with the query", error.messages)
    filters = ListingFilter(
        kinds=tuple(dict.fromkeys(EventKind(k) for k in query.get("kind", ()))),
        themes=tuple(dict.fromkeys(Theme(t) for t in query.get("theme", ()))),
        venue_id=query.get("venue"),
        ward=query.get("ward", ""),
        period=Period(query["when"]),
    )
    found = services.listing_page(filters, utcnow(), query["page"], query["per_page"])
    return _json(EventList().dump(_page_document(found, filters)))


def _page_document(found, filters: ListingFilter) -> dict:
    def link(number: int) -> str:
        args = filters.query_args() | {"page": number, "per_page": found.per_page}
        return url_for("api.list_events", _external=True, **args)

    return {
        "data": [_event(e) for e in found.events],
        "page": found.page,
        "per_page": found.per_page,
        "total": found.total,
        "pages": found.pages,
        "links": {
            "self": link(found.page),
            "next": link(found.page + 1) if found.page < found.pages else None,
            "prev": link(found.page - 1) if 1 < found.page <= found.pages else None,
        },
    }


@bp.get("/events/<event_id>")
@public
def get_event(event_id: str):
    """One public event (an id the listing gave)."""
    number = int(event_id) if event_id.isascii() and event_id.isdigit() else 0
    event = services.public_event(number, utcnow()) if 0 < number <= LARGEST_ID else None
    if event is None:
        return _error(404, "No such public event")
    from .api_schemas import EventSchema

    return _json(EventSchema().dump(_event(event)))


@bp.get("/venues")
@public
def list_venues():
    """Venues with upcoming public events."""
    from .api_schemas import VenueList

    return _json(VenueList().dump({"data": [_place(v) for v in services.listed_venues(utcnow())]}))


@bp.get("/openapi.json")
@public
def openapi_document():
    from . import openapi

    return _json(openapi.document(current_app))
