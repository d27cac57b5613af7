"""Journeys in a real browser, each as its role makes it, on a desktop and on a phone.

Every page reached is checked with axe (see browsing.Browsing); the last page of each
journey is kept as a screenshot in test-artifacts/.
"""

import re
from datetime import date, timedelta

import pytest
from browsing import expect, id_is, text_is
from factories import PASSWORD, days_ahead, next_weekday

VIEWPORTS = ["desktop", "phone"]


def fill_date(group, day: date | tuple[str, str, str]) -> None:
    """A GOV.UK date input: a date, or the three boxes as typed (day, month, year)."""
    parts = day if isinstance(day, tuple) else (str(day.day), str(day.month), str(day.year))
    for box, value in zip(("Day", "Month", "Year"), parts, strict=True):
        group.get_by_label(box).fill(value)


def second_tuesday_of_next_month() -> date:
    today = days_ahead(0)
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    first_tuesday = first + timedelta(days=(1 - first.weekday()) % 7)
    return first_tuesday + timedelta(days=7)


def go_by_menu(tab, link: str):
    """Follow a link in the service navigation, opening the menu first on a phone."""
    page = tab.page
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():
        menu.click()
    return tab.follow(page.get_by_role("navigation", name="Menu").get_by_role("link", name=link))


def card(page, title: str):
    """The session card in a list whose heading is the session's title."""
    return page.locator(".app-event-card").filter(
        has=page.get_by_role("heading", name=title, exact=True)
    )


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_coordinator_sets_up_a_surgery_series_cancels_a_session_and_schedules_speedwatch(
    browse, live_app, viewport
):
    tab = browse(viewport)
    page = tab.sign_in(live_app.seed.emails["coordinator"], PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")

    # A monthly Neighbourhood Watch surgery, four sessions.
    page = tab.follow(page.get_by_role("button", name="Set up a repeating series"))
    title = f"Hutton NHW surgery ({viewport})"
    page.get_by_label("Title", exact=True).fill(title)
    expect(page.get_by_label("Neighbourhood Watch surgery")).to_be_checked()
    page.get_by_label("Venue", exact=True).select_option(label="Hutton Community Centre")
    fill_date(page.get_by_role("group", name="First date"), second_tuesday_of_next_month())
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("12:00")
    page.get_by_label("Monthly on a weekday, e.g. the second Tuesday").check()
    page.get_by_label("After a number of sessions").check()
    page.get_by_label("Number of sessions", exact=True).fill("4")
    page.get_by_label("Fewest volunteers needed").fill("1")
    page.get_by_label("Most volunteers", exact=True).fill("2")
    page = tab.follow(page.get_by_role("button", name="Save series"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert f"{title}: 4 sessions scheduled." in tab.banner_text()
    sessions = page.get_by_role("table").get_by_role("row")
    expect(sessions).to_have_count(5)  # a header and four sessions
    expect(sessions.nth(2)).to_contain_text("Tue")

    # One session is cancelled (say the venue is closed that day); the others stay.
    page = tab.follow(sessions.nth(2).get_by_role("link", name=title))
    page = tab.follow(page.get_by_role("button", name="Cancel this session only"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel this session only?")
    page = tab.follow(page.get_by_role("button", name="Yes, cancel it"))
    assert "The event is now cancelled." in tab.banner_text()
    expect(page.get_by_text("This event has been cancelled.")).to_be_visible()
    page = tab.follow(page.get_by_role("link", name="see all its sessions"))
    statuses = [row.get_by_role("cell").nth(3).inner_text() for row in sessions.all()[1:]]
    assert statuses == ["Planned", "Cancelled", "Planned", "Planned"]

    # A Speedwatch session at the approved site, in daylight, some days ahead.
    page = go_by_menu(tab, "Dashboard")
    page = tab.follow(page.get_by_role("button", name="Schedule an event"))
    speedwatch = f"Speedwatch on Wash Road ({viewport})"
    page.get_by_label("Title", exact=True).fill(speedwatch)
    page.get_by_label("Community Speedwatch session").check()
    site = page.get_by_label("Speedwatch site")
    site.select_option(label=site.locator("option", has_text="Wash Road").inner_text())
    # A weekday the Town Hall hands the gun over, a different one per run so the gun is free.
    fill_date(
        page.get_by_role("group", name="Date"), next_weekday(3 if viewport == "desktop" else 4)
    )
    page.get_by_label("Start time").fill("11:00")
    page.get_by_label("End time").fill("12:30")
    page.get_by_label("Fewest volunteers needed").fill("3")
    page.get_by_label("Most volunteers", exact=True).fill("6")
    page = tab.follow(page.get_by_role("button", name="Save event"))
    assert f"{speedwatch} has been scheduled." in tab.banner_text()
    expect(page.get_by_role("heading", level=1)).to_have_text(speedwatch)
    expect(page.get_by_text("Community Speedwatch session").first).to_be_visible()
    expect(page.get_by_text("Speed limit 30 mph")).to_be_visible()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_volunteer_signs_up_for_a_session_needing_people_then_withdraws(browse, live_app, viewport):
    tab = browse(viewport)
    title = live_app.seed.titles["popup"]
    page = tab.sign_in(live_app.seed.emails[viewport], PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sessions needing people")

    page = tab.follow(card(page, title).get_by_role("button", name=re.compile("sign up")))
    page = tab.follow(page.get_by_role("button", name="Sign up"))
    assert "You are signed up." in tab.banner_text()
    expect(page.get_by_text("You are signed up for this session.")).to_be_visible()

    page = go_by_menu(tab, "My sessions")
    expect(card(page, title)).to_contain_text("Signed up")

    page = tab.follow(card(page, title).get_by_role("link", name=title))
    page = tab.follow(page.get_by_role("button", name="Withdraw"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Are you sure you want to withdraw?")
    page = tab.follow(page.get_by_role("button", name="Yes, withdraw"))
    assert "You have withdrawn from this session." in tab.banner_text()

    page = go_by_menu(tab, "My sessions")
    expect(card(page, title)).to_have_count(0)
    expect(page.get_by_text("You are not signed up for any sessions coming up.")).to_be_visible()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_volunteer_signs_up_for_a_whole_series_then_withdraws_from_it(browse, live_app, viewport):
    tab = browse(viewport)
    tab.sign_in(live_app.seed.emails[viewport], PASSWORD)
    page = tab.goto(f"/series/{live_app.seed.ids['series']}")
    page = tab.follow(page.get_by_role("button", name="Sign up for every future session"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up for every session")
    page = tab.follow(page.get_by_role("button", name="Sign up for all of them"))
    expect(page.get_by_role("heading", level=1)).to_have_text("What happened to each session")
    expect(page.get_by_role("table")).to_contain_text("Signed up")
    page = tab.goto(f"/series/{live_app.seed.ids['series']}/withdraw")
    page = tab.follow(page.get_by_role("button", name="Yes, withdraw from all of them"))
    expect(page.get_by_role("table")).to_contain_text("Withdrawn")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_volunteer_marks_a_fortnight_away(browse, live_app, viewport):
    tab = browse(viewport)
    page = tab.sign_in(live_app.seed.emails[viewport], PASSWORD)
    page = go_by_menu(tab, "When I am away")
    page.get_by_label("Away between two dates").check()
    first = days_ahead(30)
    fill_date(page.get_by_role("group", name="First day away"), first)
    fill_date(page.get_by_role("group", name="Last day away"), first + timedelta(days=13))
    page.get_by_label("Note (optional)").fill("Cornwall")
    page = tab.follow(page.get_by_role("button", name="Save"))
    expect(page.get_by_text("Cornwall")).to_be_visible()
    page = tab.follow(page.get_by_role("button", name=re.compile("^Delete")))
    expect(page.get_by_text("You have not said you are away on any day.")).to_be_visible()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_invited_volunteer_opens_the_link_and_chooses_a_password(browse, live_app, viewport):
    coordinator = browse("desktop")
    page = coordinator.sign_in(live_app.seed.emails["coordinator"], PASSWORD)
    page = coordinator.follow(page.get_by_role("button", name="Invite a volunteer or partner"))
    email = f"robin.{viewport}@example.org"
    page.get_by_label("Full name").fill(f"Robin {viewport.title()}")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Volunteer", exact=True).check()
    page = coordinator.follow(page.get_by_role("button", name="Create invitation link"))
    link = page.get_by_label("Invitation link").input_value()
    assert link.startswith(live_app.url + "/invite/")

    invitee = browse(viewport)
    page = invitee.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose your password")
    expect(page.get_by_text(email)).to_be_visible()
    password = "lantern quietly orchard bicycle"
    page.get_by_label("Choose a password").fill(password)
    page = invitee.follow(page.get_by_role("button", name="Save password"))
    assert "Your password is set and you are signed in." in invitee.banner_text()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sessions needing people")

    # The link worked once; from now on the new password signs them in.
    page = invitee.goto(link, status=404)
    page = invitee.sign_in(email, password)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sessions needing people")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_form_mistakes_are_summarised_and_each_link_moves_focus_to_its_field(
    browse, live_app, viewport
):
    tab = browse(viewport)
    page = tab.sign_in(live_app.seed.emails["coordinator"], PASSWORD)
    page = tab.follow(page.get_by_role("button", name="Schedule an event"))
    fill_date(page.get_by_role("group", name="Date"), ("29", "2", "2030"))  # not a leap year
    page.get_by_label("Start time").fill("25:00")
    page = tab.follow(page.get_by_role("button", name="Save event"))

    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    links = summary.get_by_role("link")
    expected = ["title", "kind", "start_date-day", "start_time", "end_time"]
    assert [link.get_attribute("href") for link in links.all()] == [f"#{i}" for i in expected]
    for link, field_id in zip(links.all(), expected, strict=True):
        link.click()
        assert tab.focused()["id"] == field_id, f"{link.inner_text()} did not focus #{field_id}"
        expect(page.locator(f"#{field_id}")).to_be_in_viewport()

    # Put right, the same form saves.
    page.get_by_label("Title", exact=True).fill("Pop-up at the Baytree Centre")
    page.get_by_label("Pop-up engagement event").check()
    page.get_by_label("Venue", exact=True).select_option(label="Brentwood Library")
    fill_date(page.get_by_role("group", name="Date"), days_ahead(12))
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("12:00")
    page = tab.follow(page.get_by_role("button", name="Save event"))
    assert "Pop-up at the Baytree Centre has been scheduled." in tab.banner_text()


def test_a_volunteer_signs_in_and_signs_up_with_the_keyboard_alone(browse, live_app):
    tab = browse("desktop")
    page = tab.goto("/login")
    tab.tab_to(id_is("email"))
    page.keyboard.type(live_app.seed.emails["keyboard"])
    tab.tab_to(id_is("password"))
    page.keyboard.type(PASSWORD)
    tab.tab_to(text_is("Sign in"))
    page = tab.press_and_follow("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sessions needing people")

    title = live_app.seed.titles["station"]
    tab.tab_to(text_is(f"See details and sign up for {title}"))
    page = tab.press_and_follow("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    tab.tab_to(text_is(f"Sign up for {title}"))
    page = tab.press_and_follow("Enter")
    assert "You are signed up." in tab.banner_text()
    expect(page.get_by_text("You are signed up for this session.")).to_be_visible()
