"""Every GET page of the app, seen by its role in a real browser: zero axe violations."""

import re

import pytest
from browsing import VIEWPORTS, Browsing, expect, new_context
from factories import PASSWORD
from werkzeug.exceptions import NotFound

from csp_events import create_app

C, V, P, A = "coordinator", "volunteer", "partner", "anonymous"

# (path, role that looks at it, status of the page finally shown). A new page goes here,
# or test_the_table_names_every_get_page_of_the_app fails.
PAGES = [
    ("/", C, 200),  # sends each role to its own home page
    ("/login", A, 200),
    ("/invite/{invite}", A, 200),
    ("/invite/not-a-real-token", A, 404),
    ("/no-such-page", A, 404),
    ("/no-such-page", V, 404),
    ("/people", V, 403),
    ("/dashboard", C, 200),
    ("/calendar", C, 200),
    ("/calendar", V, 200),
    ("/calendar", P, 200),
    ("/calendar?view=agenda", C, 200),
    ("/calendar?view=agenda", V, 200),
    ("/calendar?view=agenda", P, 200),
    ("/events/{event}", C, 200),
    ("/events/{event}", V, 200),
    ("/events/{event}", P, 200),
    ("/events/{speedwatch}", C, 200),
    ("/events/{speedwatch}", V, 200),  # not trained: told why they cannot sign up
    ("/events/new", C, 200),
    ("/events/new?kind=speedwatch", C, 200),
    ("/events/{event}/edit", C, 200),
    ("/events/{event}/copy", C, 200),
    ("/events/{event}/roster", C, 200),
    ("/series/new", C, 200),
    ("/series/{series}", C, 200),
    ("/series/{series}", V, 200),
    ("/series/{series}", P, 200),
    ("/series/{series}/edit", C, 200),
    ("/series/{series}/cancel", C, 200),
    ("/series/{series}/sign-up", V, 200),
    ("/events/{event}/withdraw", V, 200),
    ("/events/{event}/roster/{volunteer}/remove", C, 200),
    ("/events/{event}/cancel", C, 200),
    ("/feeds/personal/new", V, 200),
    ("/feeds/equipment/{gun}/new", C, 200),
    ("/series/{series}/withdraw", V, 200),
    ("/sessions", V, 200),
    ("/my-sessions", V, 200),
    ("/people", C, 200),
    ("/people/invite", C, 200),
    ("/people/{volunteer}", C, 200),
    ("/people/{volunteer}/qualifications", C, 200),
    ("/people/{volunteer}/qualifications/{dbs}/remove", C, 200),
    ("/venues", C, 200),
    ("/venues/new", C, 200),
    ("/venues/{venue}", C, 200),
    ("/sites", C, 200),
    ("/sites/new", C, 200),
    ("/sites/{site}", C, 200),
    ("/equipment", C, 200),
    ("/equipment", V, 200),
    ("/equipment", P, 200),
    ("/equipment/new", C, 200),
    ("/equipment/{gun}", C, 200),
    ("/equipment/{gun}", V, 200),
    ("/equipment/{gun}/edit", C, 200),
    ("/equipment/{gun}/book", V, 200),
    ("/equipment/{gun}/check-out", C, 200),
    ("/equipment/{camera}/check-in", C, 200),
    ("/feeds", C, 200),
    ("/feeds", V, 200),
    ("/feeds", P, 200),
    ("/account", C, 200),
    ("/account", V, 200),
    ("/account", P, 200),
    ("/account/password", C, 200),
    ("/account/password", V, 200),
    ("/account/password", P, 200),
    ("/referrals", C, 200),
    ("/referrals", P, 200),
    ("/referrals/new", C, 200),
    ("/referrals/new", P, 200),
    ("/referrals/{referral}", C, 200),
    ("/referrals/{referral}", P, 200),  # the partner who referred: status only
    ("/referrals/{referral}", V, 200),  # on today's visit: the resident's details
    ("/referrals/{referral}/correct", C, 200),
    ("/referrals/{referral}/status", C, 200),
    ("/referrals/{referral}/visits/new", C, 200),
    ("/referrals/{referral}/export", C, 200),
    ("/referrals/{referral}/erase", C, 200),
    ("/audit", C, 200),
    ("/events/{visit}", C, 200),
    ("/events/{visit}", V, 200),
    ("/visits/{visit}/outcome", C, 200),
    ("/visits/{visit}/outcome", V, 200),
    ("/events/{past}", C, 200),
    ("/events/{past}/outcome", C, 200),
    ("/events/{past}/outcome", V, 200),
    ("/stock", C, 200),
    ("/stock/new", C, 200),
    ("/stock/{stock}", C, 200),
    ("/stock/{stock}/edit", C, 200),
    ("/stock/{stock}/delivery", C, 200),
    ("/stock/{stock}/count", C, 200),
    ("/reports", C, 200),
    ("/reports", P, 200),
    ("/reports?year=2025&quarter=3", C, 200),
    ("/reports/returns", C, 200),
    ("/reports/returns", P, 200),
    ("/rotas", C, 200),
    ("/rotas", V, 200),
    ("/rotas", P, 200),
    ("/imports", C, 200),
    ("/imports/{batch}", C, 200),
    ("/password/forgot", A, 200),
    ("/password/reset/{reset}", A, 200),
    ("/password/reset/not-a-real-token", A, 404),
    ("/account/emails", C, 200),
    ("/account/emails", V, 200),
    ("/account/emails", P, 200),
    ("/account/away", V, 200),
    ("/emails/stop/{stop}", A, 200),
    ("/emails/stop/not-a-real-token", A, 404),
    ("/outbox", C, 200),
    ("/outbox/{message}", C, 200),
    ("/events/{event}/roster/{volunteer}/remove", C, 200),
    ("/messages", C, 200),
    ("/messages/new", C, 200),
    ("/messages/new?event={event}", C, 200),
    ("/messages/{sent_message}", C, 200),
    ("/cover/{cover}", A, 200),
    ("/cover/not-a-real-token", A, 404),
    ("/whats-on", A, 200),
    ("/whats-on?when=this_month&kind=surgery&venue={venue}", A, 200),
    ("/whats-on/{event}", A, 200),
    ("/whats-on/{cancelled}", A, 200),
    ("/whats-on/{visit}", A, 404),  # a home visit is never public
    ("/embed", A, 200),
    ("/embed?theme=dark&accent=green", A, 200),
    ("/embed/snippet", C, 200),
]


@pytest.fixture(scope="module")
def tab_for(browser, live_app):
    """One signed-in browser tab per role (and one signed out), shared by the module."""
    opened: dict[str, Browsing] = {}

    def open_tab(role: str) -> Browsing:
        if role not in opened:
            opened[role] = Browsing(new_context(browser, live_app.url).new_page())
            if role != A:
                opened[role].sign_in(live_app.seed.emails[role], PASSWORD)
        opened[role].problems.clear()
        return opened[role]

    yield open_tab
    for tab in opened.values():
        tab.page.context.close()


@pytest.mark.parametrize(("path", "role", "status"), PAGES, ids=[f"{r}:{p}" for p, r, _ in PAGES])
def test_each_page_has_no_accessibility_violations(tab_for, live_app, path, role, status):
    page = tab_for(role).goto(path.format(**live_app.seed.ids), status=status)
    expect(page.locator("h1")).to_have_count(1)


def test_the_table_names_every_get_page_of_the_app(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    pages = {
        rule.rule
        for rule in app.url_map.iter_rules()
        # Calendar files (.ics) are not pages: tests/web/test_feeds.py reads them with two parsers;
        # nor are JSON downloads (tests/web/test_home_visits.py reads the subject access export).
        if "GET" in rule.methods
        and rule.endpoint != "static"
        and not rule.rule.endswith((".ics", ".json"))
        # the report's CSV is read in tests/web/test_engagement_web.py.
        if "GET" in rule.methods
        and rule.endpoint != "static"
        and not rule.rule.endswith((".ics", ".csv"))
        # Calendar files (.ics) are not pages: tests/web/test_feeds.py reads them with two parsers.
        # /healthz answers JSON for monitors: tests/web/test_operations.py checks it.
        if "GET" in rule.methods
        and rule.endpoint not in ("static", "ops.healthz")
        and not rule.rule.endswith(".ics")
        # The open API answers JSON: tests/web/test_public_api.py runs schemathesis on it.
        and not rule.rule.startswith("/api/")
    }
    adapter = app.url_map.bind("localhost")
    covered, not_found = set(), []
    for path, _role, _status in PAGES:
        concrete = re.sub(r"\{\w+\}", "1", path).partition("?")[0]
        try:
            rule, _args = adapter.match(concrete, method="GET", return_rule=True)
        except NotFound:
            not_found.append(path)
            continue
        covered.add(rule.rule)
    missing = "\n".join(sorted(pages - covered))
    assert not missing, f"GET pages with no row in PAGES (add each, as its role):\n{missing}"
    assert not_found == ["/no-such-page", "/no-such-page"], "only the 404 rows match no route"


# Pages whose content is wide (tables, charts, an email as written): on a phone each must
# still fit the screen, with nothing scrolling sideways.
WIDE_PAGES = [
    ("/rotas", C),
    ("/reports", C),
    ("/reports?year=2025&quarter=3", C),
    ("/outbox/{message}", C),
    ("/calendar", V),
    ("/stock", C),
    ("/imports/{batch}", C),
    ("/messages/{sent_message}", C),
    ("/messages/new", C),
]


@pytest.fixture(scope="module")
def phone_tab_for(browser, live_app):
    opened: dict[str, Browsing] = {}

    def open_tab(role: str) -> Browsing:
        if role not in opened:
            opened[role] = Browsing(new_context(browser, live_app.url, "phone").new_page())
            opened[role].sign_in(live_app.seed.emails[role], PASSWORD)
        opened[role].problems.clear()
        return opened[role]

    yield open_tab
    for tab in opened.values():
        tab.page.context.close()


@pytest.mark.parametrize(("path", "role"), WIDE_PAGES, ids=[f"{r}:{p}" for p, r in WIDE_PAGES])
def test_wide_pages_fit_a_phone_screen(phone_tab_for, live_app, path, role):
    tab = phone_tab_for(role)
    page = tab.goto(path.format(**live_app.seed.ids))
    assert page.viewport_size["width"] == VIEWPORTS["phone"]["width"]
    assert tab.sideways_overflow() is None


def test_the_rota_prints_without_the_menu_or_its_choices(tab_for, live_app):
    page = tab_for(C).goto("/rotas")
    page.emulate_media(media="print")
    try:
        expect(page.locator(".govuk-service-navigation")).to_be_hidden()
        expect(page.locator(".app-no-print").first).to_be_hidden()
        expect(page.locator("table.app-rota")).to_be_visible()
        expect(page.get_by_role("cell", name="Library pop-up")).to_be_visible()
    finally:
        page.emulate_media(media="screen")
