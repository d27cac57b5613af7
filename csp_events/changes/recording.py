"""Every flush that writes records a ChangeRecord; every commit that wrote tells the listeners.

Listening on the session means a new table, a new service or a bulk UPDATE is recorded without
anyone remembering to: the feeds' versions are derived from this log, never from a hand-kept
list of tables.
"""

import threading
from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

from .models import ChangeRecord

# Tables whose writes nothing versioned shows: the log itself, the feeds' own bookkeeping
# (which a feed writes while it is read), and logs of sign-ins, audit and outgoing mail.
# Leaving a table out of here can only cost a rebuild, never a stale feed.
UNSHOWN_TABLES = frozenset(
    {
        "change_records",
        "change_log_epoch",
        "feed_item_revisions",
        "feed_states",
        "failed_logins",
        "audit_records",
        "sent_reminders",
        "notices",
        "password_reset_tokens",
    }
)

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
    shown = sorted(tables - UNSHOWN_TABLES)
    if not shown:
        return
    session.info["changed"] = True
    session.add(ChangeRecord(tables=",".join(shown)[:500], detail="; ".join(detail)[:2000]))


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
            if action == "changed" and not session.is_modified(instance):
                continue
            table = _table_of(instance)
            if table is None:
                continue
            tables.add(table)
            detail.append(f"{action} {table} {getattr(instance, 'id', '') or ''}".strip())
    _note(session, tables, detail)


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
