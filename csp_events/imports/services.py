"""Importing past activity: check a stored upload, then import every row or none."""

from datetime import time, timedelta

from sqlalchemy import select

from ..auth.models import User
from ..engagement.models import EventOutcome
from ..engagement.vocabulary import OutcomeSource
from ..errors import DomainError
from ..events.models import Event
from ..events.vocabulary import EventKind, EventStatus
from ..extensions import db
from ..places.models import SpeedwatchSite, Venue
from ..reports.rules import local_start_day
from ..stock import services as stock
from ..stock.models import StockItem
from ..timezones import local_to_utc, to_local, utcnow
from .models import ImportBatch
from .rules import (
    ImportCheck,
    ImportRow,
    Lookups,
    check_file,
    comparable_words,
    date_range,
    decode,
    line_with_a_number_plate,
)


class NothingToImport(DomainError):
    pass


class UploadRefused(DomainError):
    """The file cannot even be kept for checking."""


def upload(filename: str, data: bytes, by: User) -> ImportBatch:
    """Keep the file so the dry run can be shown, and the import run from it, unchanged.

    A file holding a registration number is refused before anything is kept: they go to
    the police through the Speedwatch system and are never stored in this app."""
    text = decode(data)
    plate_line = line_with_a_number_plate(text)
    if plate_line is not None:
        raise UploadRefused(
            f"Line {plate_line} looks like it holds a registration number. Registration "
            "numbers are never kept here: remove it from the file and upload it again"
        )
    batch = ImportBatch(
        filename=(filename or "upload.csv")[:200], content=text, uploaded_by_id=by.id
    )
    db.session.add(batch)
    db.session.commit()
    return batch


def lookups(text: str) -> Lookups:
    venues = {
        comparable_words(name): id_
        for id_, name in db.session.execute(select(Venue.id, Venue.name))
    }
    sites: dict[str, tuple[int, int]] = {}
    for site in db.session.execute(select(SpeedwatchSite)).scalars():
        sites.setdefault(comparable_words(site.road), (site.id, site.speed_limit))
        sites[comparable_words(site.name)] = (site.id, site.speed_limit)
    items = {
        comparable_words(name): (id_, name)
        for id_, name in db.session.execute(select(StockItem.id, StockItem.name))
    }
    today = to_local(utcnow()).date()
    return Lookups(venues, sites, items, _existing(text), today)


def _existing(text: str) -> frozenset:
    """(local date, kind, lower-case title) of events already held on the file's dates."""
    span = date_range(text)
    if span is None:
        return frozenset()
    start = local_to_utc(span[0], time(0))
    end = local_to_utc(span[1] + timedelta(days=1), time(0))
    rows = db.session.execute(
        select(Event.starts_at, Event.kind, Event.title).where(
            Event.starts_at >= start, Event.starts_at < end
        )
    )
    return frozenset((local_start_day(s), EventKind(k), t.lower()) for s, k, t in rows)


def check(batch: ImportBatch) -> ImportCheck:
    return check_file(batch.content, lookups(batch.content))


def run_import(batch: ImportBatch, by: User) -> int:
    """All or nothing: every row becomes a completed event with its outcome and hand-outs,
    in one transaction, or (when any row is rejected) nothing is written at all."""
    # The batch's row is held until the commit, so a double click cannot import twice
    # (PostgreSQL; SQLite writers already take the write lock at BEGIN IMMEDIATE).
    batch = db.session.execute(
        select(ImportBatch)
        .where(ImportBatch.id == batch.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    if batch.imported_at is not None:
        raise NothingToImport("This file has already been imported.")
    result = check(batch)
    if not result.can_import:
        raise NothingToImport(
            "Nothing was imported: correct the rejected rows in the file and upload it again."
        )
    for row in result.rows:
        _import_row(row, batch, by)
    batch.imported_at, batch.events_imported = utcnow(), len(result.rows)
    db.session.commit()  # one transaction: a failure part-way leaves nothing behind
    return len(result.rows)


def _import_row(row: ImportRow, batch: ImportBatch, by: User) -> None:
    home_visit = row.kind == EventKind.HOME_VISIT
    event = Event(
        # A spreadsheet's home-visit row may name the resident: only "Home visit" is kept.
        title="Home visit" if home_visit else row.title,
        kind=row.kind,
        theme=row.theme,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        status=EventStatus.COMPLETED,
        venue_id=row.venue_id,
        site_id=row.site_id,
        area=row.area,
        min_volunteers=0,
        max_volunteers=0,
        is_public=False,
        notes=f"Imported from {batch.filename}, line {row.line}.",
    )
    db.session.add(event)
    db.session.flush()
    db.session.add(
        EventOutcome(
            event_id=event.id,
            people_engaged=row.people_engaged,
            audience=row.audience,
            threshold_mph=row.threshold_mph,
            vehicles_checked=row.vehicles_checked,
            vehicles_over_threshold=row.vehicles_over_threshold,
            highest_speed_mph=row.highest_speed_mph,
            weather=row.weather,
            notes="" if home_visit else row.notes,
            source=OutcomeSource.IMPORTED,
            import_batch_id=batch.id,
            recorded_by_id=by.id,
        )
    )
    stock.hand_out_for_event(event, row.items, by=by, imported=True)


def recent_batches(limit: int = 10) -> list[ImportBatch]:
    return list(
        db.session.execute(
            select(ImportBatch).order_by(ImportBatch.uploaded_at.desc()).limit(limit)
        ).scalars()
    )


def batch_or_404(batch_id: int) -> ImportBatch:
    return db.get_or_404(ImportBatch, batch_id)
