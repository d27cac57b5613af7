"""The OpenAPI 3.1 document of the open API, made by apispec from the marshmallow schemas
the API itself uses and from the app's own routes."""

import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask

from .api_schemas import ErrorSchema, EventList, EventQuery, EventSchema, VenueList

VERSION = "1.0.0"

_ERROR = {"content": {"application/json": {"schema": "Error"}}}
_ETAG = {"ETag": {"schema": {"type": "string"}, "description": "Send back as If-None-Match."}}
_IF_NONE_MATCH = {
    "in": "header",
    "name": "If-None-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": "The ETag you have: 304 with no body when it is still current.",
}


def _ok(schema: str, description: str) -> dict:
    return {
        "description": description,
        "headers": _ETAG,
        "content": {"application/json": {"schema": schema}},
    }


def _responses(ok: dict, *errors: int) -> dict:
    found = {"200": ok, "304": {"description": "Not modified since the ETag you sent."}}
    descriptions = {
        400: "A query argument was not understood.",
        404: "No such public event.",
        429: "Too many requests from this address; wait a minute.",
    }
    for code in (*errors, 429):
        found[str(code)] = {"description": descriptions[code], **_ERROR}
    return found


# Each API endpoint's operation; its path comes from the route itself.
OPERATIONS = {
    "api.list_events": {
        "operationId": "listEvents",
        "summary": "Upcoming public events, soonest first",
        "parameters": [{"in": "query", "schema": EventQuery}, _IF_NONE_MATCH],
        "responses": _responses(_ok("EventList", "A page of events."), 400),
    },
    "api.get_event": {
        "operationId": "getEvent",
        "summary": "One upcoming public event",
        "parameters": [
            {"in": "path", "name": "event_id", "required": True, "schema": {"type": "integer"}},
            _IF_NONE_MATCH,
        ],
        "responses": _responses(_ok("Event", "The event."), 404),
    },
    "api.list_venues": {
        "operationId": "listVenues",
        "summary": "Venues with upcoming public events",
        "parameters": [_IF_NONE_MATCH],
        "responses": _responses(
            _ok("VenueList", "Every such venue."),
        ),
    },
}


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)


def document(app: Flask) -> dict:
    spec = APISpec(
        title=f"{app.config['PARTNERSHIP_NAME']} events API",
        version=VERSION,
        openapi_version="3.1.0",
        plugins=[MarshmallowPlugin()],
        info={
            "description": (
                "Upcoming public community safety events (never home visits or private "
                "sessions). Times are ISO 8601 with the UK offset of the day, with the IANA "
                "zone in time_zone. Read-only, open to any origin (CORS), limited per address."
            ),
            "license": {"name": "Open Government Licence v3.0", "identifier": "OGL-UK-3.0"},
        },
    )
    spec.components.schema("Event", schema=EventSchema)
    spec.components.schema("EventList", schema=EventList)
    spec.components.schema("VenueList", schema=VenueList)
    spec.components.schema("Error", schema=ErrorSchema)
    for rule in app.url_map.iter_rules():
        operation = OPERATIONS.get(rule.endpoint)
        if operation is not None:
            spec.path(path=_openapi_path(rule.rule), operations={"get": dict(operation)})
    return spec.to_dict()
