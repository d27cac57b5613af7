"""Changes to part of a table: a table whose rows each belong to one person (a sign-up) is
logged as `table@owner`, so what read only one person's rows (their own calendar feed) is not
built again when somebody else's rows change.

A model opts in with `__change_scope__ = "<column>"`. Names without a scope still mean the
whole table: a bulk UPDATE, a row whose owner could not be told, or a read of every row.
"""

from collections.abc import Iterable

from sqlalchemy import inspect
from sqlalchemy.orm import RelationshipDirection

SCOPE_MARK = "@"


def scoped(table: str, owner: object) -> str:
    return f"{table}{SCOPE_MARK}{owner}"


def overlaps(changed: Iterable[str], read: frozenset[str]) -> bool:
    """Whether changes to `changed` can alter what read `read`: the same name on both sides; a
    part of a table changed, which the whole table read includes; or the whole table changed,
    which includes every part of it read."""
    tables_read = {name.partition(SCOPE_MARK)[0] for name in read}
    for name in changed:
        table, _mark, owner = name.partition(SCOPE_MARK)
        if name in read or (table in read if owner else table in tables_read):
            return True
    return False


def scope_column(model: type) -> str | None:
    column = getattr(model, "__change_scope__", None)
    return column if isinstance(column, str) else None


def owners_written(instance, column: str) -> set[object] | None:
    """Every owner a flush of this object writes rows for: the column's old and new values, and
    the objects a many-to-one relationship on it was set to (before the flush copies their key
    into the column). None when one of them cannot be told without a query."""
    state = inspect(instance)
    owners: set[object] = set()
    history = state.attrs[column].history
    if _old_value_unknown(state, history):
        return None
    owners.update(history.sum())
    for relationship in state.mapper.relationships:
        if relationship.direction is not RelationshipDirection.MANYTOONE or not any(
            local.key == column for local in relationship.local_columns
        ):
            continue
        history = state.attrs[relationship.key].history
        if _old_value_unknown(state, history):
            return None
        for related in history.sum():
            if related is None:
                continue
            identity = inspect(related).identity
            if identity is None or len(identity) != 1:
                return None  # a new owner with no key yet
            owners.add(identity[0])
    owners.discard(None)
    return owners or None


def _old_value_unknown(state, history) -> bool:
    """A stored row given a new value where the old one was never loaded (the attribute had
    expired): whose rows it was cannot be told without a query."""
    return bool(state.has_identity and history.added and not history.deleted)
