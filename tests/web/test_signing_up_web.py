"""Volunteers on their phones: find a session, sign up, see it, withdraw."""

from conftest import login_as, post
from factories import at, days_ahead, make_coordinator, make_event, make_user

from csp_events.events.vocabulary import EventKind
from csp_events.signups.vocabulary import SignupStatus


def test_a_volunteer_finds_a_session_signs_up_sees_it_and_withdraws(client):
    event = make_event(title="Knife Crime pop-up", max_volunteers=2)
    volunteer = make_user()
    login_as(client, volunteer)
    assert "Knife Crime pop-up" in client.get("/sessions").get_data(as_text=True)
    response = post(client, f"/events/{event.id}/sign-up")
    assert response.status_code == 302
    assert "You are signed up" in client.get(response.location).get_data(as_text=True)
    assert "Knife Crime pop-up" in client.get("/my-sessions").get_data(as_text=True)
    post(client, f"/events/{event.id}/withdraw")
    assert event.signups[0].status == SignupStatus.WITHDRAWN
    assert "Knife Crime pop-up" not in client.get("/my-sessions").get_data(as_text=True)


def test_a_volunteer_without_speedwatch_training_is_told_why_they_cannot_sign_up(client):
    event = make_event(kind=EventKind.SPEEDWATCH, starts_at=at(days_ahead(10), 11))
    login_as(client, make_user())
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Community Speedwatch training" in page
    response = post(client, f"/events/{event.id}/sign-up")
    assert "needs Community Speedwatch training in date" in client.get(response.location).get_data(
        as_text=True
    )
    assert event.signups == []


def test_a_full_session_puts_the_volunteer_on_the_waiting_list_and_says_so(client):
    event = make_event(max_volunteers=1)
    first = make_user()
    login_as(client, first)
    post(client, f"/events/{event.id}/sign-up")
    login_as(client, make_user())
    response = post(client, f"/events/{event.id}/sign-up")
    assert "waiting list" in client.get(response.location).get_data(as_text=True)


def test_an_overlapping_sign_up_is_refused_with_the_other_session_named(client):
    first = make_event(title="Library surgery")
    second = make_event(title="Pop-up", starts_at=first.starts_at)
    login_as(client, make_user())
    post(client, f"/events/{first.id}/sign-up")
    response = post(client, f"/events/{second.id}/sign-up")
    assert "Library surgery" in client.get(response.location).get_data(as_text=True)
    assert second.signups == []


def test_the_coordinator_adds_someone_with_an_override_reason(client):
    event = make_event(kind=EventKind.SPEEDWATCH, starts_at=at(days_ahead(10), 11))
    trainee = make_user(name="Trainee Tom")
    login_as(client, make_coordinator())
    refused = post(client, f"/events/{event.id}/roster", {"volunteer_id": str(trainee.id)})
    assert "Community Speedwatch training" in refused.get_data(as_text=True)
    added = post(
        client,
        f"/events/{event.id}/roster",
        {"volunteer_id": str(trainee.id), "override_reason": "Shadowing an experienced team"},
    )
    assert added.status_code == 302
    assert "Shadowing an experienced team" in client.get(f"/events/{event.id}").get_data(
        as_text=True
    )


def test_adding_to_a_roster_starts_with_nobody_chosen_and_offers_nobody_already_on_it(client):
    event = make_event(max_volunteers=3)
    ann = make_user(name="Ann Already")
    make_user(name="Bob Free")
    login_as(client, ann)
    post(client, f"/events/{event.id}/sign-up")
    login_as(client, make_coordinator())
    page = client.get(f"/events/{event.id}/roster").get_data(as_text=True)
    select = page[page.index('<select class="govuk-select" id="volunteer_id"') :]
    select = select[: select.index("</select>")]
    assert 'value="" selected>Choose a volunteer' in select and select.count("selected") == 1
    assert "Bob Free" in select and "Ann Already" not in select

    refused = post(client, f"/events/{event.id}/roster", {"volunteer_id": ""})

    assert refused.status_code == 200 and "Choose a volunteer" in refused.get_data(as_text=True)
    assert [s.user_id for s in event.signups] == [ann.id]


def test_a_roster_with_nobody_left_to_add_says_so(client):
    event = make_event()
    login_as(client, make_coordinator())
    page = client.get(f"/events/{event.id}/roster").get_data(as_text=True)
    assert "active volunteers to add" in page
