"""List and calendar pages issue a fixed, small number of queries whatever the data size."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from conftest import login_as
from factories import at, days_ahead, fill_every_table, make_coordinator, make_user, make_venue
from sqlalchemy import event as sa_event
from visit_factories import make_referral

from csp_events.auth.models import User
from csp_events.auth.roles import Role
from csp_events.changes.services import read_version
from csp_events.events.models import Event
from csp_events.events.vocabulary import EventKind
from csp_events.extensions import db
from csp_events.people.models import Qualification
from csp_events.people.vocabulary import QualificationKind
from csp_events.signups.models import Signup
from csp_events.signups.vocabulary import SignupStatus

BUDGET = 10
# The dashboard gathers one summary from each area (staffing, qualifications, equipment,
# Speedwatch and its sites' approvals, home visits, outcomes, stock): more queries, but a fixed
# number whatever the data, and only on the first view after a change. Every later view reads
# the user and the version (see test_the_dashboard_seen_again_stays_within_the_budget).
BUDGETS = {"/dashboard": 13}


@contextmanager
def counting_queries():
    statements = []

    def count(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
            statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)


def fill(n_events: int):
    """n events over the next month at several venues, each with a roster."""
    venues = [make_venue() for _ in range(5)]
    people = [make_user() for _ in range(8)]
    for person in people:
        db.session.add(
            Qualification(
                user=person,
                kind=QualificationKind.SPEEDWATCH,
                obtained_on=days_ahead(-30),
                expires_on=days_ahead(10),
            )
        )
    for i in range(n_events):
        start = at(days_ahead(1 + i % 28), 9) + timedelta(minutes=i % 40)
        event = Event(
            title=f"Event {i}",
            kind=EventKind.POP_UP if i % 2 else EventKind.SURGERY,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            venue=venues[i % 5],
            min_volunteers=2,
            max_volunteers=4,
        )
        db.session.add(event)
        db.session.add(Signup(event=event, user=people[i % 8], status=SignupStatus.CONFIRMED))
    db.session.commit()
    read_version()  # the change log's epoch, made once in a database's life
    return people


PAGES = {
    Role.COORDINATOR: [
        "/dashboard",
        "/calendar",
        "/calendar?view=agenda",
        "/people",
        "/venues",
        "/sites",
        "/events/1",
        "/referrals",
        "/audit",
        "/stock",
        "/imports",
        "/rotas",
        "/rotas.csv",
        "/events/1/roster.csv",
    ],
    Role.VOLUNTEER: ["/sessions", "/my-sessions", "/calendar", "/rotas", "/rotas.csv"],
}


@pytest.mark.parametrize("n_events", [10, 1000])
def test_pages_stay_within_the_query_budget(client, n_events):
    people = fill(n_events)
    users = {Role.COORDINATOR: make_coordinator(), Role.VOLUNTEER: people[0]}
    partner = make_user(Role.PARTNER)
    for _ in range(min(n_events, 60)):
        make_referral(partner)
    for role, paths in PAGES.items():
        login_as(client, users[role])
        for path in paths:
            with counting_queries() as statements:
                assert client.get(path).status_code == 200
            assert len(statements) <= BUDGETS.get(path, BUDGET), (path, len(statements))


@pytest.mark.parametrize("n_events", [10, 1000])
def test_the_dashboard_seen_again_stays_within_the_budget(client, n_events):
    fill_every_table()
    fill(n_events)
    login_as(client, make_coordinator())
    assert client.get("/dashboard").status_code == 200  # the first view after a change
    with counting_queries() as statements:
        assert client.get("/dashboard").status_code == 200
    assert len(statements) <= BUDGET, statements


@pytest.mark.parametrize("path", ["/dashboard", "/people", "/calendar"])
def test_a_signed_in_page_loads_its_user_in_the_same_transaction_as_the_page(client, path):
    """A GET never takes SQLite's write lock, so loading the user need not end a transaction
    of its own first: one BEGIN (and one round trip fewer) on every page."""
    fill(10)
    login_as(client, make_coordinator())
    client.get(path)  # the dashboard's first view after a change reads the version's epoch
    began = []

    def count(_connection):
        began.append(1)

    sa_event.listen(db.engine, "begin", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        sa_event.remove(db.engine, "begin", count)
    assert len(began) == 1, path


# The report counts the period and the year before together, one GROUP BY pass per figure
# family (events, hand-outs, attendance) and one for the measures fitted at home visits:
# a fixed number however many events, outcomes and hand-outs there are.
REPORT_BUDGET = 10


@pytest.mark.parametrize("n_events", [10, 1000])
def test_the_report_and_its_csv_stay_within_their_query_budget(client, n_events):
    fill(n_events)
    login_as(client, make_coordinator())
    for path in ("/reports", "/reports/export.csv", "/reports?year=2025&quarter=3"):
        with counting_queries() as statements:
            assert client.get(path).status_code == 200
        assert len(statements) <= REPORT_BUDGET, (path, len(statements))


# The partner returns: the log is one query; the quarterly return runs the report's headline
# passes (events, hand-outs, attendance) once for the four quarters and the year together.
RETURN_BUDGETS = {
    "/reports/returns": 4,
    "/reports/speedwatch-log.csv": 5,
    "/reports/quarterly-return.csv": 4 + 3,  # four quarters and the year counted together
}


@pytest.mark.parametrize("n_events", [10, 1000])
def test_the_partner_returns_stay_within_their_query_budget(client, n_events):
    fill(n_events)
    login_as(client, make_user(Role.PARTNER))
    for path, budget in RETURN_BUDGETS.items():
        with counting_queries() as statements:
            assert client.get(path).status_code == 200
        assert len(statements) <= budget, (path, len(statements))


# An event's page with everything an event can have around it (roster, outcome, attendance,
# hand-outs, bookings, a home visit's safety checks), for each role: the signed-in person, the
# event with its place, partners and roster in one query, the people on it with their
# qualifications in another, who is away, the outcome. Home visits and Speedwatch sessions
# show more (safety checks, the gun's booking).
EVENT_PAGE_BUDGET = 7
EVENT_PAGE_BUDGETS = {EventKind.HOME_VISIT: 11, EventKind.SPEEDWATCH: 8}


@pytest.mark.parametrize("n_events", [10, 200])
def test_every_roles_home_page_and_every_kind_of_event_page_stay_within_the_budget(
    client, n_events
):
    fill_every_table()
    fill(n_events)
    events = db.session.execute(db.select(Event.id, Event.kind)).all()
    people = {
        role: db.session.scalars(db.select(User).where(User.role == role).limit(1)).one()
        for role in (Role.COORDINATOR, Role.VOLUNTEER, Role.PARTNER)
    }
    for role, person in people.items():
        login_as(client, person)
        home = client.get("/")
        assert home.status_code == 302, role
        with counting_queries() as statements:
            assert client.get(home.location).status_code == 200
        assert len(statements) <= BUDGETS.get(home.location, BUDGET), (role, home.location)
        for event_id, kind in events:
            with counting_queries() as statements:
                assert client.get(f"/events/{event_id}").status_code == 200
            budget = EVENT_PAGE_BUDGETS.get(EventKind(kind), EVENT_PAGE_BUDGET)
            assert len(statements) <= budget, (role, kind, len(statements))
