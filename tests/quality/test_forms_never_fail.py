"""Arbitrary input to every form: never a server error, and a refusal changes nothing."""

import pytest
from conftest import login_as, post
from factories import (
    at,
    far_future,
    make_coordinator,
    make_event,
    make_item,
    make_site,
    make_user,
    make_venue,
    next_weekday,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from tests_support import surgery_plan
from wtforms import SelectMultipleField

from csp_events.auth.forms import ChangePasswordForm, LoginForm, SetPasswordForm
from csp_events.auth.roles import Role
from csp_events.auth.services import invite_person
from csp_events.equipment.forms import BookingForm, CheckInForm, CheckOutForm, ItemForm
from csp_events.equipment.services import book
from csp_events.events.forms import EventForm
from csp_events.extensions import db
from csp_events.formfields import GovDateField
from csp_events.people.forms import InviteForm, PersonDetailsForm, QualificationForm
from csp_events.people.kinds import QualificationKind
from csp_events.places.forms import SiteForm, VenueForm
from csp_events.series.forms import SeriesForm
from csp_events.series.services import create_series
from csp_events.signups.forms import AddToRosterForm
from csp_events.signups.services import sign_up

C, V = Role.COORDINATOR, Role.VOLUNTEER
# Changed by every sign-in attempt, accepted or not, by design.
COUNTERS = {"failed_logins"}

# endpoint path, who posts, the form's fields (a form class, or plain field names)
FORMS = [
    ("/login", None, LoginForm),
    ("/invite/{token}", None, SetPasswordForm),
    ("/account/password", V, ChangePasswordForm),
    ("/events/new", C, EventForm),
    ("/events/{event}/edit", C, EventForm),
    ("/events/{event}/status", C, ["status"]),
    ("/events/{event}/roster", C, AddToRosterForm),
    ("/series/new", C, SeriesForm),
    ("/series/{series}/edit", C, SeriesForm),
    ("/people/invite", C, InviteForm),
    ("/people/{volunteer}", C, PersonDetailsForm),
    ("/people/{volunteer}/qualifications", C, QualificationForm),
    ("/people/{volunteer}/active", C, ["active"]),
    ("/venues/new", C, VenueForm),
    ("/venues/{venue}", C, VenueForm),
    ("/sites/new", C, SiteForm),
    ("/sites/{site}", C, SiteForm),
    ("/equipment/new", C, ItemForm),
    ("/equipment/{item}/edit", C, ItemForm),
    ("/equipment/{item}/book", V, BookingForm),
    ("/equipment/{item}/book", C, BookingForm),
    ("/equipment/{item}/check-out", C, CheckOutForm),
    ("/equipment/{item}/check-in", C, CheckInForm),
    ("/equipment/bookings/{booking}/cancel", V, []),
    ("/events/{event}/sign-up", V, []),
    ("/events/{event}/withdraw", V, []),
]

TEXT = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", "0", "-1", "10:00", "25:61", "1", "99999999999", "CM15 8AY", "yes"]),
    st.integers(-(10**12), 10**12).map(str),
    st.sampled_from(["surgery", "speedwatch", "home_visit", "confirmed", "cancelled", "y"]),
)
DATE_PARTS = st.lists(TEXT, min_size=0, max_size=4)


def field_names(form_class, app) -> dict[str, str]:
    if isinstance(form_class, list):
        return {name: "text" for name in form_class}
    with app.test_request_context():
        form = form_class(meta={"csrf": False})
        return {
            f.name: "many" if isinstance(f, GovDateField | SelectMultipleField) else "text"
            for f in form
            if f.type not in ("SubmitField", "CSRFTokenField")
        }


def payloads(fields: dict[str, str]):
    return st.fixed_dictionaries(
        {},
        optional={name: DATE_PARTS if kind == "many" else TEXT for name, kind in fields.items()},
    )


def snapshot() -> dict:
    tables = [t for t in db.metadata.sorted_tables if t.name not in COUNTERS]
    return {
        t.name: db.session.execute(select(t).order_by(*t.primary_key.columns)).all() for t in tables
    }


@pytest.fixture
def world(app_context):
    venue = make_venue()
    volunteer = make_user(
        qualifications={
            QualificationKind.DBS: far_future(),
            QualificationKind.SPEEDWATCH: far_future(),
        }
    )
    event = make_event(venue=venue, max_volunteers=1)
    sign_up(event, volunteer, by=volunteer)
    _, token = invite_person(
        name="New Person", email="new@example.org", role=Role.VOLUNTEER, valid_days=7
    )
    gun = make_item(name="Speed gun 1")
    booking = book(gun, volunteer, at(next_weekday(2), 10), at(next_weekday(2), 12))
    ids = {
        "event": event.id,
        "series": create_series(surgery_plan(venue)).id,
        "volunteer": volunteer.id,
        "venue": venue.id,
        "site": make_site().id,
        "token": token,
        "item": gun.id,
        "booking": booking.id,
    }
    return {C: make_coordinator(), V: volunteer}, ids


@pytest.mark.parametrize(
    ("path", "role", "form_class"), FORMS, ids=[f"{f[0]}-{f[1] or 'anonymous'}" for f in FORMS]
)
def test_arbitrary_input_never_breaks_a_form(app, client, world, path, role, form_class):
    people, ids = world
    url = path.format(**ids)
    fields = field_names(form_class, app)

    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=payloads(fields))
    def post_anything(data):
        if role is not None:
            login_as(client, people[role])
        before = snapshot()
        response = post(client, url, data)
        assert response.status_code < 500, (url, data)
        if response.status_code != 302:
            db.session.rollback()
            assert snapshot() == before, (url, data, response.status_code)

    post_anything()
