"""Every flush that writes records a ChangeRecord; every commit that wrote tells the listeners.

Listening on the session means a new table, a new service or a bulk UPDATE is recorded without
anyone remembering to: the feeds' versions are derived from this log, never from a hand-kept
list of tables.
"""

import threading
from collections.abc import Callable

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from .models import ChangeRecord
from .scopes import SCOPE_MARK, owners_written, scope_column, scoped

# Tables whose writes nothing versioned shows: the log itself, the feeds' own bookkeeping
# (which a feed writes while it is read), and logs of sign-ins, audit and outgoing mail.
# Leaving a table out of here can only cost a rebuild, never a stale feed.
UNSHOWN_TABLES = frozenset(
    {
        "change_records",
        "change_log_epoch",
        "feed_item_revisions",
        "feed_revision_generations",
        "feed_states",
        "failed_logins",
        "audit_records",
        "sent_reminders",
        "notices",
        "password_reset_tokens",
    }
)

# As long as ChangeRecord.tables holds; a list cut short is read as "anything may have changed".
TABLES_LENGTH = 500

_after_commit: list[Callable[[], None]] = []
_lock = threading.Lock()


def on_commit_that_wrote(callback: Callable[[], None]) -> None:
    """Call `callback` after each commit that recorded a change (in this process)."""
    with _lock:
        if callback not in _after_commit:
            _after_commit.append(callback)


def _table_of(instance) -> str | None:
    table = getattr(type(instance), "__tablename__", None)
    return table if isinstance(table, str) else None


def _note(session: Session, tables: set[str], detail: list[str]) -> None:
    shown = sorted(n for n in tables if n.partition(SCOPE_MARK)[0] not in UNSHOWN_TABLES)
    if not shown:
        return
    session.info["changed"] = True
    listed = ",".join(shown)[:TABLES_LENGTH]
    session.add(ChangeRecord(tables=listed, detail="; ".join(detail)[:2000]))


@event.listens_for(Session, "before_flush")
def _record_flush(session: Session, _context, _instances) -> None:
    tables: set[str] = set()
    detail: list[str] = []
    for action, objects in (
        ("new", session.new),
        ("changed", session.dirty),
        ("deleted", session.deleted),
    ):
        for instance in objects:
            if isinstance(instance, ChangeRecord):
                continue
            table = _table_of(instance)
            if table is None:
                continue
            written = _tables_written(session, instance, table) if action == "changed" else {table}
            tables |= _in_part(instance, table, written)
            if written:
                detail.append(f"{action} {table} {getattr(instance, 'id', '') or ''}".strip())
    _note(session, tables, detail)


def _tables_written(session: Session, instance, table: str) -> set[str]:
    """The tables a changed object's flush writes: its own row when a column of it changed;
    for a many-to-many collection that changed, its link table and, as before, its own (what
    read the collection earlier in a request holds the object, not the link rows). A
    one-to-many collection (an event's sign-ups) writes the other side's rows, which are
    recorded themselves: a sign-up does not change its event, and what shows only events need
    not be built again."""
    written = {table} if session.is_modified(instance, include_collections=False) else set()
    state = inspect(instance)
    for relationship in state.mapper.relationships:
        if (
            relationship.secondary is not None
            and state.attrs[relationship.key].history.has_changes()
        ):
            written |= {relationship.secondary.name, table}
    return written


def _in_part(instance, table: str, written: set[str]) -> set[str]:
    """The object's own table as the parts of it written (scopes.py), when its rows belong to
    someone and who can be told; otherwise the whole table."""
    column = scope_column(type(instance))
    if column is None or table not in written:
        return written
    owners = owners_written(instance, column)
    if owners is None:
        return written
    return (written - {table}) | {scoped(table, owner) for owner in owners}


@event.listens_for(Session, "do_orm_execute")
def _record_bulk_write(state) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name:
        kind = "updated" if state.is_update else "deleted" if state.is_delete else "inserted"
        _note(state.session, {name}, [f"bulk {kind} {name}"])


@event.listens_for(Session, "after_commit")
def _tell_listeners(session: Session) -> None:
    if not session.info.pop("changed", False):
        return
    with _lock:
        callbacks = list(_after_commit)
    for callback in callbacks:
        callback()


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop("changed", None)
