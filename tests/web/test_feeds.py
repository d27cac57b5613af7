"""Calendar feeds, read back by independent consumers: recurring-ical-events and ical.js."""

import json
import logging
import shutil
import subprocess
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
import recurring_ical_events
from conftest import login_as, post
from factories import (
    at,
    days_ahead,
    make_coordinator,
    make_event,
    make_item,
    make_user,
    make_venue,
    next_weekday,
)
from icalendar import Calendar
from plans import surgery_plan

from csp_events.auth.roles import Role
from csp_events.equipment.services import book
from csp_events.events.forms import form_data_for
from csp_events.events.services import set_status, update_event
from csp_events.events.vocabulary import EventKind, EventStatus
from csp_events.ops.log_redaction import RedactFeedTokens, redact
from csp_events.series.services import create_series
from csp_events.signups.services import sign_up
from csp_events.timezones import local_to_utc, to_local, utcnow

REPO = Path(__file__).resolve().parents[2]
ICALJS = REPO / "tests" / "icaljs" / "expand.mjs"


def year_ahead() -> int:
    return to_local(utcnow()).year + 1


def expand_with_recurring_ical_events(body: bytes, start: datetime, end: datetime):
    calendar = Calendar.from_ical(body)
    occurrences = recurring_ical_events.of(calendar).between(start, end)
    return sorted(
        (
            str(e["UID"]),
            e.decoded("DTSTART").astimezone(UTC).strftime("%Y-%m-%dT%H:%M"),
            str(e.get("STATUS", "CONFIRMED")),
        )
        for e in occurrences
    )


def expand_with_icaljs(body: bytes, start: datetime, end: datetime, tmp_path):
    if shutil.which("node") is None or not (REPO / "node_modules" / "ical.js").exists():
        pytest.fail("node and npm's ical.js are needed (make setup installs them)")
    feed = tmp_path / "feed.ics"
    feed.write_bytes(body)
    result = subprocess.run(
        ["node", str(ICALJS), str(feed), start.isoformat(), end.isoformat()],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    return sorted((o["uid"], o["start"][:16], o["status"]) for o in json.loads(result.stdout))


@pytest.fixture
def surgery_series(app_context):
    venue = make_venue("Brentwood Library")
    return create_series(surgery_plan(venue, year=year_ahead()))


def test_a_monthly_surgery_is_at_ten_local_in_january_and_july_for_every_consumer(
    client, surgery_series, tmp_path
):
    body = client.get("/feeds/public.ics").get_data()
    year = year_ahead()
    span = (datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC))
    ours = expand_with_recurring_ical_events(body, *span)
    theirs = expand_with_icaljs(body, *span, tmp_path)
    assert ours == theirs
    starts = {s[:7]: s[11:] for _uid, s, _status in ours}
    assert len(ours) == 12
    assert starts[f"{year}-01"] == "10:00" and starts[f"{year}-07"] == "09:00"


def test_a_cancelled_and_a_moved_occurrence_show_for_every_consumer(
    client, surgery_series, tmp_path
):
    events = sorted(surgery_series.events, key=lambda e: e.starts_at)
    march, april = events[2], events[3]
    set_status(april, EventStatus.CANCELLED)
    from csp_events.events.services import EventFields

    moved_start = local_to_utc(to_local(march.starts_at).date() + timedelta(days=1), time(14))
    fields = EventFields(
        **{
            **_fields_of(march),
            "starts_at": moved_start,
            "ends_at": moved_start + timedelta(hours=2),
        }
    )
    update_event(march, fields)
    body = client.get("/feeds/public.ics").get_data()
    year = year_ahead()
    span = (datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC))
    ours = expand_with_recurring_ical_events(body, *span)
    assert ours == expand_with_icaljs(body, *span, tmp_path)
    assert len(ours) == 12
    by_start = {s: status for _uid, s, status in ours}
    assert by_start[moved_start.strftime("%Y-%m-%dT%H:%M")] == "CONFIRMED"
    assert by_start[april.starts_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")] == "CANCELLED"
    assert b"RECURRENCE-ID;TZID=Europe/London" in body and b"RRULE:FREQ=MONTHLY" in body


def _fields_of(event) -> dict:
    data = form_data_for(event)
    return {
        "title": event.title,
        "kind": event.kind,
        "theme": event.theme,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "venue_id": event.venue_id,
        "site_id": event.site_id,
        "area": event.area,
        "min_volunteers": event.min_volunteers,
        "max_volunteers": event.max_volunteers,
        "partner_agencies": [],
        "partner_officer_ids": data["partner_officer_ids"],
        "is_public": event.is_public,
        "notes": event.notes,
    }


def test_the_feed_is_well_formed_for_subscribing_clients(client, surgery_series):
    response = client.get("/feeds/public.ics")
    body = response.get_data()
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["X-Robots-Tag"].startswith("noindex")
    assert response.headers["Cache-Control"].startswith("public")
    assert b"\r\n" in body and all(len(line) <= 75 for line in body.split(b"\r\n"))
    for needed in (
        b"VERSION:2.0",
        b"PRODID:",
        b"METHOD:PUBLISH",
        b"X-WR-CALNAME:",
        b"REFRESH-INTERVAL",
        b"BEGIN:VTIMEZONE",
        b"TZID:Europe/London",
        b"DTSTAMP:",
        b"LAST-MODIFIED:",
        b"SEQUENCE:",
        b"LOCATION:Brentwood Library",
        b"URL:",
        b"CATEGORIES:",
    ):
        assert needed in body, needed


def test_private_events_and_home_visits_stay_out_of_the_public_feed(client, app_context):
    make_event(title="Internal briefing", is_public=False)
    make_event(kind=EventKind.HOME_VISIT, title="Visit SENTINEL-RESIDENT at 1 Secret Lane")
    body = client.get("/feeds/public.ics").get_data()
    assert (
        b"Internal briefing" not in body and b"SENTINEL" not in body and b"Home visit" not in body
    )


def test_kind_and_venue_filters(client, app_context):
    library, hall = make_venue("Library"), make_venue("Hall")
    make_event(title="Library pop-up", venue=library)
    make_event(title="Hall roadshow", venue=hall, kind=EventKind.ROADSHOW)
    assert b"Hall roadshow" not in client.get(f"/feeds/public.ics?venue={library.id}").get_data()
    only_roadshows = client.get("/feeds/public.ics?kind=roadshow").get_data()
    assert b"Hall roadshow" in only_roadshows and b"Library pop-up" not in only_roadshows


def test_polls_of_an_unchanged_feed_get_304_and_a_change_gets_a_new_etag(client, surgery_series):
    first = client.get("/feeds/public.ics")
    etag = first.headers["ETag"]
    again = client.get("/feeds/public.ics", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    since = client.get(
        "/feeds/public.ics", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert since.status_code == 304
    set_status(sorted(surgery_series.events, key=lambda e: e.starts_at)[5], EventStatus.CANCELLED)
    changed = client.get("/feeds/public.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert b"STATUS:CANCELLED" in changed.get_data()


def test_an_if_modified_since_in_the_future_is_ignored(client, surgery_series):
    """RFC 9110 13.1.3: a date later than the server's clock is not a valid one, so a client
    with a wrong clock still gets the feed rather than a 304 for ever."""
    answer = client.get(
        "/feeds/public.ics", headers={"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"}
    )
    assert answer.status_code == 200 and b"BEGIN:VCALENDAR" in answer.get_data()


def personal_address(client) -> str:
    page = post(client, "/feeds/personal").get_data(as_text=True)
    import re

    return re.search(r"http://csp\.test(/feeds/u/cspf_[A-Za-z0-9_-]+\.ics)", page)[1]


def test_a_personal_feed_has_my_sessions_marked_and_home_visits_only_by_area(client, tmp_path):
    volunteer = make_user(qualifications={"home_visit": days_ahead(800), "dbs": days_ahead(800)})
    full = make_event(title="Full pop-up", min_volunteers=0, max_volunteers=0)
    mine = make_event(title="My pop-up", starts_at=at(days_ahead(9), 10))
    visit = make_event(
        kind=EventKind.HOME_VISIT, title="Visit SENTINEL-RESIDENT", starts_at=at(days_ahead(11), 10)
    )
    make_event(title="Not mine", starts_at=at(days_ahead(12), 10))
    for event in (full, mine):
        sign_up(event, volunteer, by=volunteer)
    sign_up(visit, volunteer, by=make_coordinator())  # home visits are arranged, not joined
    login_as(client, volunteer)
    address = personal_address(client)
    response = client.get(address)
    body = response.get_data()
    assert response.headers["Cache-Control"].startswith("private")
    assert b"My pop-up" in body and b"Waiting list: Full pop-up" in body and b"Not mine" not in body
    assert b"Home visit" in body and b"CM15" in body and b"SENTINEL" not in body
    span = (utcnow() - timedelta(days=1), utcnow() + timedelta(days=60))
    assert expand_with_recurring_ical_events(body, *span) == expand_with_icaljs(
        body, *span, tmp_path
    )


def test_resetting_the_personal_address_stops_the_old_one_at_once(client):
    volunteer = make_user()
    login_as(client, volunteer)
    old = personal_address(client)
    assert client.get(old).status_code == 200
    new = personal_address(client)
    assert client.get(old).status_code == 404 and client.get(new).status_code == 200


def test_deactivation_revokes_the_feed_and_unknown_tokens_get_404(app, client):
    volunteer = make_user()
    login_as(client, volunteer)
    address = personal_address(client)
    login_as(client, make_coordinator())
    post(client, f"/people/{volunteer.id}/active", {"active": "no"})
    assert client.get(address).status_code == 404
    assert client.get("/feeds/u/cspf_not-a-real-token.ics").status_code == 404


def test_the_equipment_feed_lists_the_items_bookings_behind_its_token(client, tmp_path):
    gun, coordinator = make_item(name="Speed gun (Town Hall)"), make_coordinator()
    book(gun, coordinator, at(next_weekday(2), 10), at(next_weekday(2), 12), purpose="Wash Road")
    login_as(client, coordinator)
    page = post(client, f"/feeds/equipment/{gun.id}").get_data(as_text=True)
    import re

    address = re.search(
        r"http://csp\.test(/feeds/equipment/\d+\.ics\?token=cspf_[A-Za-z0-9_-]+)", page
    )[1]
    body = client.get(address.replace("&amp;", "&")).get_data()
    assert b"Speed gun (Town Hall) booked" in body and b"Wash Road" in body
    span = (utcnow(), utcnow() + timedelta(days=60))
    parsed = expand_with_recurring_ical_events(body, *span)
    assert len(parsed) == 1 and parsed == expand_with_icaljs(body, *span, tmp_path)
    assert client.get(f"/feeds/equipment/{gun.id}.ics?token=cspf_wrong").status_code == 404
    assert client.get(f"/feeds/equipment/{gun.id}.ics").status_code == 404


def test_one_event_downloads_as_an_ics_file(client, tmp_path):
    event = make_event(title="Knife Crime pop-up")
    login_as(client, make_user(Role.PARTNER))
    response = client.get(f"/events/{event.id}.ics")
    assert response.headers["Content-Disposition"].startswith("attachment")
    body = response.get_data()
    assert b"SUMMARY:Knife Crime pop-up" in body
    span = (utcnow(), utcnow() + timedelta(days=30))
    parsed = expand_with_recurring_ical_events(body, *span)
    assert parsed == expand_with_icaljs(body, *span, tmp_path)
    assert parsed[0][1] == event.starts_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")


def test_feed_tokens_are_redacted_from_access_logs():
    line = '127.0.0.1 - - "GET /feeds/u/cspf_SECRETSECRET.ics HTTP/1.1" 200 -'
    assert "SECRET" not in redact(line)
    assert "SECRET" not in redact("GET /feeds/equipment/3.ics?token=cspf_SECRET HTTP/1.1")
    for path in ("/invite/SECRET", "/password/reset/SECRET", "/emails/stop/SECRET.x"):
        assert redact(f"GET {path} HTTP/1.1") == f"GET {path.rsplit('/', 1)[0]}/[redacted] HTTP/1.1"
    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '%s - - "%s" %s',
        ("ip", "GET /feeds/u/cspf_SECRET.ics", "200"),
        None,
    )
    RedactFeedTokens().filter(record)
    assert "SECRET" not in record.getMessage()


def test_a_series_session_made_private_or_a_home_visit_leaves_the_public_feed(
    client, surgery_series, tmp_path
):
    from csp_events.events.services import EventFields

    events = sorted(surgery_series.events, key=lambda e: e.starts_at)
    update_event(
        events[2],
        EventFields(
            **{
                **_fields_of(events[2]),
                "kind": EventKind.HOME_VISIT,
                "title": "Visit SENTINEL-RESIDENT",
                "area": "CM15",
            }
        ),
    )
    update_event(
        events[3],
        EventFields(**{**_fields_of(events[3]), "is_public": False, "title": "PRIVATE briefing"}),
    )
    body = client.get("/feeds/public.ics").get_data()
    assert b"SENTINEL" not in body and b"Home visit" not in body and b"PRIVATE" not in body
    year = year_ahead()
    span = (datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC))
    ours = expand_with_recurring_ical_events(body, *span)
    assert len(ours) == 10 and ours == expand_with_icaljs(body, *span, tmp_path)


def test_the_subscribe_page_names_each_public_calendar_in_plain_english(client):
    login_as(client, make_user())
    page = client.get("/feeds").get_data(as_text=True)
    for name in (
        "All public events",
        "Neighbourhood Watch surgeries",
        "Community Speedwatch sessions",
        "Community Safety Roadshows",
        "Pop-up engagement events",
    ):
        assert f">{name}</h3>" in page


@pytest.mark.parametrize(
    ("edge", "moved_to", "listed"),
    [
        ("last ends", "at the start", False),  # over by the time the window opens
        ("last ends", "just after the start", True),
        ("last ends", "well after the start", True),
        ("first starts", "well before the end", True),  # the rest after the window
        ("first starts", "just before the end", True),
        ("first starts", "at the end", False),  # begins as the window closes
    ],
)
def test_the_public_feed_holds_a_series_with_a_session_reaching_into_its_window(
    client, app_context, edge, moved_to, listed
):
    """A series is shown when a session starts before the window ends and one ends after it
    starts (the window: feed_items.window, three months back and eighteen ahead)."""
    from csp_events.extensions import db
    from csp_events.feeds.feed_items import window

    series = create_series(surgery_plan(make_venue("Brentwood Library"), year=year_ahead()))
    sessions = series.events
    start, end = window(utcnow())
    target = {
        "at the start": start,
        "just after the start": start + timedelta(minutes=1),
        "well after the start": start + timedelta(days=30),
        "well before the end": end - timedelta(days=30),
        "just before the end": end - timedelta(minutes=1),
        "at the end": end,
    }[moved_to]
    if edge == "last ends":
        moved_by = target - max(s.ends_at for s in sessions)
    else:
        moved_by = target - min(s.starts_at for s in sessions)
    for session in sessions:  # put where the scheduling form would not put them
        session.starts_at += moved_by
        session.ends_at += moved_by
    db.session.commit()

    body = client.get("/feeds/public.ics").get_data(as_text=True)

    assert (f"series-{series.id}@" in body) is listed


def _months_as_shown(body: bytes, tmp_path) -> dict[str, tuple[str, str]]:
    """Each session of next year as both consumers expand the feed: (place, status) by month."""
    year = year_ahead()
    span = (datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC))
    ours = expand_with_recurring_ical_events(body, *span)
    assert ours == expand_with_icaljs(body, *span, tmp_path)
    occurrences = recurring_ical_events.of(Calendar.from_ical(body)).between(*span)
    return {
        f"{e.decoded('DTSTART'):%m}": (str(e["LOCATION"]).split(",")[0], str(e["STATUS"]))
        for e in occurrences
    }


def _in_july_next_year(monkeypatch) -> None:
    """The series' services act as if it were 1 July: the first half of the series is past."""
    july = local_to_utc(datetime(year_ahead(), 7, 1).date(), time(0))
    monkeypatch.setattr("csp_events.series.services.utcnow", lambda: july)


def test_a_series_moved_to_another_venue_shows_each_session_where_it_is(
    client, surgery_series, monkeypatch, tmp_path
):
    from csp_events.series.services import update_series

    _in_july_next_year(monkeypatch)
    update_series(
        surgery_series, surgery_plan(make_venue("Ingatestone Library"), year=year_ahead())
    )

    shown = _months_as_shown(client.get("/feeds/public.ics").get_data(), tmp_path)

    assert len(shown) == 12
    assert {shown[m][0] for m in ("01", "02", "03", "04", "05", "06")} == {"Brentwood Library"}
    assert {shown[m][0] for m in ("07", "08", "09", "10", "11", "12")} == {"Ingatestone Library"}


def test_cancelling_a_series_keeps_the_sessions_that_took_place(
    client, surgery_series, monkeypatch, tmp_path
):
    from csp_events.series.services import cancel_series

    _in_july_next_year(monkeypatch)
    cancel_series(surgery_series)

    shown = _months_as_shown(client.get("/feeds/public.ics").get_data(), tmp_path)

    assert {shown[m][1] for m in ("01", "02", "03", "04", "05", "06")} == {"CONFIRMED"}
    assert {shown[m][1] for m in ("07", "08", "09", "10", "11", "12")} == {"CANCELLED"}
