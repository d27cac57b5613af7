"""A feed rebuilt after a change makes a series' VEVENTs again only when a row they are made of
changed (feeds/series_reuse.py), and then always."""

import pytest
from factories import make_event, make_site, make_venue
from plans import surgery_plan

from csp_events.events.vocabulary import EventKind
from csp_events.extensions import db
from csp_events.feeds import feed_items, series_reuse
from csp_events.series.services import create_series

FEED = "/feeds/public.ics"


@pytest.fixture
def series_loaded(monkeypatch):
    """The ids of the series loaded to be made into items, call by call."""
    series_reuse.forget_all()
    loaded: list[list[int]] = []
    real = feed_items._series_by_id

    def counting(ids):
        loaded.append(sorted(ids))
        return real(ids)

    monkeypatch.setattr(feed_items, "_series_by_id", counting)
    yield loaded
    series_reuse.forget_all()


@pytest.fixture
def surgeries():
    return create_series(surgery_plan(make_venue("Shenfield Hall")))


def test_a_change_elsewhere_leaves_the_series_unloaded(client, surgeries, series_loaded):
    popup = make_event(title="Pop-up")
    client.get(FEED)
    popup.title = "Pop-up, moved indoors"
    db.session.commit()
    body = client.get(FEED).get_data()
    assert b"moved indoors" in body and b"SUMMARY:NHW surgery" in body
    assert series_loaded == [[surgeries.id]]


def _rename_series(series):
    series.title = "Neighbourhood Watch surgery"


def _rename_one_session(series):
    series.events[3].title = "Surgery with the fire service"


def _rename_the_hall(series):
    series.events[0].venue.name = "Shenfield Village Hall"


def _move_one_session_to_a_site(series):
    series.events[5].site = make_site()


def _make_one_session_private(series):
    series.events[2].is_public = False


def _make_one_session_a_speedwatch(series):
    series.events[4].kind = EventKind.SPEEDWATCH


def _need_more_volunteers_at_one_session(series):
    series.events[1].max_volunteers += 2


# Each with whether the feed shows it: a session shown anywhere else or as another kind gets
# an entry of its own (feed_items.series_items); how many volunteers it needs is not in the
# feed, but the series is made again all the same.
@pytest.mark.parametrize(
    ("change", "shown"),
    [
        (_rename_series, True),
        (_rename_one_session, True),
        (_rename_the_hall, True),
        (_make_one_session_private, True),
        (_move_one_session_to_a_site, True),
        (_make_one_session_a_speedwatch, True),
        (_need_more_volunteers_at_one_session, False),
    ],
    ids=lambda value: value.__name__.strip("_") if callable(value) else "",
)
def test_a_change_to_any_row_a_series_is_made_of_makes_it_again(
    client, surgeries, series_loaded, change, shown
):
    before = client.get(FEED)
    change(surgeries)
    db.session.commit()
    after = client.get(FEED, headers={"If-None-Match": before.headers["ETag"]})
    assert series_loaded == [[surgeries.id], [surgeries.id]]
    assert after.status_code == (200 if shown else 304)


def test_the_same_series_behind_another_address_is_made_for_it(
    app, client, series_loaded, monkeypatch
):
    """Kept items carry the links of the address they were made for."""
    create_series(surgery_plan(make_venue("Shenfield Hall")))
    client.get(FEED)
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://events.example.org")
    assert b"https://events.example.org/" in client.get(FEED).get_data()
    assert len(series_loaded) == 2


def test_the_series_kept_in_a_process_are_bounded(monkeypatch, client, series_loaded):
    monkeypatch.setattr(series_reuse, "KEPT_AT_MOST", 2)
    hall = make_venue("Shenfield Hall")
    for year_ahead in range(3):
        plan = surgery_plan(hall)
        plan.details.title = f"Surgery {year_ahead}"
        create_series(plan)
    client.get(FEED)
    assert len(series_reuse._kept) == 2
