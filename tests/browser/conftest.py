"""Browser tests: the app served on a loopback port to one headless Chromium per session.

They need Debian's `chromium` at /usr/bin/chromium, the `playwright` package and axe-core
from `npm ci`. Without them the tests are skipped, and the summary says why; with CI=true
they fail instead, so CI can never pass without having run them.
"""

import importlib.util
import logging
import os
import re
import sys
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from flask import current_app
from werkzeug.serving import make_server

# Appended, not prepended: tests/ must stay first so `import conftest` finds the root one.
sys.path.append(str(Path(__file__).parent))

from browsing import AXE, CHROMIUM, CHROMIUM_ARGS, COUNCIL_SITE, REPO_ROOT, Browsing, new_context
from databases import sibling_database
from factories import (
    at,
    days_ahead,
    far_future,
    make_coordinator,
    make_event,
    make_item,
    make_site,
    make_user,
    make_venue,
    next_weekday,
    speedwatch_volunteer,
)
from plans import surgery_plan
from visit_factories import make_referral, make_visit

from csp_events import create_app
from csp_events.auth import emails
from csp_events.auth.roles import Role
from csp_events.auth.services import invite_person, issue_password_reset
from csp_events.equipment.custody import check_out
from csp_events.equipment.services import book
from csp_events.equipment.vocabulary import Condition
from csp_events.events.vocabulary import EventKind, EventStatus
from csp_events.extensions import db
from csp_events.mail.outbox import entries
from csp_events.mail.services import deliver
from csp_events.people.vocabulary import QualificationKind
from csp_events.reminders.tokens import stop_token
from csp_events.series.services import create_series
from csp_events.signups.services import sign_up
from csp_events.timezones import utcnow

ARTIFACTS = REPO_ROOT / "test-artifacts"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing_tools() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if importlib.util.find_spec("playwright") is None:
        return "the Python package playwright is not installed (pip install -e '.[dev]')"
    if not CHROMIUM.exists():
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    if not AXE.exists():
        return f"axe-core is missing at {AXE.relative_to(REPO_ROOT)} (npm ci)"
    return None


_skipped_because: list[str] = []


def pytest_terminal_summary(terminalreporter):
    if _skipped_because:
        terminalreporter.write_sep(
            "=", f"BROWSER TESTS SKIPPED: {_skipped_because[0]}", yellow=True, bold=True
        )


# The app, seeded and served ----------------------------------------------------------


@dataclass
class Seed:
    """What the journeys and the page table need, as plain values (no ORM objects)."""

    emails: dict[str, str] = field(default_factory=dict)
    ids: dict[str, int | str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)


@dataclass
class LiveApp:
    url: str
    seed: Seed
    server_errors: list[str]


def _database_url(folder: Path) -> str:
    """Our own database: a SQLite file, or a sibling `<name>_browser` PostgreSQL database
    when TEST_DATABASE_URL points at PostgreSQL (the other tests keep theirs to themselves)."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        return f"sqlite:///{folder / 'browser.sqlite'}"
    return sibling_database(url, "browser")


def _messages_and_cover(people, popup, station) -> tuple[int, str]:
    """A message sent to the pop-up's people, and an open offer to cover the station pop-up."""
    from csp_events.cover.models import CoverOffer, CoverRequest
    from csp_events.cover.services import offer_token
    from csp_events.messaging.audience import Audience
    from csp_events.messaging.enums import AudienceKind, Channel
    from csp_events.messaging.services import Draft, send_message

    message = send_message(
        Draft(
            Audience(AudienceKind.SESSION, event_id=popup.id),
            {Channel.EMAIL, Channel.SMS},
            "Meet at the library door",
            "Hi-vis on, please. Thank you!",
        ),
        by=people["coordinator"],
    )
    request = CoverRequest(event_id=station.id, asked_by_id=people["coordinator"].id)
    offer = CoverOffer(user_id=people["volunteer"].id)
    request.offers = [offer]
    db.session.add(request)
    db.session.commit()
    return message.id, offer_token(offer)


def seed_world() -> Seed:
    """People, places and upcoming sessions for every journey, before the server starts."""
    seed = Seed()
    people = {
        "coordinator": make_coordinator(name="Cora Coordinator"),
        "volunteer": make_user(
            name="Dee Volunteer", qualifications={QualificationKind.DBS: far_future()}
        ),
        "partner": make_user(Role.PARTNER, name="Pat Partner"),
        "desktop": make_user(name="Val Desktop"),
        "phone": make_user(name="Val Phone"),
        "keyboard": make_user(name="Kit Keyboard"),
    }
    trained = [speedwatch_volunteer(name=f"Sam Speedwatch {n}") for n in (1, 2)]
    for person in people.values():
        person.phone = "07700 900123"
        person.ward = "Hutton North"
    people["partner"].organisation = "Essex Police"
    db.session.commit()

    library = make_venue("Brentwood Library")
    make_venue("Hutton Community Centre")
    site = make_site()
    popup = make_event(
        title="Library pop-up", venue=library, starts_at=at(days_ahead(5), 10), max_volunteers=6
    )
    popup.min_volunteers = 3
    station = make_event(
        title="Shenfield Station pop-up", starts_at=at(days_ahead(6), 14), max_volunteers=4
    )
    speedwatch = make_event(
        kind=EventKind.SPEEDWATCH,
        title="Speedwatch on Wash Road",
        site=site,
        starts_at=at(days_ahead(8), 11),
        max_volunteers=6,
    )
    make_event(kind=EventKind.HOME_VISIT, title="Home visit", starts_at=at(days_ahead(4), 15))
    cancelled = make_event(title="Cancelled roadshow", status=EventStatus.CANCELLED)
    library.ward, library.latitude, library.longitude = "Brentwood North", 51.6214, 0.3053
    library.accessibility = "Step-free entrance from Coptfold Road; hearing loop at the desk."
    series = create_series(surgery_plan(library))
    for person in trained:
        sign_up(speedwatch, person, by=person)
    sign_up(popup, trained[0], by=trained[0])
    gun = make_item(name="Speed gun (Town Hall)")
    book(gun, people["coordinator"], at(next_weekday(2), 10), at(next_weekday(2), 12))
    camera = make_item(
        name="Body-worn camera 1", kind="body_worn_camera", volunteers_may_book=False
    )
    check_out(
        camera,
        collected_by=people["coordinator"],
        condition=Condition.GOOD,
        due_back_at=at(days_ahead(2), 12),
    )
    _, invite_token = invite_person(
        name="Ivy Invited", email="ivy@example.org", role=Role.VOLUNTEER, valid_days=7
    )

    referral = make_referral(people["partner"])
    visit = make_visit(
        referral,
        [people["volunteer"], make_user(name="Second Visitor")],
        starts_at=utcnow() - timedelta(minutes=10),
    )
    past, stock_id, batch_id = _engagement(people)

    sent_message, cover_token = _messages_and_cover(people, popup, station)
    seed.emails = {role: person.email for role, person in people.items()}
    deliver(emails.invitation(people["volunteer"], "http://127.0.0.1/invite/example", 7))
    outbox = Path(current_app.config["MAIL_FILE_PATH"])
    seed.ids = {
        "event": popup.id,
        "speedwatch": speedwatch.id,
        "series": series.id,
        "venue": library.id,
        "site": site.id,
        "volunteer": people["volunteer"].id,
        "dbs": people["volunteer"].qualifications[0].id,
        "invite": invite_token,
        "gun": gun.id,
        "camera": camera.id,
        "referral": referral.id,
        "visit": visit.id,
        "past": past,
        "stock": stock_id,
        "batch": batch_id,
        "reset": issue_password_reset(people["volunteer"], 60),
        "stop": stop_token(people["volunteer"].id, "session_first"),
        "message": entries(outbox)[0].name,
        "sent_message": sent_message,
        "cover": cover_token,
        "cancelled": cancelled.id,
    }
    seed.titles = {"popup": popup.title, "station": station.title}
    db.session.commit()
    return seed


def _engagement(people) -> tuple[int, int, int]:
    """A roadshow yesterday with the volunteer on its roster (its outcome still to record),
    an earlier one with its outcome, stock (one item low) and an upload with a bad row."""
    from csp_events.engagement.services import AttendanceEntry, OutcomeFields, record_outcome
    from csp_events.imports.models import ImportBatch
    from csp_events.signups.models import Signup
    from csp_events.signups.vocabulary import SignupStatus
    from csp_events.stock.models import StockItem
    from csp_events.stock.services import record_delivery
    from csp_events.timezones import utcnow

    volunteer, coordinator = people["volunteer"], people["coordinator"]
    bells, alarms = StockItem(name="Purse bells"), StockItem(name="Window alarms")
    db.session.add_all([bells, alarms])
    db.session.commit()
    record_delivery(bells, 40, funder="PFCC", delivered_at=utcnow(), by=coordinator)
    record_delivery(alarms, 3, funder="PFCC", delivered_at=utcnow(), by=coordinator)
    roadshows = [
        make_event(
            kind=EventKind.ROADSHOW,
            title=title,
            starts_at=at(days_ahead(-days), 13),
            max_volunteers=4,
        )
        for title, days in (("Union Church roadshow", 1), ("Dementia Café roadshow", 8))
    ]
    for event in roadshows:
        db.session.add(Signup(event=event, user=volunteer, status=SignupStatus.CONFIRMED))
    db.session.commit()
    record_outcome(
        roadshows[1],
        OutcomeFields(
            people_engaged=26,
            items={bells.id: 12},
            attendance=[AttendanceEntry(volunteer.id, True, 150)],
        ),
        by=coordinator,
        now=utcnow(),
    )
    batch = ImportBatch(
        filename="last year.csv",
        content="date,kind,title,venue,people_engaged\n"
        "12/05/2025,pop-up,Rogue Traders pop-up,Brentwood Library,40\n"
        "13/05/2025,pop-up,Scams pop-up,The Moon,12\n",
    )
    db.session.add(batch)
    db.session.commit()
    return roadshows[0].id, bells.id, batch.id


class _ErrorLog(logging.Handler):
    def __init__(self, sink: list[str]):
        super().__init__(logging.ERROR)
        self.sink = sink

    def emit(self, record):
        self.sink.append(self.format(record))


def _answered_whole(app):
    """The app with each answer read in full and closed before werkzeug sends it.

    When a browser drops a connection mid-answer, werkzeug's test server can skip closing
    the answer, and an open static file then fails whichever test runs next.
    """

    def whole(environ, start_response):
        answer = app(environ, start_response)
        try:
            return [b"".join(answer)]
        finally:
            if hasattr(answer, "close"):
                answer.close()

    return whole


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    flask_app = create_app(
        {
            "INSTANCE_PATH": str(folder),
            "SQLALCHEMY_DATABASE_URI": _database_url(folder),
            "PARTNERSHIP_NAME": "Safer Brentwood",
            "EMBED_ALLOWED_ORIGINS": (COUNCIL_SITE,),
        }
    )
    with flask_app.app_context():
        db.drop_all()
        db.create_all()
        seed = seed_world()
        db.session.remove()  # let go of SQLite's write lock before the browser writes

    errors: list[str] = []
    handler = _ErrorLog(errors)
    flask_app.logger.addHandler(handler)
    request_log = logging.getLogger("werkzeug")
    request_level = request_log.level
    request_log.setLevel(logging.WARNING)  # one line per request would bury any failure
    server = make_server("127.0.0.1", 0, _answered_whole(flask_app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-app", daemon=True)
    thread.start()
    try:
        yield LiveApp(f"http://127.0.0.1:{server.server_port}", seed, errors)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        request_log.setLevel(request_level)
        flask_app.logger.removeHandler(handler)
        with flask_app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


@pytest.fixture(autouse=True)
def no_server_errors(request):
    """A request that failed inside the app fails the test that made it."""
    if "live_app" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("browser")  # no browser: skip before seeding and serving
    live = request.getfixturevalue("live_app")
    live.server_errors.clear()
    yield
    assert not live.server_errors, "the app logged errors:\n" + "\n".join(live.server_errors)


# The browser -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    reason = missing_tools()
    if reason:
        if IN_CI:
            pytest.fail(f"Browser tests cannot run in CI: {reason}", pytrace=False)
        _skipped_because.append(reason)
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def browse(request, browser, live_app):
    """browse(viewport="desktop") -> a fresh Browsing in its own browser context (own
    cookies). After the test, the last page used is kept as a screenshot."""
    opened: list[tuple] = []

    def open_tab(viewport: str = "desktop") -> Browsing:
        context = new_context(browser, live_app.url, viewport)
        tab = Browsing(context.new_page())
        opened.append((context, tab))
        return tab

    yield open_tab
    if opened:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
        opened[-1][1].page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    for context, _ in opened:
        context.close()
