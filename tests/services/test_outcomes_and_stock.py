"""Recording outcomes: attendance and hours, items taken from stock, corrections, refusals."""

import pytest
from factories import at, days_ahead, make_coordinator, make_event, make_user
from sqlalchemy import func, select

from csp_events.engagement.models import Attendance, EventOutcome
from csp_events.engagement.services import (
    AttendanceEntry,
    OutcomeFields,
    OutcomeRefused,
    overdue_outcomes,
    record_outcome,
)
from csp_events.errors import PermissionDenied
from csp_events.events.vocabulary import EventKind, EventStatus
from csp_events.extensions import db
from csp_events.signups.models import Signup
from csp_events.signups.vocabulary import SignupStatus
from csp_events.stock import services as stock
from csp_events.stock.models import StockItem, StockMovement
from csp_events.stock.vocabulary import MovementKind
from csp_events.timezones import utcnow

pytestmark = pytest.mark.usefixtures("app_context")


@pytest.fixture
def world():
    coordinator = make_coordinator()
    volunteer, other = make_user(name="Val"), make_user(name="Olly")
    event = make_event(kind=EventKind.ROADSHOW, starts_at=at(days_ahead(-1), 10), hours=2)
    for person in (volunteer, other):
        db.session.add(Signup(event=event, user=person, status=SignupStatus.CONFIRMED))
    bells = StockItem(name="Purse bells", low_stock_level=10)
    db.session.add(bells)
    db.session.commit()
    stock.record_delivery(bells, 50, funder="PFCC", delivered_at=utcnow(), by=coordinator)
    return coordinator, volunteer, other, event, bells


def ledger_total(item) -> int:
    return db.session.scalar(
        select(func.sum(StockMovement.quantity)).where(
            StockMovement.item_id == item.id, StockMovement.kind != MovementKind.IMPORTED_ISSUE
        )
    )


def test_a_signed_up_volunteer_records_the_outcome_and_the_stock_goes_down(world):
    _coordinator, volunteer, other, event, bells = world
    fields = OutcomeFields(
        people_engaged=40,
        items={bells.id: 15},
        attendance=[AttendanceEntry(volunteer.id, True, 150), AttendanceEntry(other.id, False, 90)],
    )
    record_outcome(event, fields, by=volunteer, now=utcnow())
    db.session.expire_all()
    assert db.session.get(StockItem, bells.id).balance == 35 == ledger_total(bells)
    outcome = db.session.scalar(select(EventOutcome).where(EventOutcome.event_id == event.id))
    assert outcome.people_engaged == 40 and outcome.recorded_by_id == volunteer.id
    rows = {a.user_id: (a.attended, a.minutes) for a in db.session.scalars(select(Attendance))}
    assert rows == {volunteer.id: (True, 150), other.id: (False, 0)}  # a no-show gives no hours
    assert event.status == EventStatus.COMPLETED


def test_correcting_an_outcome_adds_a_ledger_line_for_the_difference(world):
    coordinator, _volunteer, _other, event, bells = world
    record_outcome(event, OutcomeFields(items={bells.id: 15}), by=coordinator, now=utcnow())
    record_outcome(event, OutcomeFields(items={bells.id: 12}), by=coordinator, now=utcnow())
    db.session.expire_all()
    lines = db.session.scalars(
        select(StockMovement.quantity)
        .where(StockMovement.event_id == event.id)
        .order_by(StockMovement.id)
    ).all()
    assert lines == [-15, 3]
    assert db.session.get(StockItem, bells.id).balance == 38 == ledger_total(bells)
    assert stock.handed_out_at(event.id) == {bells.id: 12}


def test_handing_out_more_than_is_in_stock_is_refused_and_changes_nothing(world):
    coordinator, _volunteer, _other, event, bells = world
    with pytest.raises(OutcomeRefused) as refused:
        record_outcome(
            event,
            OutcomeFields(people_engaged=5, items={bells.id: 51}),
            by=coordinator,
            now=utcnow(),
        )
    assert refused.value.problems == {
        f"item_{bells.id}": "Only 50 purse bells in stock, so 51 cannot be handed out. "
        "Record the delivery first, or correct the number."
    }
    db.session.expire_all()
    assert db.session.get(StockItem, bells.id).balance == 50
    assert db.session.scalar(select(func.count()).select_from(EventOutcome)) == 0


def test_a_volunteer_who_was_not_signed_up_cannot_record(world):
    *_, event, _bells = world
    stranger = make_user()
    with pytest.raises(PermissionDenied):
        record_outcome(event, OutcomeFields(), by=stranger, now=utcnow())


def test_attendance_can_only_be_marked_for_people_on_the_roster(world):
    coordinator, _volunteer, _other, event, _bells = world
    stranger = make_user()
    fields = OutcomeFields(attendance=[AttendanceEntry(stranger.id, True, 600)])
    record_outcome(event, fields, by=coordinator, now=utcnow())
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0


def test_a_registration_number_in_the_notes_is_refused(world):
    coordinator, *_rest, event, _bells = world
    with pytest.raises(OutcomeRefused) as refused:
        record_outcome(event, OutcomeFields(notes="Van AB12 CDE"), by=coordinator, now=utcnow())
    assert "notes" in refused.value.problems


def test_a_count_records_the_difference_and_never_goes_below_zero(world):
    coordinator, *_rest, bells = world
    stock.record_count(bells, 47, reason="Counted on 1 April", by=coordinator)
    assert bells.balance == 47 == ledger_total(bells)
    with pytest.raises(stock.StockRefused):
        stock.record_count(bells, 47, reason="Again", by=coordinator)
    with pytest.raises(stock.StockRefused):
        stock.record_count(bells, -1, reason="Broken", by=coordinator)


def test_the_database_itself_refuses_a_negative_balance(world):
    *_rest, bells = world
    from sqlalchemy.exc import IntegrityError

    bells.balance = -1
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_events_ended_days_ago_without_an_outcome_are_overdue(world):
    coordinator, *_rest, _event, _bells = world
    old = make_event(starts_at=at(days_ahead(-10), 10), title="Old pop-up")
    make_event(starts_at=at(days_ahead(-10), 12), title="Cancelled", status=EventStatus.CANCELLED)
    make_event(starts_at=at(days_ahead(-1), 10), title="Yesterday")
    count, events = overdue_outcomes(utcnow(), 3)
    assert count == 1 and [e.id for e in events] == [old.id]
    record_outcome(old, OutcomeFields(people_engaged=3), by=coordinator, now=utcnow())
    assert overdue_outcomes(utcnow(), 3)[0] == 0


def test_a_delivery_dated_in_the_future_is_refused_and_changes_nothing(world):
    coordinator, _, _, _, bells = world
    with pytest.raises(stock.StockRefused) as refused:
        stock.record_delivery(
            bells, 10, funder="PFCC", delivered_at=at(days_ahead(1), 12), by=coordinator
        )
    assert refused.value.problems == {"delivered_on": "The delivery date must be today or earlier"}
    db.session.expire_all()
    assert bells.balance == 50


def test_a_correction_beyond_the_stock_is_explained_in_the_numbers_typed(world):
    coordinator, _volunteer, _other, event, bells = world
    record_outcome(event, OutcomeFields(items={bells.id: 45}), by=coordinator, now=utcnow())
    with pytest.raises(OutcomeRefused) as refused:
        record_outcome(event, OutcomeFields(items={bells.id: 53}), by=coordinator, now=utcnow())
    assert refused.value.problems == {
        f"item_{bells.id}": "This event already handed out 45 purse bells and the stock has "
        "only 5 more, so it cannot have handed out 53. Record the delivery first, or correct "
        "the number."
    }
    db.session.expire_all()
    assert stock.handed_out_at(event.id) == {bells.id: 45}
