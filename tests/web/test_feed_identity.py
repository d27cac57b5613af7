"""A calendar's UIDs never depend on how it was fetched, a session downloaded on its own is the
same VEVENT the feed carries, and valid subscribers are never throttled for others' mistakes."""

from factories import make_user, make_venue
from icalendar import Calendar
from plans import surgery_plan

from csp_events.feeds.models import FeedScope
from csp_events.feeds.services import BAD_TOKEN_LIMIT, issue_token
from csp_events.series.services import create_series


def _uids(body: bytes) -> set[str]:
    return {str(e["UID"]) for e in Calendar.from_ical(body).walk("VEVENT")}


def test_uids_use_the_configured_domain_whatever_host_the_client_used(client, app):
    create_series(surgery_plan(make_venue()))
    by_name = client.get("/feeds/public.ics", base_url="http://localhost")
    by_address = client.get("/feeds/public.ics", base_url="http://127.0.0.1:8000")
    assert _uids(by_name.get_data()) == _uids(by_address.get_data())
    assert all(uid.endswith("@127.0.0.1") for uid in _uids(by_name.get_data()))
    assert by_name.headers["ETag"] == by_address.headers["ETag"]
    app.config["CALENDAR_UID_DOMAIN"] = "events.saferbrentwood.org.uk"
    try:
        moved = client.get("/feeds/public.ics")
        assert all(uid.endswith("@events.saferbrentwood.org.uk") for uid in _uids(moved.data))
    finally:
        app.config["CALENDAR_UID_DOMAIN"] = ""


def test_a_series_session_downloaded_alone_is_the_occurrence_the_feed_carries(client, as_user):
    series = create_series(surgery_plan(make_venue()))
    session = series.events[3]
    as_user(make_user())
    (vevent,) = Calendar.from_ical(client.get(f"/events/{session.id}.ics").data).walk("VEVENT")
    feed_uids = _uids(client.get("/feeds/public.ics").get_data())
    assert str(vevent["UID"]) in feed_uids
    assert vevent["RECURRENCE-ID"].dt == session.original_start


def test_unknown_tokens_from_one_address_never_lock_out_a_valid_feed(client):
    valid = issue_token(make_user(), FeedScope.PERSONAL)
    for n in range(BAD_TOKEN_LIMIT + 5):
        client.get(f"/feeds/u/cspf_revoked{n}.ics")
    assert client.get("/feeds/u/cspf_revoked-again.ics").status_code == 429
    assert client.get(f"/feeds/u/{valid}.ics").status_code == 200


def test_a_download_or_attachment_is_what_the_persons_own_feed_shows(client, as_user, smtp):
    from factories import make_coordinator

    from csp_events.notices.services import send_pending
    from csp_events.signups.services import sign_up, withdraw
    from csp_events.timezones import utcnow

    series = create_series(surgery_plan(make_venue()))
    session = series.events[2]
    session.max_volunteers = 1
    ann, bob = make_user(email="ann@example.org"), make_user(email="bob@example.org")
    sign_up(session, ann, by=ann)
    sign_up(session, bob, by=bob)
    feed_url = f"/feeds/u/{issue_token(bob, FeedScope.PERSONAL)}.ics"
    feed = client.get(feed_url)
    (in_feed,) = Calendar.from_ical(feed.data).walk("VEVENT")
    as_user(bob)
    (download,) = Calendar.from_ical(client.get(f"/events/{session.id}.ics").data).walk("VEVENT")
    assert str(download["UID"]) == str(in_feed["UID"])
    assert str(download["STATUS"]) == "TENTATIVE" == str(in_feed["STATUS"])
    assert download["SEQUENCE"] == in_feed["SEQUENCE"]
    again = client.get(feed_url, headers={"If-None-Match": feed.headers["ETag"]})
    assert again.status_code == 304  # downloading moved nothing in the feed
    withdraw(session, bob, by=make_coordinator(), reason="Moving away")
    send_pending(utcnow())
    (message,) = smtp.to("bob@example.org")
    (part,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    (attached,) = Calendar.from_ical(part.get_content()).walk("VEVENT")
    (now_in_feed,) = Calendar.from_ical(client.get(feed_url).data).walk("VEVENT")
    assert str(attached["STATUS"]) == "CANCELLED" == str(now_in_feed["STATUS"])
    assert attached["SEQUENCE"] == now_in_feed["SEQUENCE"]
    assert str(attached["UID"]) == str(now_in_feed["UID"])


def test_an_event_leaving_a_feed_moves_last_modified_for_if_modified_since_clients(client):
    from factories import make_event

    from csp_events.extensions import db

    stays, goes = make_event(title="Stays"), make_event(title="Goes")
    first = client.get("/feeds/public.ics")
    goes.is_public = False
    db.session.commit()
    after = client.get(
        "/feeds/public.ics", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert (
        after.status_code == 200
        and b"Goes" not in after.data
        and stays.title.encode() in after.data
    )
    assert after.last_modified > first.last_modified
