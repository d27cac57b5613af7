"""A venue the service refuses comes back with the reason beside a field, never a 500."""

import pytest
from conftest import login_as, post
from factories import make_coordinator

from csp_events.errors import DomainError
from csp_events.places import services as places

pytestmark = pytest.mark.usefixtures("app_context")

VENUE = {
    "name": "Shenfield Library",
    "kind": "library",
    "address": "Hutton Road",
    "postcode": "CM15 8NJ",
}


def test_a_refusal_naming_no_field_is_shown_beside_the_name(client, monkeypatch):
    login_as(client, make_coordinator())

    def refuse(_venue, _fields):
        raise DomainError("Venues are being checked: try again in a minute.")

    monkeypatch.setattr(places, "save_venue", refuse)
    answer = post(client, "/venues/new", VENUE)
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert "Venues are being checked: try again in a minute." in page
    assert 'value="Shenfield Library"' in page
