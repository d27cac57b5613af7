"""The coordinator's dashboard is read once for each change and day: a change shows on the next
view, and the clock moves things on (a visit overdue, an event over) with no change at all."""

from datetime import timedelta

from conftest import login_as
from factories import make_coordinator, make_event
from visit_factories import home_visit_volunteer, make_referral, make_visit

from csp_events.dashboard import views as dashboard_views
from csp_events.timezones import utcnow


def referrals_waiting(page: str) -> str:
    return page.split('app-stats__number">', 2)[1].split("<", 1)[0]


def test_a_change_made_after_a_view_shows_on_the_next_view(client, app_context):
    login_as(client, make_coordinator())
    assert referrals_waiting(client.get("/dashboard").get_data(as_text=True)) == "0"
    make_referral(contacted=False)
    assert referrals_waiting(client.get("/dashboard").get_data(as_text=True)) == "1"


def test_a_visit_becomes_overdue_at_the_end_of_its_grace_period_with_no_change(
    client, app_context, monkeypatch
):
    pair = [home_visit_volunteer(name="Vi One"), home_visit_volunteer(name="Vi Two")]
    make_visit(make_referral(), pair, starts_at=utcnow() - timedelta(hours=1, minutes=10))
    login_as(client, make_coordinator())
    assert "overdue to check out" not in client.get("/dashboard").get_data(as_text=True)
    later = utcnow() + timedelta(minutes=25)
    monkeypatch.setattr(dashboard_views, "utcnow", lambda: later)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "1 home visit is overdue to check out" in page and "Vi One and Vi Two" in page


def test_an_event_leaves_the_fortnight_when_it_ends_with_no_change(
    client, app_context, monkeypatch
):
    make_event(title="Pop-up at the library", starts_at=utcnow() - timedelta(hours=1), hours=2)
    login_as(client, make_coordinator())
    assert "Pop-up at the library" in client.get("/dashboard").get_data(as_text=True)
    later = utcnow() + timedelta(hours=1, minutes=1)
    monkeypatch.setattr(dashboard_views, "utcnow", lambda: later)
    assert "Pop-up at the library" not in client.get("/dashboard").get_data(as_text=True)
