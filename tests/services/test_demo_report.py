"""The demo's last financial year, reported, matches totals counted by hand from
csp_events/demo/history.py (the numbers below were added up from those tables, not by
running any report query)."""

import pytest
from conftest import login_as

from csp_events.auth.models import User
from csp_events.demo.data import load_demo
from csp_events.events.vocabulary import EventKind
from csp_events.extensions import db
from csp_events.reports.rules import financial_year, financial_year_of
from csp_events.reports.services import figures
from csp_events.timezones import to_local, utcnow

# Surgeries: 12 + 12 + 11 (Shenfield Library has none in August). People at surgeries
# 136 + 86 + 97 = 319; pop-ups 419; roadshows 434; Speedwatch and home visits none.
EVENTS = {
    EventKind.SURGERY: 35,
    EventKind.POP_UP: 10,  # the eleventh, cancelled in August, is left out
    EventKind.ROADSHOW: 7,
    EventKind.SPEEDWATCH: 10,
    EventKind.HOME_VISIT: 4,
    EventKind.OTHER_ENGAGEMENT: 0,
}
PER_QUARTER = [18, 16, 17, 15]
PEOPLE = 319 + 419 + 434
ITEMS = {
    "Leaflets and booklets": 319 + 260 + 338,
    "Property marker pens": 24 + 75,
    "Purse bells": 20 + 20 + 25 + 20,
    "ID magnifiers": 20 + 15 + 10 + 15,
    "Key-ring torches": 30 + 25,
    "Personal alarms": 25 + 30,
    "Timer switches": 10 + 25 + 1,
    "Sat-nav cloths": 30,
    "Window alarms": 20 + 2,
    "Purse cables": 15,
    "Door chains": 8 + 3,
    "Carbon monoxide detectors": 3,
}
# 35 surgeries x 2 h x 1 + 10 pop-ups x 3 h x 2 - one no-show (3 h) + 7 roadshows x 2 h x 2
# + 10 Speedwatch x 1.5 h x 3 - one no-show (1.5 h) + 4 home visits x 1 h.
HOURS = 70 + (60 - 3) + 28 + (45 - 1.5) + 4
VEHICLES = 212 + 180 + 245 + 198 + 176 + 203 + 150 + 221 + 140 + 232
OVER = 19 + 12 + 27 + 15 + 11 + 22 + 9 + 18 + 8 + 24


@pytest.fixture
def demo_year(app_context, cheap_password_hashing):
    load_demo()
    return financial_year(financial_year_of(to_local(utcnow()).date()) - 1)


def test_the_demo_year_report_page_and_csv_match_the_hand_counted_totals(client, demo_year):
    """One test, as loading the demo takes seconds: the figures, then the page and CSV."""
    report = figures(demo_year)
    assert {k.kind: k.events for k in report.kinds} == EVENTS
    assert report.events_per_slice == PER_QUARTER
    assert report.events_without_outcome == 0
    assert report.people == PEOPLE == 1172
    assert dict(report.items) == ITEMS
    assert report.items_total == sum(ITEMS.values()) == 1388
    assert report.minutes == HOURS * 60 == 12150
    assert (
        (report.speedwatch_sessions, report.vehicles_checked, report.vehicles_over)
        == (
            10,
            VEHICLES,
            OVER,
        )
        == (10, 1957, 165)
    )
    assert max(s.highest for s in report.sites) == 55  # Roman Road, a 40 mph road
    assert report.home_visits.visits == 4
    assert dict(report.home_visits.items) == {
        "Door chains": 3,
        "Carbon monoxide detectors": 3,
        "Window alarms": 2,
        "Timer switches": 1,
    }
    assert dict(report.wards)["Brentwood North"] == 230 + 125 + 110

    coordinator = db.session.scalar(db.select(User).where(User.email.like("coordinator@%")))
    login_as(client, coordinator)
    page = client.get(f"/reports?year={demo_year.first.year}").get_data(as_text=True)
    assert "1,172" in page and "1,388" in page and "202.5" in page
    csv = client.get(f"/reports/export.csv?year={demo_year.first.year}").get_data(as_text=True)
    assert "summary,,people reached,1172," in csv
    assert "summary,,items handed out,1388," in csv
    assert "summary,,volunteer hours,202.5," in csv
