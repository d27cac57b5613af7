"""Issue 14's small fixes, each as a user would notice it."""

import re
from datetime import timedelta

import pytest
from conftest import login_as, post
from factories import make_coordinator, make_event, make_user

from csp_events.extensions import db
from csp_events.signups.services import SessionClash, sign_up
from csp_events.signups.vocabulary import SignupStatus
from csp_events.timezones import utcnow


def test_a_late_sign_up_is_warned_before_with_the_coordinators_details(client, app):
    coordinator = make_coordinator(name="Carol Coordinator", email="carol@example.org")
    coordinator.phone = "01277 312 500"
    db.session.commit()
    hours = app.config["WITHDRAWAL_CLOSES_HOURS"]
    event = make_event(starts_at=utcnow() + timedelta(hours=hours / 2))
    login_as(client, make_user())
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Once you sign up you cannot withdraw here" in page
    assert "carol@example.org" in page and "01277 312 500" in page
    assert event.signups == []  # warned before anything is done


def test_an_early_sign_up_has_no_late_warning(client):
    make_coordinator(email="carol@example.org")
    event = make_event()
    login_as(client, make_user())
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "cannot withdraw here" not in page and "carol@example.org" not in page


def test_an_overlap_with_a_waiting_list_place_says_waiting_list(app_context):
    full = make_event(title="Full pop-up", max_volunteers=1)
    taken = make_user()
    sign_up(full, taken, by=taken)
    volunteer = make_user()
    assert sign_up(full, volunteer, by=volunteer).status == SignupStatus.WAITLISTED
    clashing = make_event(title="Same time", starts_at=full.starts_at)
    with pytest.raises(SessionClash, match="already on the waiting list for"):
        sign_up(clashing, volunteer, by=volunteer)
    confirmed = make_event(title="Later", starts_at=full.starts_at + timedelta(days=1))
    sign_up(confirmed, volunteer, by=volunteer)
    later_clash = make_event(title="Later too", starts_at=confirmed.starts_at)
    with pytest.raises(SessionClash, match="already signed up for"):
        sign_up(later_clash, volunteer, by=volunteer)


def test_the_invite_page_says_the_link_is_emailed_as_the_next_page_does(client):
    login_as(client, make_coordinator())
    ask = client.get("/people/invite").get_data(as_text=True)
    assert "Nothing is sent automatically" not in ask and "We email them a link" in ask
    done = post(
        client,
        "/people/invite",
        {"name": "Nia New", "email": "nia@example.org", "role": "volunteer"},
    ).get_data(as_text=True)
    assert "We have emailed this link" in done


@pytest.mark.parametrize(
    "path",
    ["/calendar?kind=bogus", "/calendar?kind=surgery&kind=bogus", "/feeds/public.ics?kind=x"],
)
def test_an_unknown_kind_is_refused_with_the_kinds_we_know(client, path):
    login_as(client, make_user())
    response = client.get(path)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "is not a kind we know" in page and "speedwatch" in page


def test_a_known_kind_still_filters(client):
    login_as(client, make_user())
    assert client.get("/calendar?kind=surgery&view=agenda").status_code == 200


def test_a_site_approval_ending_soon_is_on_the_dashboard_with_no_session_booked(client):
    from factories import days_ahead, make_site

    site = make_site(expires_on=days_ahead(20))
    make_site(expires_on=days_ahead(60))
    login_as(client, make_coordinator())
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Speedwatch site approvals ending" in page
    assert f"/sites/{site.id}" in page and page.count("app-short-list__item") >= 1
    assert "1 site’s police approval ends within 30 days" in page


def test_the_month_grid_shows_the_neighbouring_months_days_linked_and_with_their_events(client):
    from datetime import date

    from factories import at

    from csp_events.events.calendar import grid_span

    assert grid_span(date(2027, 4, 1)) == (date(2027, 3, 29), date(2027, 5, 2))
    make_event(title="End of March pop-up", starts_at=at(date(2027, 3, 30), 10))
    login_as(client, make_user())
    page = client.get("/calendar?month=2027-04").get_data(as_text=True)
    assert "End of March pop-up" in page
    assert "app-calendar__day--outside" in page
    assert re.search(r'class="govuk-link app-calendar__date[^"]*" href="[^"]*month=2027-03', page)
    assert "No events in April 2027" in page  # the neighbour's event is not April's


def test_a_volunteer_is_not_shown_a_booking_form_they_may_not_use(client):
    from factories import make_item, speedwatch_volunteer

    gun = make_item(name="Speed gun")
    untrained = make_user()
    login_as(client, untrained)
    assert f"/equipment/{gun.id}/book" not in client.get("/equipment").get_data(as_text=True)
    detail = client.get(f"/equipment/{gun.id}").get_data(as_text=True)
    assert f"/equipment/{gun.id}/book" not in detail
    assert "needs Community Speedwatch training" in detail
    response = client.get(f"/equipment/{gun.id}/book")
    assert response.status_code == 302 and response.location.endswith(f"/equipment/{gun.id}")
    login_as(client, speedwatch_volunteer())
    assert f"/equipment/{gun.id}/book" in client.get(f"/equipment/{gun.id}").get_data(as_text=True)
    assert client.get(f"/equipment/{gun.id}/book").status_code == 200


@pytest.mark.parametrize(
    ("coordinator", "anchor"), [(True, "#equipment-heading"), (False, "#personal-heading")]
)
def test_the_equipment_pages_link_to_their_calendar_feed(client, coordinator, anchor):
    from factories import make_item

    item = make_item(kind="body_worn_camera", name="Camera")
    login_as(client, make_coordinator() if coordinator else make_user())
    for path in ("/equipment", f"/equipment/{item.id}"):
        assert f'href="/feeds{anchor}"' in client.get(path).get_data(as_text=True)
