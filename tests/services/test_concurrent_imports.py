"""Pressing "Import" twice at once (a double click, two tabs) imports the file once."""

import pytest
from factories import make_coordinator, make_venue
from plans import import_in_another_process, racing_processes
from sqlalchemy import func, select

from csp_events.events.models import Event
from csp_events.extensions import db
from csp_events.imports.models import ImportBatch

pytestmark = pytest.mark.usefixtures("app_context")

SPREADSHEET = (
    "date,kind,title,venue,people_engaged\n"
    "08/04/2024,surgery,NHW surgery,Brentwood Library,12\n"
    "15/04/2024,surgery,NHW surgery,Brentwood Library,9\n"
)


def test_two_simultaneous_imports_of_one_file_import_it_once(app, tmp_path):
    make_venue("Brentwood Library")
    coordinator_id = make_coordinator().id
    batch = ImportBatch(filename="last-year.csv", content=SPREADSHEET)
    db.session.add(batch)
    db.session.commit()
    batch_id = batch.id
    db.session.rollback()  # hold no lock while the racers run
    context = racing_processes()
    barrier, results = context.Barrier(2), context.Queue()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    workers = [
        context.Process(
            target=import_in_another_process,
            args=(url, str(tmp_path), batch_id, coordinator_id, barrier, results),
        )
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    outcomes = sorted(results.get(timeout=120) for _ in workers)
    for worker in workers:
        worker.join(timeout=60)
    assert outcomes == ["imported 2", "refused: This file has already been imported."]
    assert db.session.scalar(select(func.count()).select_from(Event)) == 2
