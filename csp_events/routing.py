"""Ids in addresses and query strings: only numbers a database integer column can hold.

A larger number names nothing, so it is simply not found (404), rather than an error from
the database (SQLite cannot bind it; PostgreSQL's integer is 32 bits).
"""

from enum import StrEnum
from typing import TypeVar

from flask import request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

LARGEST_ID = 2**31 - 1
E = TypeVar("E", bound=StrEnum)


class DatabaseId(IntegerConverter):
    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, *args, **kwargs)


def id_arg(name: str) -> int | None:
    """A query-string id, or None when it is missing, not a number, or too large to exist."""
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value <= LARGEST_ID else None


class UnknownQueryValue(BadRequest):
    """A query-string value outside the choices offered: refused with the choices named,
    never silently ignored (which would answer with everything)."""


def enum_args(name: str, enum_class: type[E]) -> list[E]:
    """Every `name=` in the query string as the enum; any unknown value is a 400."""
    values = request.args.getlist(name)
    unknown = [v for v in values if v not in enum_class._value2member_map_]
    if unknown:
        known = ", ".join(member.value for member in enum_class)
        raise UnknownQueryValue(
            f"“{unknown[0][:40]}” is not a {name} we know. Use one of: {known}."
        )
    return [enum_class(v) for v in values]
