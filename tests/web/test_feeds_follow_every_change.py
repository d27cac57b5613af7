"""Every change reaches every feed that shows it, and only those: a new ETag, and a higher
SEQUENCE and later LAST-MODIFIED on each VEVENT whose content changed."""

from dataclasses import replace
from datetime import timedelta

import pytest
from factories import (
    at,
    make_coordinator,
    make_event,
    make_item,
    make_site,
    make_user,
    make_venue,
    next_weekday,
    speedwatch_volunteer,
)
from icalendar import Calendar
from plans import surgery_plan

from csp_events.engagement.models import EventOutcome
from csp_events.equipment.services import save_item
from csp_events.equipment.speedwatch import book_gun_for_session
from csp_events.events.services import EventFields, set_status, update_event
from csp_events.events.vocabulary import EventKind, EventStatus
from csp_events.extensions import db
from csp_events.feeds.models import FeedScope
from csp_events.feeds.services import issue_token
from csp_events.people.services import update_details
from csp_events.places.services import save_site, save_venue
from csp_events.series.services import create_series, update_series
from csp_events.signups.services import sign_up, withdraw

FEEDS = ("public", "public_library", "public_speedwatch", "vera", "pat", "coordinator", "gun")


@pytest.fixture
def world(client, monkeypatch):
    """A library pop-up with a volunteer and a partner on it, a surgery series elsewhere, a
    Speedwatch session with the gun, and a subscriber of every kind of feed."""
    clock = {"now": None}
    from csp_events.feeds import services as feed_services

    real_now = feed_services.utcnow
    monkeypatch.setattr(feed_services, "utcnow", lambda: clock["now"] or real_now())
    coordinator = make_coordinator(name="Colin Coordinator")
    vera, pat = make_user(name="Vera Volunteer"), make_user(name="Pat Police", role="partner")
    library, hall = make_venue("Brentwood Library"), make_venue("Shenfield Hall")
    popup = make_event(title="Library pop-up", venue=library, max_volunteers=3)
    popup.partner_officers.append(pat)
    db.session.commit()
    sign_up(popup, vera, by=vera)
    series = create_series(surgery_plan(hall))
    site = make_site()
    gun = make_item(name="Speed gun 1")
    day = next_weekday(2, weeks_ahead=2)
    speedwatch = make_event(
        kind=EventKind.SPEEDWATCH, title="Speedwatch", site=site, starts_at=at(day, 10)
    )
    book_gun_for_session(speedwatch, coordinator)
    past = make_event(title="Last week", starts_at=at(next_weekday(2, weeks_ahead=-1), 10))
    db.session.commit()
    urls = {
        "public": "/feeds/public.ics",
        "public_library": f"/feeds/public.ics?venue={library.id}",
        "public_speedwatch": "/feeds/public.ics?kind=speedwatch",
        "vera": f"/feeds/u/{issue_token(vera, FeedScope.PERSONAL)}.ics",
        "pat": f"/feeds/u/{issue_token(pat, FeedScope.PERSONAL)}.ics",
        "coordinator": "/feeds/u/"
        + issue_token(coordinator, FeedScope.PERSONAL, include_everything=True)
        + ".ics",
        "gun": f"/feeds/equipment/{gun.id}.ics?token="
        + issue_token(coordinator, FeedScope.EQUIPMENT, item=gun),
    }
    return {
        "client": client,
        "clock": clock,
        "urls": urls,
        "coordinator": coordinator,
        "vera": vera,
        "popup": popup,
        "library": library,
        "series": series,
        "site": site,
        "gun": gun,
        "speedwatch": speedwatch,
        "past": past,
    }


def _fields(event) -> EventFields:
    return EventFields(
        title=event.title,
        kind=event.kind,
        theme=event.theme,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        venue_id=event.venue_id,
        site_id=event.site_id,
        area=event.area,
        min_volunteers=event.min_volunteers,
        max_volunteers=event.max_volunteers,
        partner_agencies=event.partner_agencies,
        partner_officer_ids=[p.id for p in event.partner_officers],
        is_public=event.is_public,
        notes=event.notes,
    )


def rename_venue(w):
    save_venue(w["library"], {"name": "Brentwood Central Library"})


def cancel_speedwatch(w):
    set_status(w["speedwatch"], EventStatus.CANCELLED, by=w["coordinator"])


def move_popup(w):
    fields = _fields(w["popup"])
    update_event(
        w["popup"],
        replace(
            fields,
            starts_at=fields.starts_at + timedelta(hours=1),
            ends_at=fields.ends_at + timedelta(hours=1),
        ),
        by=w["coordinator"],
    )


def rename_site(w):
    save_site(w["site"], {"road": "Ongar Road (north)"})


def rename_gun(w):
    save_item(w["gun"], {"name": "Speed gun A"})


def rename_coordinator(w):
    person = w["coordinator"]
    update_details(person, name="Colin Coe", email=person.email, phone="", ward="", organisation="")


def remove_vera(w):
    withdraw(w["popup"], w["vera"], by=w["coordinator"], reason="Asked to")


def change_series_time(w):
    plan = surgery_plan(w["series"].venue)
    plan.pattern = replace(plan.pattern, starts_at=plan.pattern.starts_at.replace(hour=11))
    update_series(w["series"], plan, by=w["coordinator"])


def record_an_outcome_elsewhere(w):
    """Something no feed prints: every feed keeps its ETag."""
    db.session.add(EventOutcome(event_id=w["past"].id, people_engaged=3))
    db.session.commit()


def name_pat_on_speedwatch(w):
    """A link table row (event_partner_officers): the event's own columns are unchanged."""
    pat = next(p for p in w["popup"].partner_officers if p.name == "Pat Police")
    w["speedwatch"].partner_officers.append(pat)
    db.session.commit()


CHANGES = {
    rename_venue: {"public", "public_library", "vera", "pat", "coordinator"},
    cancel_speedwatch: {"public", "public_speedwatch", "coordinator", "gun"},
    move_popup: {"public", "public_library", "vera", "pat", "coordinator"},
    rename_site: {"public", "public_speedwatch", "coordinator"},
    rename_gun: {"coordinator", "gun"},
    rename_coordinator: {"coordinator", "gun"},
    remove_vera: {"vera"},
    change_series_time: {"public", "coordinator"},
    record_an_outcome_elsewhere: set(),
    name_pat_on_speedwatch: {"pat"},
}


def _vevents(body: bytes) -> dict:
    calendar = Calendar.from_ical(body)
    found = {}
    for vevent in calendar.walk("VEVENT"):
        rid = vevent.get("RECURRENCE-ID")
        key = (str(vevent["UID"]), rid.to_ical() if rid else b"")
        stamps = ("SEQUENCE", "LAST-MODIFIED", "DTSTAMP")
        lines = vevent.to_ical().decode().replace("\r\n ", "").splitlines()
        content = sorted(line for line in lines if not line.startswith(stamps))
        found[key] = (content, int(vevent["SEQUENCE"]), vevent["LAST-MODIFIED"].dt)
    return found


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_a_change_reaches_exactly_the_feeds_that_show_it(world, change):
    client, urls, clock = world["client"], world["urls"], world["clock"]
    before = {name: client.get(url) for name, url in urls.items()}
    assert all(r.status_code == 200 for r in before.values())
    clock["now"] = before["public"].last_modified + timedelta(minutes=5)
    change(world)
    _assert_reaches_exactly(world, change, before)


def someone_else_signs_up(w):
    """Someone with no feed of their own joins the pop-up: only the coordinator's feed of
    everything, which shows every session's volunteers, could care."""
    sign_up(w["popup"], make_user(name="Nina Newcomer"), by=w["coordinator"])


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_a_change_after_others_were_carried_forward_reaches_exactly_the_feeds_that_show_it(
    world, change
):
    """Feeds whose last build read none of the tables a change wrote keep their body for the
    new version (feeds/carrying.py): the next change must still reach them."""
    client, urls, clock = world["client"], world["urls"], world["clock"]
    before = {name: client.get(url) for name, url in urls.items()}
    clock["now"] = before["public"].last_modified + timedelta(minutes=5)
    someone_else_signs_up(world)
    carried = {
        name: client.get(url, headers={"If-None-Match": before[name].headers["ETag"]})
        for name, url in urls.items()
    }
    assert {n for n, r in carried.items() if r.status_code == 200} <= {"coordinator"}
    before = {name: client.get(url) for name, url in urls.items()}
    change(world)
    _assert_reaches_exactly(world, change, before)


def _assert_reaches_exactly(world, change, before):
    client, urls = world["client"], world["urls"]
    after = {
        name: client.get(url, headers={"If-None-Match": before[name].headers["ETag"]})
        for name, url in urls.items()
    }
    changed = {name for name, r in after.items() if r.status_code == 200}
    assert changed == CHANGES[change]
    for name in changed:
        assert after[name].headers["ETag"] != before[name].headers["ETag"]
        old, new = _vevents(before[name].get_data()), _vevents(after[name].get_data())
        revised = [k for k in old.keys() & new.keys() if old[k][0] != new[k][0]]
        for key in revised:
            assert new[key][1] > old[key][1], (name, key, "SEQUENCE")
            assert new[key][2] > old[key][2], (name, key, "LAST-MODIFIED")
        unrevised = [k for k in old.keys() & new.keys() if old[k][0] == new[k][0]]
        for key in unrevised:
            assert new[key][1:] == old[key][1:], (name, key, "stamps moved with no change")


def test_an_unchanged_feed_is_the_same_bytes_when_built_again(world):
    client, url = world["client"], world["urls"]["coordinator"]
    first = client.get(url)
    from csp_events.feeds.services import feed_cache

    feed_cache.clear()
    again = client.get(url)
    assert again.get_data() == first.get_data()
    assert again.headers["ETag"] == first.headers["ETag"]


def test_a_speedwatch_volunteer_sees_the_cancellation_in_their_own_feed(world):
    volunteer = speedwatch_volunteer()
    sign_up(world["speedwatch"], volunteer, by=volunteer)
    url = f"/feeds/u/{issue_token(volunteer, FeedScope.PERSONAL)}.ics"
    before = world["client"].get(url)
    cancel_speedwatch(world)
    after = world["client"].get(url)
    assert after.headers["ETag"] != before.headers["ETag"]
    assert b"STATUS:CANCELLED" in after.get_data()
