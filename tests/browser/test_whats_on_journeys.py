"""A resident signed out, and a council web editor: the public listing, an event, the embed.
Each at desktop (1280) and phone (390) width; every page reached is checked with axe."""

import pytest
from browsing import COUNCIL_SITE, expect

VIEWPORTS = ["desktop", "phone"]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_resident_finds_the_library_surgeries_and_adds_one_to_a_calendar(
    browse, live_app, viewport
):
    tab = browse(viewport)
    page = tab.goto("/whats-on")
    expect(page.get_by_role("heading", level=1)).to_have_text("What’s on")
    page.get_by_label("Neighbourhood Watch surgeries").check()
    page.get_by_label("Venue").select_option(label="Brentwood Library")
    page = tab.follow(page.get_by_role("button", name="Show events"))
    expect(page.get_by_role("link", name="NHW surgery").first).to_be_visible()
    expect(page.get_by_role("link", name="Library pop-up")).to_have_count(0)
    subscribe = page.get_by_role(
        "button", name="Subscribe to Public events: Neighbourhood Watch surgeries"
    )
    expect(subscribe).to_have_attribute(
        "href",
        f"webcal://{live_app.url.split('://')[1]}/feeds/public.ics?kind=surgery&venue={live_app.seed.ids['venue']}",
    )

    page = tab.follow(page.get_by_role("link", name="NHW surgery").first)
    expect(page.get_by_text("hearing loop at the desk")).to_be_visible()
    expect(
        page.get_by_role("link", name="See Brentwood Library on OpenStreetMap")
    ).to_have_attribute(
        "href", "https://www.openstreetmap.org/?mlat=51.62140&mlon=0.30530#map=17/51.62140/0.30530"
    )
    download = page.get_by_role("link", name="Add to calendar")
    ics = page.request.get(download.get_attribute("href"))
    assert ics.status == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in ics.body()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_cancelled_event_says_so(browse, live_app, viewport):
    page = browse(viewport).goto(f"/whats-on/{live_app.seed.ids['cancelled']}")
    expect(page.get_by_text("This event has been cancelled.")).to_be_visible()


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("look", ["", "?theme=dark&accent=purple", "?theme=light&accent=green"])
def test_the_embed_is_compact_and_readable_in_each_look(browse, live_app, viewport, look):
    page = browse(viewport).goto(f"/embed{look}")
    expect(page.get_by_role("link", name="Library pop-up (opens in a new tab)")).to_be_visible()
    expect(page.get_by_role("link", name="Home visit")).to_have_count(0)


# The app as the public reaches it (a made-up address, answered by the live app): so the
# browser sees a public site framing a public site, as in production, not a loopback one.
APP_SITE = "https://events.safer-brentwood.example"


def _site_framing_the_embed(browser, live_app, origin: str):
    """A page on `origin` with the snippet pasted in; the browser enforces the app's own
    Content-Security-Policy header as it would for a real council site."""
    context = browser.new_context()
    page = context.new_page()
    html = (
        "<!DOCTYPE html><html lang='en'><title>Events</title><h1>Council events</h1>"
        f"<iframe src='{APP_SITE}/embed' title='Community safety events'></iframe>"
    )
    page.route(f"{origin}/events", lambda route: route.fulfill(body=html, content_type="text/html"))
    page.route(
        f"{APP_SITE}/**",
        lambda route: route.fulfill(
            response=route.fetch(url=live_app.url + route.request.url.removeprefix(APP_SITE))
        ),
    )
    page.goto(f"{origin}/events")
    return context, page


def test_an_allowed_council_site_shows_the_listing_and_another_site_cannot(browser, live_app):
    context, page = _site_framing_the_embed(browser, live_app, COUNCIL_SITE)
    framed = page.frame_locator("iframe")
    expect(framed.get_by_role("link", name="Library pop-up (opens in a new tab)")).to_be_visible()
    context.close()

    context, page = _site_framing_the_embed(browser, live_app, "https://elsewhere.example")
    page.wait_for_load_state("load")
    (frame,) = page.frames[1:]
    expect(frame.get_by_role("link", name="Library pop-up (opens in a new tab)")).to_have_count(0)
    assert frame.url.startswith("chrome-error://")  # refused by frame-ancestors
    context.close()


def test_the_listing_filters_with_javascript_off(browser, live_app):
    context = browser.new_context(base_url=live_app.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/whats-on")
    page.get_by_label("Any time").check()  # "this month" would miss it late in a month
    page.get_by_label("Pop-up engagement events").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Show events").click()
    assert "when=all" in page.url and "kind=pop_up" in page.url
    expect(page.get_by_role("link", name="Library pop-up")).to_be_visible()
    expect(page.get_by_role("link", name="NHW surgery")).to_have_count(0)
    context.close()


@pytest.mark.parametrize(
    ("path", "scripted"),
    [("/login", True), ("/whats-on", True), ("event", True), ("event", True), ("/embed", False)],
)
def test_with_the_policy_enforced_the_layouts_script_runs_and_nothing_is_refused(
    browser, live_app, path, scripted
):
    """The other browser tests bypass the Content-Security-Policy (to inject axe): here the
    browser enforces it, as a resident's does. An event's page is asked twice, the second
    time given from memory. The embed has no script at all."""
    context = browser.new_context(base_url=live_app.url)
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda note: refused.append(note.text) if "Policy" in note.text else None)
    page.goto(f"/whats-on/{live_app.seed.ids['event']}" if path == "event" else path)

    classes = page.evaluate("document.body.className").split()
    context.close()
    assert ("js-enabled" in classes and "govuk-frontend-supported" in classes) is scripted
    assert refused == []
