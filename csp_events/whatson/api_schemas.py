"""The open API's shapes (marshmallow): the same classes read the query, write the responses
and, through apispec, make the OpenAPI document, so the document cannot drift from the code."""

from marshmallow import EXCLUDE, Schema, fields, validate

from ..events.vocabulary import Theme
from ..places.wards import WARDS
from ..routing import LARGEST_ID
from .listing import LISTED_KINDS, Period, PublicStatus

MAX_PER_PAGE = 100


class EventQuery(Schema):
    class Meta:
        unknown = EXCLUDE

    kind = fields.List(
        fields.String(validate=validate.OneOf([k.value for k in LISTED_KINDS])),
        metadata={"description": "Only these kinds of event (repeat for several)."},
    )
    theme = fields.List(
        fields.String(validate=validate.OneOf([t.value for t in Theme])),
        metadata={"description": "Only events with these themes (repeat for several)."},
    )
    venue = fields.Integer(
        validate=validate.Range(1, LARGEST_ID),
        metadata={"description": "Only events at this venue (an id from /api/v1/venues)."},
    )
    ward = fields.String(
        validate=validate.OneOf(WARDS),
        metadata={"description": "Only events at venues in this ward."},
    )
    when = fields.String(
        load_default=Period.ALL.value,
        validate=validate.OneOf([p.value for p in Period]),
        metadata={
            "description": "this_week: until Sunday night; next_week: the Monday to Sunday "
            "after; this_month: until the month ends; next_month: the calendar month after "
            "(Europe/London)."
        },
    )
    page = fields.Integer(load_default=1, validate=validate.Range(1, 10_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(1, MAX_PER_PAGE))


class PlaceSchema(Schema):
    id = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "The venue's id; null for a Speedwatch roadside."},
    )
    name = fields.String(required=True)
    address = fields.String(required=True)
    postcode = fields.String(required=True)
    ward = fields.String(required=True, metadata={"description": "Empty when not recorded."})
    accessibility = fields.String(required=True)
    latitude = fields.Float(required=True, allow_none=True)
    longitude = fields.Float(required=True, allow_none=True)
    map_url = fields.String(
        required=True, allow_none=True, metadata={"description": "OpenStreetMap, where known."}
    )


class EventSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in LISTED_KINDS]))
    kind_label = fields.String(required=True)
    theme = fields.String(
        required=True, allow_none=True, validate=validate.OneOf([t.value for t in Theme])
    )
    status = fields.String(required=True, validate=validate.OneOf([s.value for s in PublicStatus]))
    starts_at = fields.DateTime(
        required=True, metadata={"description": "ISO 8601 with the UK offset of the day."}
    )
    ends_at = fields.DateTime(required=True)
    previous_start = fields.DateTime(
        required=True, allow_none=True, metadata={"description": "Set when the event was moved."}
    )
    time_zone = fields.String(required=True, metadata={"description": "IANA time zone."})
    place = fields.Nested(PlaceSchema, required=True, allow_none=True)
    what_to_expect = fields.String(required=True)
    partners = fields.List(fields.String(), required=True)
    url = fields.String(required=True, metadata={"description": "The event's public page."})
    calendar_url = fields.String(required=True, metadata={"description": "The event as .ics."})


class PageLinks(Schema):
    self = fields.String(required=True)
    next = fields.String(required=True, allow_none=True)
    prev = fields.String(required=True, allow_none=True)


class EventList(Schema):
    data = fields.List(fields.Nested(EventSchema), required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)
    pages = fields.Integer(required=True)
    links = fields.Nested(PageLinks, required=True)


class VenueList(Schema):
    data = fields.List(fields.Nested(PlaceSchema), required=True)


class ErrorDetail(Schema):
    status = fields.Integer(required=True)
    message = fields.String(required=True)
    fields_ = fields.Dict(
        data_key="fields",
        keys=fields.String(),
        values=fields.Raw(),
        metadata={"description": "For 400: what was wrong with each query argument."},
    )


class ErrorSchema(Schema):
    error = fields.Nested(ErrorDetail, required=True)
