"""Which tables a piece of work read, derived from the statements it ran (and the objects its
session already held), so a value built from them is known to depend on those tables only:
no hand-kept list of them to forget the next table.

The names are those the change log writes (recording.py): a mapped class's table. A table of
links between two classes (a many-to-many) is written to through either class, so reading it
counts as reading the tables it links too.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache, lru_cache

from sqlalchemy import Table, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, scoped_session

from ..extensions import Model
from .scopes import scoped


@dataclass
class TablesRead:
    """The tables read so far, or `known` False once a SELECT named none: then nothing can be
    said of what the work depends on."""

    names: set[str] = field(default_factory=set)
    known: bool = True
    # Tables read only in part for now (scopes.py): table -> whose rows.
    parts: dict[str, object] = field(default_factory=dict)

    def result(self) -> frozenset[str] | None:
        return frozenset(self.names) if self.known else None


_reading: ContextVar[TablesRead | None] = ContextVar("csp_events_tables_read", default=None)


@contextmanager
def recording_reads(session: Session | scoped_session) -> Iterator[TablesRead]:
    """Record the tables every statement inside the block reads, and the tables of every object
    the session held when it began (used again, an object needs no statement; one loaded inside
    the block was loaded by a statement recorded here)."""
    reads = TablesRead()
    held = {mapped for mapped, *_identity in list(session.identity_map.keys())}
    token = _reading.set(reads)
    try:
        yield reads
    finally:
        _reading.reset(token)
        for mapped in held:
            reads.names |= _names(mapped.__table__)


@contextmanager
def reading_part(table: str, owner: object) -> Iterator[None]:
    """Inside the block, each statement naming `table` reads only `owner`'s rows of it (the
    caller's promise: a WHERE on the table's scope column, see scopes.py), and is recorded
    so: a change to somebody else's rows leaves what is built from it as it is."""
    reads = _reading.get()
    if reads is None:
        yield
        return
    before = reads.parts.get(table)
    reads.parts[table] = owner
    try:
        yield
    finally:
        if before is None:
            reads.parts.pop(table)
        else:
            reads.parts[table] = before


_WORD = re.compile(r"\w+")


@event.listens_for(Engine, "before_cursor_execute")
def _note_statement(_connection, _cursor, statement: str, *_args) -> None:
    """From the SQL as sent, after the ORM has turned relationships into joins (a link table
    appears only then): every table name in it counts, and one too many costs a rebuild."""
    reads = _reading.get()
    if reads is None or not statement.lstrip()[:6].upper().startswith(("SELECT", "WITH")):
        return  # a write (a feed saving its revisions), or BEGIN: not what is shown
    named = _table_names().intersection(_WORD.findall(statement))
    if not named:
        reads.known = False
    for name in named:
        for read in _names(Model.metadata.tables[name]):
            owner = reads.parts.get(read)
            reads.names.add(read if owner is None else scoped(read, owner))


@lru_cache(maxsize=1)
def _table_names() -> frozenset[str]:
    return frozenset(Model.metadata.tables)


@cache
def _names(table: Table) -> frozenset[str]:
    """The table, and for a table of links (no class of its own) the tables it links."""
    if any(mapper.local_table is table for mapper in Model.registry.mappers):
        return frozenset({table.name})
    return frozenset({table.name} | {key.column.table.name for key in table.foreign_keys})
