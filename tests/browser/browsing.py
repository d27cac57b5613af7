"""One person's browser tab: go somewhere, check the page with axe, use the keyboard."""

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importable without playwright, so a missing browser can be a skip
    from playwright.sync_api import Locator, Page, Response

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
REPO_ROOT = Path(__file__).resolve().parents[2]
AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html.slice(0, 300),
                              summary: n.failureSummary}))
  }));
}"""

# What sticks out past the right edge: on a phone the page must never scroll sideways.
_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  return [...document.querySelectorAll("main *")]
    .filter(el => el.getBoundingClientRect().right > width + 1)
    .slice(0, 5).map(el => el.outerHTML.slice(0, 160));
}"""

_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const label = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim();
  return {tag: el.tagName.toLowerCase(), id: el.id, type: el.type || "", text: label,
          outline: style.outlineStyle !== "none" && !/rgba\\(0, 0, 0, 0\\)|transparent/
                     .test(style.outlineColor) && parseFloat(style.outlineWidth) > 0,
          shadow: style.boxShadow !== "none"};
}"""


# A council website allowed to frame /embed (its pages are made up in the browser tests).
COUNCIL_SITE = "https://www.council.example"


def expect(actual, message: str | None = None):
    """Playwright's web-first assertions, imported only when a browser test runs."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(actual, message)


def describe_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:8]:
            lines.append(f"    at {node['target']}: {node['html']}")
            lines.append("      " + (node["summary"] or "").replace("\n", "\n      "))
    return "\n".join(lines)


def new_context(browser, base_url: str, viewport: str = "desktop"):
    """A fresh set of cookies at a desktop (1280) or phone (390) width."""
    phone = viewport == "phone"
    context = browser.new_context(
        base_url=base_url,
        viewport=VIEWPORTS[viewport],
        is_mobile=phone,
        has_touch=phone,
        bypass_csp=True,  # so axe can be injected; the app's own scripts run as usual
        locale="en-GB",
        timezone_id="Europe/London",
    )
    # `make test` runs two workers: a journey may share both cores with the fifty-way sign-in
    # race (fifty scrypt hashes) or a gunicorn starting, and a navigation then took over 5 s.
    # A hang still fails, after 20.
    context.set_default_timeout(20_000)
    return context


class Browsing:
    """A page whose every arrival is checked: the expected status, no script errors, and
    zero axe violations against WCAG 2.2 AA."""

    def __init__(self, page: "Page"):
        self.page = page
        self.problems: list[str] = []
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("console", self._console)
        page.on("response", self._response)

    def _console(self, message) -> None:
        # A failed load is reported by _response, which knows whether it was the page itself.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"console error: {message.text}")

    def _response(self, response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.problems.append(f"{response.status} for {response.url}")

    # Arriving somewhere ------------------------------------------------------------------

    def goto(self, path: str, status: int = 200) -> "Page":
        response = self.page.goto(path)
        return self.arrived(response, status)

    def follow(self, target: "Locator", status: int = 200) -> "Page":
        """Click (a link or a submit button) and check the page it leads to."""
        with self.page.expect_navigation() as navigation:
            target.click()
        return self.arrived(navigation.value, status)

    def press_and_follow(self, key: str, status: int = 200) -> "Page":
        with self.page.expect_navigation() as navigation:
            self.page.keyboard.press(key)
        return self.arrived(navigation.value, status)

    def arrived(self, response: "Response | None", status: int = 200) -> "Page":
        assert response is not None, f"no response for {self.page.url}"
        assert response.status == status, (
            f"{self.page.url} answered {response.status}, expected {status}:\n"
            + self.page.locator("body").inner_text()[:1000]
        )
        self.page.wait_for_load_state("load")
        self.check_accessibility()
        return self.page

    def check_accessibility(self) -> None:
        self.page.add_script_tag(path=str(AXE))
        violations = self.page.evaluate(_RUN_AXE, WCAG_TAGS)
        assert not violations, describe_violations(self.page.url, violations)
        overflow = self.sideways_overflow()
        assert not overflow, f"{self.page.url} scrolls sideways (WCAG 1.4.10): {overflow}"
        assert not self.problems, f"on {self.page.url}: " + "; ".join(self.problems)

    def sideways_overflow(self) -> list[str] | None:
        """What sticks out past the right edge of the page (None when nothing does)."""
        return self.page.evaluate(_OVERFLOW)

    def sign_in(self, email: str, password: str) -> "Page":
        """Through the sign-in form, as a person would; lands on their home page."""
        self.goto("/login")
        self.page.get_by_label("Email address").fill(email)
        self.page.get_by_label("Password", exact=True).fill(password)
        page = self.follow(self.page.get_by_role("button", name="Sign in"))
        assert "/login" not in page.url, f"{email} could not sign in"
        return page

    # Reading the page --------------------------------------------------------------------

    def banner_text(self) -> str:
        return self.page.locator(".govuk-notification-banner").inner_text()

    def focused(self) -> dict | None:
        return self.page.evaluate(_FOCUSED)

    # The keyboard ------------------------------------------------------------------------

    def tab_to(self, matches, *, limit: int = 60) -> dict:
        """Press Tab until `matches(focused)` is true; every stop must show where focus is."""
        seen = []
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            focused = self.focused()
            if focused is None:
                continue
            seen.append(focused)
            assert (
                focused["outline"]
                or focused["shadow"]
                or focused["type"]
                in (
                    "checkbox",
                    "radio",  # GOV.UK styles the box drawn by the label, not the hidden input
                )
            ), f"focus is not visible on {json.dumps(focused)}"
            if matches(focused):
                return focused
        stops = "\n".join(json.dumps(f) for f in seen)
        raise AssertionError(f"Tab never reached the element after {limit} presses:\n{stops}")


def text_is(wanted: str):
    """A `tab_to` matcher: the element's visible text (or value), spaces normalised."""
    return lambda focused: re.sub(r"\s+", " ", focused["text"]) == wanted


def id_is(wanted: str):
    return lambda focused: focused["id"] == wanted
