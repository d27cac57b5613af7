"""Arbitrary input to every form: never a server error, and a refusal changes nothing."""

import pytest
from conftest import login_as, post
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
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plans import surgery_plan
from sqlalchemy import select
from visit_factories import make_referral, make_visit
from wtforms import SelectMultipleField

from csp_events.auth.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    SetPasswordForm,
)
from csp_events.auth.roles import Role
from csp_events.auth.services import invite_person, issue_password_reset
from csp_events.availability.forms import AbsenceForm
from csp_events.availability.services import record_absence
from csp_events.availability.vocabulary import AbsenceKind
from csp_events.equipment.forms import BookingForm, CheckInForm, CheckOutForm, ItemForm
from csp_events.equipment.services import book
from csp_events.events.forms import EventForm
from csp_events.extensions import db
from csp_events.formfields import GovDateField
from csp_events.imports.models import ImportBatch
from csp_events.people.forms import InviteForm, PersonDetailsForm, QualificationForm
from csp_events.people.vocabulary import QualificationKind
from csp_events.places.forms import SiteForm, VenueForm
from csp_events.referrals.forms import EraseForm, ReferralForm, ResidentForm
from csp_events.reminders.forms import PreferencesForm
from csp_events.series.forms import SeriesForm
from csp_events.series.services import create_series
from csp_events.signups.forms import AddToRosterForm
from csp_events.signups.models import Signup
from csp_events.signups.services import sign_up
from csp_events.signups.vocabulary import SignupStatus
from csp_events.stock.forms import CountForm, DeliveryForm, StockItemForm
from csp_events.stock.models import StockItem
from csp_events.visits.forms import OutcomeForm, VisitForm

C, V, P = Role.COORDINATOR, Role.VOLUNTEER, Role.PARTNER
# Changed by every sign-in attempt, accepted or not, by design.
COUNTERS = {"failed_logins"}

# endpoint path, who posts, the form's fields (a form class, or plain field names)
FORMS = [
    ("/login", None, LoginForm),
    ("/invite/{token}", None, SetPasswordForm),
    ("/account/password", V, ChangePasswordForm),
    ("/events/new", C, EventForm),
    ("/events/{event}/edit", C, EventForm),
    ("/events/{event}/copy", C, EventForm),
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
    ("/referrals/new", C, ReferralForm),
    ("/referrals/new", P, ReferralForm),
    ("/referrals/{referral}/correct", C, ResidentForm),
    ("/referrals/{referral}/status", C, ["status"]),
    ("/referrals/{referral}/visits/new", C, VisitForm),
    ("/referrals/{referral}/erase", C, EraseForm),
    ("/visits/{visit}/outcome", C, OutcomeForm),
    ("/visits/{visit}/outcome", V, OutcomeForm),
    ("/visits/{visit}/arrived", V, []),
    ("/visits/{visit}/left", V, []),
    ("/events/{past}/outcome", V, "outcome"),
    ("/events/{past}/outcome", C, "outcome"),
    ("/stock/new", C, StockItemForm),
    ("/stock/{stock}/edit", C, StockItemForm),
    ("/stock/{stock}/delivery", C, DeliveryForm),
    ("/stock/{stock}/count", C, CountForm),
    ("/imports", C, ["file"]),
    ("/imports/{batch}/import", C, []),
    ("/password/forgot", None, ForgotPasswordForm),
    ("/password/reset/{reset}", None, SetPasswordForm),
    ("/account/emails", V, PreferencesForm),
    ("/account/emails", C, PreferencesForm),
    ("/account/away", V, AbsenceForm),
    ("/account/away/{absence}/delete", V, []),
    # Not here, because an accepted post answers 200 with its result rather than redirecting:
    # /people/{id}/invite and /people/{id}/password-reset (the link is shown once) and
    # /emails/stop/{token} (one-click unsubscribe), /series/{id}/sign-up and /series/{id}/withdraw
    # (the result for each session is the answer). tests/web covers each.
]
# The outcome form is built for its event: these are the fields of the world's past pop-up.
OUTCOME_FIELDS = [
    "people_engaged",
    "audience",
    "theme",
    "partner_agencies",
    "notes",
    "came_{volunteer}",
    "hours_{volunteer}",
    "item_{stock}",
]

BLANK_LOOKING = ["", " ", "   ", "\t", "\n", "\u3000", "\u00a0"]  # \u3000: full-width space
PLAIN = st.one_of(
    st.sampled_from(["", "0", "-1", "10:00", "25:61", "1", "99999999999", "CM15 8AY", "yes"]),
    st.integers(-(10**12), 10**12).map(str),
    st.sampled_from(["surgery", "speedwatch", "home_visit", "confirmed", "cancelled", "y"]),
    st.sampled_from(["burglary", "pop_up", "public", "library", "came", "no_show", "speed_gun"]),
)


def full_width(text: str) -> str:
    """The same characters as typed on a Japanese or Chinese keyboard (U+FF01 to U+FF5E)."""
    return "".join(
        chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in text
    )


TEXT = st.one_of(
    st.text(max_size=300),
    PLAIN,
    st.sampled_from(BLANK_LOOKING),
    PLAIN.map(lambda v: f" {v} "),  # surrounding spaces
    PLAIN.map(full_width),
)
DATE_PARTS = st.lists(TEXT, min_size=0, max_size=4)


def field_names(form_class, app, ids) -> dict[str, str]:
    if form_class == "outcome":
        return {name.format(**ids): "text" for name in OUTCOME_FIELDS}
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
    partner = make_user(Role.PARTNER)
    referral = make_referral(partner)
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
        "referral": referral.id,
        "visit": make_visit(referral, [volunteer, make_user()], starts_at=at(days_ahead(0), 0)).id,
        **_outcome_world(volunteer),
        "reset": issue_password_reset(volunteer, 60),
        "absence": record_absence(
            volunteer,
            kind=AbsenceKind.WEEKDAY,
            first_day=None,
            last_day=None,
            weekday=6,
            note="",
            today=days_ahead(0),
        ).id,
    }
    return {C: make_coordinator(), V: volunteer, P: partner}, ids


def _outcome_world(volunteer) -> dict:
    """A pop-up that has started with the volunteer on its roster, a stock item, an upload."""
    past = make_event(starts_at=at(next_weekday(2, weeks_ahead=-2), 10))
    db.session.add(Signup(event=past, user=volunteer, status=SignupStatus.CONFIRMED))
    bells = StockItem(name="Purse bells", balance=10)
    batch = ImportBatch(filename="last-year.csv", content="date,kind\n")
    db.session.add_all([bells, batch])
    db.session.commit()
    return {"past": past.id, "stock": bells.id, "batch": batch.id}


@pytest.mark.parametrize(
    ("path", "role", "form_class"), FORMS, ids=[f"{f[0]}-{f[1] or 'anonymous'}" for f in FORMS]
)
def test_arbitrary_input_never_breaks_a_form(app, client, world, path, role, form_class):
    people, ids = world
    url = path.format(**ids)
    fields = field_names(form_class, app, ids)

    @settings(
        max_examples=15,  # 50 forms on two engines: broad rather than deep, every run
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


@pytest.mark.slow
@pytest.mark.parametrize("blank", [" ", "\u3000", " 1 ", full_width("1")])
@pytest.mark.parametrize(
    ("path", "role", "form_class"), FORMS, ids=[f"{f[0]}-{f[1] or 'anonymous'}" for f in FORMS]
)
def test_every_field_blank_looking_or_padded_is_refused_cleanly(
    app, client, world, path, role, form_class, blank
):
    """Each field in turn holds the odd value while the others keep theirs empty."""
    people, ids = world
    url = path.format(**ids)
    for name, kind in field_names(form_class, app, ids).items():
        if role is not None:
            login_as(client, people[role])
        before = snapshot()
        response = post(client, url, {name: [blank] * 3 if kind == "many" else blank})
        assert response.status_code < 500, (url, name, blank)
        if response.status_code != 302:
            db.session.rollback()
            assert snapshot() == before, (url, name, response.status_code)


# Pages and downloads chosen by query string (GET forms, filters, links): any query, blank-
# looking, padded or full-width values included, answers below 500.
QUERIES = [
    ("/reports/returns", P, ["year", "quarter", "first", "last"]),
    ("/reports/speedwatch-log.csv", P, ["year", "quarter", "first", "last"]),
    ("/reports/quarterly-return.csv", C, ["year", "quarter", "first", "last"]),
    ("/rotas", C, ["first", "last", "kind"]),
    ("/rotas", V, ["first", "last", "kind"]),
    ("/rotas.csv", P, ["first", "last", "kind"]),
    ("/events/{event}/roster.csv", C, ["first"]),
    ("/calendar", C, ["kind", "view", "month", "venue"]),
    ("/feeds/public.ics", None, ["kind", "venue"]),
    ("/feeds/equipment/{item}.ics", None, ["token"]),
    ("/events/new", C, ["kind"]),
    ("/reports", C, ["year", "quarter", "first", "last"]),
    ("/reports/export.csv", C, ["year", "quarter", "first", "last"]),
    ("/equipment/{item}/book", V, ["start", "end"]),
    ("/people/{volunteer}/qualifications", C, ["kind"]),
    ("/audit", C, ["user"]),
    ("/login", None, ["next"]),
]


@pytest.mark.parametrize(
    ("path", "role", "names"), QUERIES, ids=[f"{q[0]}-{q[1] or 'anonymous'}" for q in QUERIES]
)
def test_arbitrary_queries_never_break_a_page_or_download(client, world, path, role, names):
    people, ids = world
    url = path.format(**ids)

    @settings(
        max_examples=15,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.fixed_dictionaries({}, optional={n: DATE_PARTS for n in names}))
    def get_anything(data):
        if role is not None:
            login_as(client, people[role])
        response = client.get(url, query_string=data)
        assert response.status_code < 500, (url, data)

    get_anything()
