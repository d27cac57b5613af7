"""Odd input anywhere gets a clear answer, never a server error."""

from datetime import timedelta

import pytest
from conftest import login_as, post
from factories import make_coordinator, make_event

from csp_events.timezones import utcnow

HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    "path",
    [
        f"/referrals/{HUGE}",
        f"/events/{HUGE}",
        f"/equipment/{HUGE}",
        "/referrals/2147483648",  # one past PostgreSQL's integer
        f"/audit?user={HUGE}",
        f"/calendar?venue={HUGE}",
        "/calendar?venue=2147483648",
    ],
)
def test_an_id_too_large_for_any_database_is_simply_not_found(client, app_context, path):
    login_as(client, make_coordinator())
    assert client.get(path).status_code in (200, 404)


def test_an_empty_choice_in_a_list_of_checkboxes_is_refused_politely(client, app_context):
    event = make_event(starts_at=utcnow() - timedelta(hours=3))
    login_as(client, make_coordinator())
    response = post(client, f"/events/{event.id}/outcome", {"partner_agencies": ""})
    assert response.status_code == 200 and "Error:" in response.get_data(as_text=True)
