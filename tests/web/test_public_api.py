"""The open API: schemathesis tries every documented operation against the app, and the
behaviours a client relies on (filters, pages, ETag/304, CORS, the limit, times) are pinned."""

from datetime import UTC, datetime

import pytest
import schemathesis
from factories import make_event, make_venue
from hypothesis import HealthCheck, given, settings
from plans import surgery_plan

from csp_events.events.vocabulary import EventKind, EventStatus, Theme
from csp_events.extensions import db
from csp_events.series.services import create_series

BASE = "http://csp.test"


@pytest.fixture
def listed(app_context):
    """A library with a monthly surgery, a road-safety roadshow, Speedwatch, a cancelled one."""
    library = make_venue("Shenfield Library")
    library.ward, library.latitude, library.longitude = "Shenfield", 51.6297, 0.3296
    library.accessibility = "Step-free; hearing loop"
    hall = make_venue("Hutton Community Centre")
    hall.ward = "Hutton Central"
    series = create_series(surgery_plan(library))
    roadshow = make_event(kind=EventKind.ROADSHOW, title="Road safety roadshow", venue=hall)
    roadshow.theme = Theme.ROAD_SAFETY
    make_event(kind=EventKind.SPEEDWATCH, title="Speedwatch, Hutton Road")
    make_event(title="Called off", venue=hall, status=EventStatus.CANCELLED)
    db.session.commit()
    return {"library": library, "hall": hall, "series": series, "roadshow": roadshow}


def test_every_operation_answers_as_its_document_says(app, listed):
    """Each operation with many generated queries: no server error, and every response is
    one the document lists, with its content type, headers and schema."""
    app.config["API_RATE_LIMIT"] = "100000 per minute"
    try:
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, base_url=BASE)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) == 3
        for operation in operations:

            @given(case=operation.as_strategy())
            @settings(
                max_examples=60,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def answers_as_documented(case):
                # Schemathesis sends requests' "Accept-Encoding: gzip, deflate" but its WSGI
                # transport never decodes: ask for the plain body (gzip has its own tests).
                case.call_and_validate(base_url=BASE, headers={"Accept-Encoding": "identity"})

            answers_as_documented()
    finally:
        app.config["API_RATE_LIMIT"] = "120 per minute"


def test_the_rarer_documented_answers_match_the_document_too(app, client, listed):
    """304 and 429 seldom come up by chance: ask for them, and check them the same way."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, base_url=BASE)
    operation = schema["/api/v1/events"]["GET"]
    etag = client.get("/api/v1/events").headers["ETag"]
    unchanged = operation.Case(headers={"If-None-Match": etag}).call_and_validate(base_url=BASE)
    assert unchanged.status_code == 304
    app.config["API_RATE_LIMIT"] = "1 per minute"
    try:
        plain = {"Accept-Encoding": "identity"}  # as above: the WSGI transport never decodes
        operation.Case().call_and_validate(base_url=BASE, headers=plain)  # the one allowed
        refused = operation.Case().call_and_validate(base_url=BASE, headers=plain)
    finally:
        app.config["API_RATE_LIMIT"] = "120 per minute"
    assert refused.status_code == 429


def test_the_document_is_openapi_3_1_and_names_every_operation(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    operations = {op["operationId"] for path in document["paths"].values() for op in path.values()}
    assert operations == {"listEvents", "getEvent", "listVenues"}


def test_filters_narrow_the_listing(client, listed):
    def ids(query: str) -> set[str]:
        return {e["title"] for e in client.get(f"/api/v1/events?{query}").get_json()["data"]}

    assert ids("theme=road_safety") == {"Road safety roadshow"}
    assert ids("kind=speedwatch") == {"Speedwatch, Hutton Road"}
    assert ids(f"venue={listed['hall'].id}") == {"Road safety roadshow", "Called off"}
    assert ids("ward=Hutton%20Central&kind=roadshow") == {"Road safety roadshow"}
    assert ids("kind=surgery&per_page=100") == {"NHW surgery"}


def test_pages_link_to_each_other_and_count_everything(client, listed):
    first = client.get("/api/v1/events?per_page=5").get_json()
    assert first["total"] == 12 + 3 and first["pages"] == 3 and first["links"]["prev"] is None
    second = client.get(first["links"]["next"].removeprefix(BASE)).get_json()
    assert second["page"] == 2 and second["links"]["prev"].endswith("page=1&per_page=5")
    assert not {e["id"] for e in first["data"]} & {e["id"] for e in second["data"]}


def test_an_unchanged_answer_is_304_with_no_body(client, listed):
    first = client.get("/api/v1/events")
    assert first.headers["Cache-Control"] == "public, max-age=300"
    again = client.get("/api/v1/events", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    listed["roadshow"].title = "Road safety roadshow (new time)"
    db.session.commit()
    changed = client.get("/api/v1/events", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200


def test_any_website_may_read_it_but_no_cookie_is_set(client, listed):
    response = client.get("/api/v1/events", headers={"Origin": "https://parish.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    assert "Set-Cookie" not in response.headers
    preflight = client.options("/api/v1/events", headers={"Origin": "https://parish.example"})
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert client.post("/api/v1/events").status_code in (400, 405)


def test_too_many_requests_from_one_address_are_refused_in_json(app, client, listed):
    app.config["API_RATE_LIMIT"] = "3 per minute"
    try:
        codes = [client.get("/api/v1/venues").status_code for _ in range(4)]
        refused = client.get("/api/v1/venues")
    finally:
        app.config["API_RATE_LIMIT"] = "120 per minute"
    assert codes == [200, 200, 200, 429]
    assert refused.get_json()["error"]["status"] == 429


def test_times_carry_the_offset_of_the_day_and_the_zone(client, app_context):
    next_year = datetime.now(UTC).year + 1
    make_event(title="Summer", starts_at=datetime(next_year, 7, 14, 9, tzinfo=UTC))  # 10:00 BST
    make_event(title="Winter", starts_at=datetime(next_year, 1, 12, 10, tzinfo=UTC))
    events = {e["title"]: e for e in client.get("/api/v1/events").get_json()["data"]}
    assert events["Summer"]["starts_at"].endswith("T10:00:00+01:00")
    assert events["Winter"]["starts_at"].endswith("+00:00")
    assert events["Summer"]["time_zone"] == "Europe/London"


def test_errors_are_json_and_say_what_was_wrong(client):
    bad = client.get("/api/v1/events?per_page=1000&kind=home_visit")
    assert bad.status_code == 400 and bad.mimetype == "application/json"
    assert set(bad.get_json()["error"]["fields"]) == {"per_page", "kind"}
    missing = client.get("/api/v1/events/999999")
    assert missing.status_code == 404 and missing.get_json()["error"]["status"] == 404
