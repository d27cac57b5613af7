"""List and calendar pages issue a fixed, small number of queries whatever the data size."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from conftest import login_as
from factories import at, days_ahead, make_coordinator, make_user, make_venue
from sqlalchemy import event as sa_event
from visit_factories import make_referral

from csp_events.auth.roles import Role
from csp_events.events.kinds import EventKind
from csp_events.events.models import Event
from csp_events.extensions import db
from csp_events.people.kinds import QualificationKind
from csp_events.people.models import Qualification
from csp_events.signups.kinds import SignupStatus
from csp_events.signups.models import Signup

BUDGET = 10
# The dashboard gathers one summary from each area (staffing, qualifications, equipment,
# Speedwatch and its sites' approvals, home visits, outcomes, stock): more queries, but a fixed
# number whatever the data.
BUDGETS = {"/dashboard": 17, "/events/1": 11}  # an event also asks who on it is away


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


# The report runs one GROUP BY query per figure, for the period and the year before it:
# a fixed number however many events, outcomes and hand-outs there are.
REPORT_BUDGET = 16


@pytest.mark.parametrize("n_events", [10, 1000])
def test_the_report_and_its_csv_stay_within_their_query_budget(client, n_events):
    fill(n_events)
    login_as(client, make_coordinator())
    for path in ("/reports", "/reports/export.csv", "/reports?year=2025&quarter=3"):
        with counting_queries() as statements:
            assert client.get(path).status_code == 200
        assert len(statements) <= REPORT_BUDGET, (path, len(statements))


# The partner returns: the log is one query; the quarterly return runs the report's headline
# queries (events by kind, items, Speedwatch sites, volunteers) once a quarter and for the year.
RETURN_BUDGETS = {
    "/reports/returns": 4,
    "/reports/speedwatch-log.csv": 5,
    "/reports/quarterly-return.csv": 4 + 5 * 4,
}


@pytest.mark.parametrize("n_events", [10, 1000])
def test_the_partner_returns_stay_within_their_query_budget(client, n_events):
    fill(n_events)
    login_as(client, make_user(Role.PARTNER))
    for path, budget in RETURN_BUDGETS.items():
        with counting_queries() as statements:
            assert client.get(path).status_code == 200
        assert len(statements) <= budget, (path, len(statements))
