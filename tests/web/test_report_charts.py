"""The report's charts are drawn once for each set of figures and served from the shared cache;
a change to what they show draws them again, and a cache that fails never fails the page."""

import re
from datetime import timedelta

import pytest
from conftest import login_as
from factories import make_coordinator, make_event, make_venue
from redis.exceptions import ConnectionError as RedisDown

from csp_events.engagement.models import EventOutcome
from csp_events.events.vocabulary import EventStatus
from csp_events.extensions import cache, db
from csp_events.reports import cached_charts, charts
from csp_events.timezones import utcnow

IMAGE = re.compile(r'<img[^>]*src="(data:image/svg\+xml;base64,[^"]+)"[^>]*alt="([^"]*)"')


@pytest.fixture
def drawings(monkeypatch):
    """How many times the charts were drawn."""
    drawn = []
    draw = charts.all_charts

    def counting(report, before):
        drawn.append(report.period)
        return draw(report, before)

    monkeypatch.setattr(charts, "all_charts", counting)
    return drawn


def held(people: int):
    event = make_event(
        starts_at=utcnow() - timedelta(hours=3), status=EventStatus.COMPLETED, venue=make_venue()
    )
    db.session.add(EventOutcome(event_id=event.id, people_engaged=people))
    db.session.commit()
    return event


def pictures(page) -> list[tuple[str, str]]:
    """(src, alt) of every chart on the report page."""
    return IMAGE.findall(page.get_data(as_text=True))


def test_the_same_figures_are_drawn_once_and_served_alike(client, drawings):
    held(40)
    login_as(client, make_coordinator())
    first = pictures(client.get("/reports"))
    second = pictures(client.get("/reports"))
    assert len(drawings) == 1
    assert first == second and first


def test_a_change_to_the_figures_draws_the_charts_again(client, drawings):
    held(40)
    login_as(client, make_coordinator())
    before = pictures(client.get("/reports"))
    held(25)
    after = pictures(client.get("/reports"))
    assert len(drawings) == 2
    assert "Bar chart of 65 people reached, by quarter." in [alt for _, alt in after]
    assert before != after


def test_other_periods_have_their_own_charts(client, drawings):
    held(40)
    login_as(client, make_coordinator())
    client.get("/reports")
    client.get("/reports?first=1&first=1&first=2020&last=31&last=12&last=2020")
    assert len(drawings) == 2


def test_a_cache_that_is_down_still_gives_the_page(client, drawings, monkeypatch):
    def down(*_args, **_kwargs):
        raise RedisDown("no Redis")

    held(40)
    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    login_as(client, make_coordinator())
    assert client.get("/reports").status_code == 200
    assert client.get("/reports").status_code == 200
    assert len(drawings) == 2


def test_the_key_is_derived_from_the_figures_and_the_drawing_code(app_context):
    from csp_events.reports.rules import financial_year, year_before
    from csp_events.reports.services import figures

    year = financial_year(2020)
    report, before = figures(year), figures(year_before(year), detail=False)
    key = cached_charts.chart_key(report, before)
    assert key == cached_charts.chart_key(figures(year), figures(year_before(year), detail=False))
    other = figures(financial_year(2019))
    assert key != cached_charts.chart_key(other, before)
    assert cached_charts._DRAWING_CODE in key
