"""Stock never goes below zero, even when many outcomes take from it at the same moment."""

import pytest
from factories import at, days_ahead, make_coordinator, make_event
from plans import racing_processes, record_outcome_in_another_process
from sqlalchemy import func, select

from csp_events.extensions import db
from csp_events.stock.models import StockItem, StockMovement

pytestmark = pytest.mark.usefixtures("app_context")
RACERS = 10


def test_concurrent_hand_outs_never_take_the_stock_below_zero(app, tmp_path):
    coordinator = make_coordinator()
    bells = StockItem(name="Purse bells", balance=0, low_stock_level=5)
    db.session.add(bells)
    db.session.commit()
    from csp_events.stock.services import record_delivery

    record_delivery(bells, 20, funder="PFCC", delivered_at=at(days_ahead(-30), 12), by=coordinator)
    events = [
        make_event(starts_at=at(days_ahead(-2), 10), title=f"Pop-up {i}") for i in range(RACERS)
    ]
    ids = [e.id for e in events]
    item_id, user_id = bells.id, coordinator.id
    db.session.rollback()

    context = racing_processes()
    barrier, results = context.Barrier(RACERS), context.Queue()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    workers = [
        context.Process(
            target=record_outcome_in_another_process,
            args=(url, str(tmp_path), event_id, user_id, item_id, 3, barrier, results),
        )
        for event_id in ids
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=180) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)

    # 20 bells, 3 at a time: exactly six outcomes can have them; the others are refused.
    assert outcomes.count("recorded") == 6, outcomes
    assert all("Only 2 purse bells in stock" in o for o in outcomes if o != "recorded")
    db.session.expire_all()
    balance = db.session.get(StockItem, item_id).balance
    ledger = db.session.scalar(
        select(func.sum(StockMovement.quantity)).where(StockMovement.item_id == item_id)
    )
    assert balance == ledger == 2


def test_people_recording_one_event_at_the_same_moment_hand_its_items_out_once(app, tmp_path):
    coordinator = make_coordinator()
    chains = StockItem(name="Door chains", balance=0, low_stock_level=2)
    db.session.add(chains)
    db.session.commit()
    from csp_events.engagement.models import EventOutcome
    from csp_events.stock.services import record_delivery

    record_delivery(chains, 20, funder="PFCC", delivered_at=at(days_ahead(-30), 12), by=coordinator)
    event_id = make_event(starts_at=at(days_ahead(-2), 10), title="Roadshow").id
    item_id, user_id = chains.id, coordinator.id
    db.session.rollback()

    context = racing_processes()
    barrier, results = context.Barrier(4), context.Queue()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    workers = [
        context.Process(
            target=record_outcome_in_another_process,
            args=(url, str(tmp_path), event_id, user_id, item_id, 3, barrier, results),
        )
        for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=180) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)

    # Each of them typed "3 door chains": the event handed out 3, however they interleaved.
    assert outcomes == ["recorded"] * 4, outcomes
    db.session.expire_all()
    assert db.session.get(StockItem, item_id).balance == 17
    assert (
        db.session.scalar(
            select(func.count()).select_from(EventOutcome).where(EventOutcome.event_id == event_id)
        )
        == 1
    )
