"""The public "What's on": what a resident finds, signed out, and what search engines and
other websites are given (JSON-LD, Open Graph, the embed)."""

import json
import re
from datetime import timedelta

import jsonschema_rs
import pytest
from conftest import login_as
from factories import at, days_ahead, make_coordinator, make_event, make_venue
from icalendar import Calendar
from plans import surgery_plan
from sqlalchemy import event as sa_event

from csp_events.events.vocabulary import EventKind, EventStatus, Theme
from csp_events.extensions import db
from csp_events.series.services import create_series
from csp_events.timezones import utcnow


@pytest.fixture
def library(app_context):
    venue = make_venue("Shenfield Library")
    venue.ward, venue.latitude, venue.longitude = "Shenfield", 51.62973, 0.32961
    venue.accessibility = "Step-free entrance; hearing loop at the desk"
    db.session.commit()
    return venue


def _titles(client, query: str = "") -> list[str]:
    page = client.get(f"/whats-on{query}").get_data(as_text=True)
    return re.findall(r'<a class="govuk-link" href="/whats-on/\d+">([^<]+)</a>', page)


def test_a_resident_filters_by_kind_theme_venue_ward_and_time(client, library):
    hall = make_venue("Hutton Community Centre")
    hall.ward = "Hutton Central"
    make_event(kind=EventKind.SURGERY, title="Library surgery", venue=library)
    roadshow = make_event(kind=EventKind.ROADSHOW, title="Scams roadshow", venue=hall)
    roadshow.theme = Theme.SCAMS
    make_event(title="Pop-up next year", venue=hall, starts_at=at(days_ahead(70), 10))
    db.session.commit()
    assert set(_titles(client)) == {"Library surgery", "Scams roadshow", "Pop-up next year"}
    assert _titles(client, "?kind=surgery") == ["Library surgery"]
    assert _titles(client, "?theme=scams") == ["Scams roadshow"]
    assert _titles(client, f"?venue={library.id}") == ["Library surgery"]
    assert set(_titles(client, "?ward=Hutton+Central")) == {"Scams roadshow", "Pop-up next year"}
    assert "Pop-up next year" not in _titles(client, "?when=this_month")


def test_a_resident_finds_next_months_surgeries_at_the_library(client, library):
    today = days_ahead(0)
    next_month = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
    month_after = (next_month.replace(day=28) + timedelta(days=4)).replace(day=1)
    make_event(
        kind=EventKind.SURGERY, title="Next month", venue=library, starts_at=at(next_month, 10)
    )
    make_event(kind=EventKind.SURGERY, title="Later", venue=library, starts_at=at(month_after, 10))
    make_event(kind=EventKind.POP_UP, title="Pop-up", venue=library, starts_at=at(next_month, 12))
    db.session.commit()
    query = f"?when=next_month&kind=surgery&venue={library.id}"
    assert _titles(client, query) == ["Next month"]
    assert 'value="next_month" checked' in client.get(f"/whats-on{query}").get_data(as_text=True)
    listed = client.get(f"/api/v1/events{query}").get_json()
    assert [e["title"] for e in listed["data"]] == ["Next month"]


def test_a_cancelled_event_shows_as_cancelled_until_it_would_have_ended(client, library):
    event = make_event(title="Called-off pop-up", venue=library, status=EventStatus.CANCELLED)
    page = client.get(f"/whats-on/{event.id}").get_data(as_text=True)
    assert "This event has been cancelled" in page and "Add to calendar" not in page
    assert "Cancelled" in client.get("/whats-on").get_data(as_text=True)
    event.starts_at, event.ends_at = utcnow() - timedelta(hours=1), utcnow() + timedelta(minutes=5)
    db.session.commit()
    assert client.get(f"/whats-on/{event.id}").status_code == 200
    event.ends_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get(f"/whats-on/{event.id}").status_code == 404


def test_an_event_page_seen_again_reads_nothing_and_is_gone_the_minute_the_event_ends(
    client, library, monkeypatch
):
    from csp_events.whatson import page_memo
    from csp_events.whatson import views as whatson_views

    event = make_event(title="Pop-up", venue=library, starts_at=utcnow() - timedelta(hours=1))
    page, ended = f"/whats-on/{event.id}", event.ends_at
    assert client.get(page).status_code == 200
    statements = []

    def note(_conn, _cursor, statement, *_args):
        statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", note)
    try:
        assert "Pop-up" in client.get(page).get_data(as_text=True)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", note)
    assert statements == []
    monkeypatch.setattr(whatson_views, "utcnow", lambda: ended)
    monkeypatch.setattr(page_memo, "utcnow", lambda: ended)
    assert client.get(page).status_code == 404


def test_an_event_page_gives_time_place_map_access_and_what_to_expect(client, library):
    event = make_event(kind=EventKind.SURGERY, title="Library surgery", venue=library)
    page = client.get(f"/whats-on/{event.id}").get_data(as_text=True)
    assert "Shenfield Library" in page and "CM14 4BP" in page
    assert "https://www.openstreetmap.org/?mlat=51.62973&amp;mlon=0.32961" in page
    assert "hearing loop at the desk" in page and "Drop in to talk" in page
    assert f'href="/whats-on/{event.id}.ics"' in page
    assert "webcal://csp.test/feeds/public.ics?kind=surgery" in page
    assert "<script src" not in page.split("</head>")[0]  # no map or other outside script


def test_no_map_link_when_the_venue_has_no_coordinates(client, app_context):
    event = make_event(title="Somewhere", venue=make_venue("Unmapped Hall"))
    assert "openstreetmap" not in client.get(f"/whats-on/{event.id}").get_data(as_text=True)


def test_the_subscribe_links_carry_the_same_filters(client, library):
    make_event(kind=EventKind.SURGERY, venue=library)
    page = client.get(f"/whats-on?kind=surgery&theme=scams&venue={library.id}&ward=Shenfield")
    text = page.get_data(as_text=True)
    assert (
        f"http://csp.test/feeds/public.ics?kind=surgery&amp;theme=scams&amp;venue={library.id}"
        "&amp;ward=Shenfield" in text
    )


def test_the_public_feed_filters_by_theme_and_ward_and_keeps_its_etag(client, library):
    roadshow = make_event(kind=EventKind.ROADSHOW, title="Road safety day", venue=library)
    roadshow.theme = Theme.ROAD_SAFETY
    make_event(title="Elsewhere", venue=make_venue("Hutton Hall"))
    db.session.commit()

    def summaries(query):
        body = client.get(f"/feeds/public.ics{query}").data
        return {str(e["SUMMARY"]) for e in Calendar.from_ical(body).walk("VEVENT")}

    assert summaries("?theme=road_safety") == {"Road safety day"}
    assert summaries("?ward=Shenfield") == {"Road safety day"}
    first = client.get("/feeds/public.ics?theme=road_safety")
    again = client.get(
        "/feeds/public.ics?theme=road_safety", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304


def test_add_to_calendar_gives_the_uid_the_public_feed_carries(client, library):
    single = make_event(title="Library pop-up", venue=library)
    series = create_series(surgery_plan(library))
    occurrence = series.events[3]
    feed = Calendar.from_ical(client.get("/feeds/public.ics").data)
    feed_uids = {str(e["UID"]) for e in feed.walk("VEVENT")}
    for event in (single, occurrence):
        response = client.get(f"/whats-on/{event.id}.ics")
        assert response.headers["Content-Disposition"].startswith("attachment")
        (vevent,) = Calendar.from_ical(response.data).walk("VEVENT")
        assert str(vevent["UID"]) in feed_uids
    assert vevent["RECURRENCE-ID"].dt == occurrence.original_start


# schema.org Event as search engines read it: Google's required properties, and the shapes
# of the recommended ones we give.
EVENT_SHAPE = {
    "type": "object",
    "required": ["@context", "@type", "name", "startDate", "location"],
    "properties": {
        "@context": {"const": "https://schema.org"},
        "@type": {"const": "Event"},
        "name": {"type": "string", "minLength": 1},
        "startDate": {
            "type": "string",
            "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$",
        },
        "endDate": {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$"},
        "eventStatus": {
            "enum": [
                "https://schema.org/EventScheduled",
                "https://schema.org/EventCancelled",
                "https://schema.org/EventRescheduled",
                "https://schema.org/EventPostponed",
                "https://schema.org/EventMovedOnline",
            ]
        },
        "eventAttendanceMode": {"const": "https://schema.org/OfflineEventAttendanceMode"},
        "location": {
            "type": "object",
            "required": ["@type", "name", "address"],
            "properties": {
                "@type": {"const": "Place"},
                "address": {
                    "type": "object",
                    "required": ["@type", "streetAddress", "addressCountry"],
                    "properties": {"@type": {"const": "PostalAddress"}},
                },
                "geo": {
                    "type": "object",
                    "required": ["@type", "latitude", "longitude"],
                    "properties": {"@type": {"const": "GeoCoordinates"}},
                },
            },
        },
        "organizer": {
            "type": "object",
            "required": ["@type", "name", "url"],
            "properties": {"@type": {"const": "Organization"}},
        },
        "previousStartDate": {"type": "string"},
    },
}


def _json_ld(page: str) -> dict:
    found = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.DOTALL)
    return json.loads(found[1])


@pytest.mark.parametrize("change", ["none", "cancelled", "moved"])
def test_the_json_ld_is_a_schema_org_event_with_its_status(client, library, change):
    series = create_series(surgery_plan(library))
    event = series.events[2]
    if change == "cancelled":
        event.status = EventStatus.CANCELLED
    elif change == "moved":
        event.starts_at += timedelta(days=1)
        event.ends_at += timedelta(days=1)
        event.detached = True
    db.session.commit()
    data = _json_ld(client.get(f"/whats-on/{event.id}").get_data(as_text=True))
    jsonschema_rs.validator_for(EVENT_SHAPE).validate(data)
    status = {"none": "Scheduled", "cancelled": "Cancelled", "moved": "Rescheduled"}[change]
    assert data["eventStatus"] == f"https://schema.org/Event{status}"
    assert ("previousStartDate" in data) == (change == "moved")


def test_open_graph_tags_describe_the_event(client, library):
    event = make_event(title="Library pop-up", venue=library)
    page = client.get(f"/whats-on/{event.id}").get_data(as_text=True)
    for tag in ("og:title", "og:description", "og:url", "og:type", "og:site_name"):
        assert f'<meta property="{tag}"' in page
    assert f'content="http://csp.test/whats-on/{event.id}"' in page


def test_the_embed_sets_no_cookie_and_only_allowed_sites_may_frame_it(app, client, library):
    make_event(title="Library pop-up", venue=library)
    app.config["EMBED_ALLOWED_ORIGINS"] = ("https://www.brentwood.gov.uk",)
    try:
        embed = client.get("/embed?theme=dark&accent=green")
        listing = client.get("/whats-on")
    finally:
        app.config["EMBED_ALLOWED_ORIGINS"] = ()
    assert "Set-Cookie" not in embed.headers
    assert (
        "frame-ancestors https://www.brentwood.gov.uk" in embed.headers["Content-Security-Policy"]
    )
    assert "X-Frame-Options" not in embed.headers
    assert "app-embed--dark app-embed--accent-green" in embed.get_data(as_text=True)
    assert "frame-ancestors 'none'" in listing.headers["Content-Security-Policy"]
    assert listing.headers["X-Frame-Options"] == "DENY"


def test_with_no_allowed_sites_nobody_may_frame_the_embed(client, app_context):
    embed = client.get("/embed")
    assert "frame-ancestors 'none'" in embed.headers["Content-Security-Policy"]
    assert embed.headers["X-Frame-Options"] == "DENY"


def test_an_odd_theme_falls_back_to_the_default_look(client, app_context):
    page = client.get("/embed?theme=%22%3E%3Cscript%3E&accent=red").get_data(as_text=True)
    assert "app-embed--light app-embed--accent-blue" in page and "<script>" not in page


def test_the_coordinator_copies_a_snippet_for_the_filters_chosen(client, library):
    make_event(venue=library)
    login_as(client, make_coordinator())
    page = client.get(f"/embed/snippet?kind=surgery&venue={library.id}&theme=dark")
    text = page.get_data(as_text=True)
    assert "&lt;iframe src=" in text
    assert (
        f"http://csp.test/embed?kind=surgery&amp;amp;venue={library.id}&amp;amp;theme=dark" in text
    )


def test_public_pages_issue_the_same_queries_for_few_and_many_events(client, library):
    def count(path):
        statements = []

        def note(_conn, _cursor, statement, *_args):
            if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "PRAGMA")):
                statements.append(statement)

        sa_event.listen(db.engine, "before_cursor_execute", note)
        try:
            assert client.get(path).status_code == 200
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", note)
        return len(statements)

    make_event(venue=library)
    few = {path: count(path) for path in ("/whats-on", "/embed", "/api/v1/events")}
    for n in range(40):
        make_event(venue=make_venue(), starts_at=at(days_ahead(1 + n % 20), 10))
    many = {path: count(path) for path in ("/whats-on", "/embed", "/api/v1/events")}
    assert few == many
