"""Withdraw, Remove, Cancel and a new calendar address each ask 'are you sure?' first,
as a page of its own (no JavaScript needed); only its second button changes anything."""

import re

from conftest import login_as, post
from factories import make_coordinator, make_event, make_item, make_user
from plans import surgery_plan

from csp_events.events.vocabulary import EventStatus
from csp_events.feeds.models import FeedScope
from csp_events.feeds.services import issue_token
from csp_events.series.services import create_series
from csp_events.signups.services import sign_up
from csp_events.signups.vocabulary import SignupStatus


def forms_posting_to(page: str, action: str) -> list[str]:
    return re.findall(rf'<form[^>]*method="post"[^>]*action="{re.escape(action)}"', page)


def test_withdraw_on_the_event_page_asks_first(client):
    event = make_event()
    volunteer = make_user()
    sign_up(event, volunteer, by=volunteer)
    login_as(client, volunteer)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert f'href="/events/{event.id}/withdraw"' in page
    assert not forms_posting_to(page, f"/events/{event.id}/withdraw")
    ask = client.get(f"/events/{event.id}/withdraw").get_data(as_text=True)
    assert "Are you sure you want to withdraw?" in ask
    assert forms_posting_to(ask, f"/events/{event.id}/withdraw")
    assert event.signups[0].status == SignupStatus.CONFIRMED
    post(client, f"/events/{event.id}/withdraw")
    assert event.signups[0].status == SignupStatus.WITHDRAWN


def test_remove_and_cancel_ask_the_coordinator_first(client):
    event = make_event()
    volunteer = make_user(name="Rita Roster")
    sign_up(event, volunteer, by=volunteer)
    login_as(client, make_coordinator())
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    remove = f"/events/{event.id}/roster/{volunteer.id}/remove"
    assert f'href="{remove}"' in page and not forms_posting_to(page, remove)
    assert "Remove Rita Roster from this session?" in client.get(remove).get_data(as_text=True)
    assert f'href="/events/{event.id}/cancel"' in page
    ask = client.get(f"/events/{event.id}/cancel").get_data(as_text=True)
    assert "Cancel this event?" in ask and 'value="cancelled"' in ask
    assert event.status == EventStatus.PLANNED and event.signups[0].status.is_active


def test_cancelling_one_session_of_a_series_says_only_that_session_is_cancelled(client):
    from factories import make_venue

    series = create_series(surgery_plan(make_venue()))
    login_as(client, make_coordinator())
    ask = client.get(f"/events/{series.events[0].id}/cancel").get_data(as_text=True)
    assert "Cancel this session only?" in ask and "the rest of the series carries on" in ask


def test_a_new_calendar_address_asks_first_because_the_old_one_stops_working(client):
    volunteer = make_user()
    issue_token(volunteer, FeedScope.PERSONAL)
    login_as(client, volunteer)
    page = client.get("/feeds").get_data(as_text=True)
    assert 'action="/feeds/personal/new"' in page and not forms_posting_to(page, "/feeds/personal")
    ask = client.get("/feeds/personal/new").get_data(as_text=True)
    assert "stops working at once" in ask and forms_posting_to(ask, "/feeds/personal")


def test_a_new_equipment_address_asks_first(client):
    item = make_item(name="Speed gun")
    coordinator = make_coordinator()
    issue_token(coordinator, FeedScope.EQUIPMENT, item=item)
    login_as(client, coordinator)
    page = client.get("/feeds").get_data(as_text=True)
    assert f'href="/feeds/equipment/{item.id}/new"' in page
    ask = client.get(f"/feeds/equipment/{item.id}/new").get_data(as_text=True)
    assert "Create a new calendar address for Speed gun?" in ask
    assert forms_posting_to(ask, f"/feeds/equipment/{item.id}")


def test_cancelling_a_whole_series_asks_first_on_a_page_of_its_own(client):
    from factories import make_venue

    series = create_series(surgery_plan(make_venue()))
    login_as(client, make_coordinator())
    page = client.get(f"/series/{series.id}").get_data(as_text=True)
    cancel = f"/series/{series.id}/cancel"
    assert f'href="{cancel}"' in page and not forms_posting_to(page, cancel)
    ask = client.get(cancel).get_data(as_text=True)
    assert "Cancel the whole series?" in ask and forms_posting_to(ask, cancel)
    assert all(e.status != EventStatus.CANCELLED for e in series.events)
    post(client, cancel)
    assert all(e.status == EventStatus.CANCELLED for e in series.events)


def test_removing_a_qualification_asks_first_and_says_what_it_takes_away(client):
    from factories import speedwatch_volunteer

    volunteer = speedwatch_volunteer(name="Sam Speed")
    (qualification,) = volunteer.qualifications
    login_as(client, make_coordinator())
    page = client.get(f"/people/{volunteer.id}").get_data(as_text=True)
    remove = f"/people/{volunteer.id}/qualifications/{qualification.id}/remove"
    assert f'href="{remove}"' in page and not forms_posting_to(page, remove)
    ask = client.get(remove).get_data(as_text=True)
    assert "Remove Community Speedwatch training?" in ask
    assert "taken off them and told" in ask and forms_posting_to(ask, remove)
    assert volunteer.qualifications == [qualification]
    done = post(client, remove)
    assert "Community Speedwatch training removed from Sam Speed" in client.get(
        done.location
    ).get_data(as_text=True)
    assert volunteer.qualifications == []


def test_withdrawing_mentions_the_waiting_list_only_when_someone_is_on_it(client):
    event = make_event(max_volunteers=1)
    ann, bob = make_user(name="Ann"), make_user(name="Bob")
    sign_up(event, ann, by=ann)
    login_as(client, ann)
    alone = client.get(f"/events/{event.id}/withdraw").get_data(as_text=True)
    assert "waiting list" not in alone and "someone else may have taken your place" in alone
    sign_up(event, bob, by=bob)  # the session is full: Bob waits
    assert "first person on the waiting list" in client.get(
        f"/events/{event.id}/withdraw"
    ).get_data(as_text=True)


def test_a_series_already_cancelled_is_not_offered_or_cancelled_again(client):
    from factories import make_venue

    from csp_events.events.services import set_status

    series = create_series(surgery_plan(make_venue()))
    login_as(client, make_coordinator())
    post(client, f"/series/{series.id}/cancel")
    reinstated = max(series.events, key=lambda e: e.starts_at)
    set_status(reinstated, EventStatus.PLANNED)
    page = client.get(f"/series/{series.id}/cancel")
    assert page.status_code == 302
    assert "already been cancelled" in client.get(page.location).get_data(as_text=True)
    post(client, f"/series/{series.id}/cancel")
    assert reinstated.status == EventStatus.PLANNED
