"""Ids in addresses and query strings: only numbers a database integer column can hold.

A larger number names nothing, so it is simply not found (404), rather than an error from
the database (SQLite cannot bind it; PostgreSQL's integer is 32 bits).
"""

from flask import request
from werkzeug.routing import IntegerConverter

LARGEST_ID = 2**31 - 1


class DatabaseId(IntegerConverter):
    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, *args, **kwargs)


def id_arg(name: str) -> int | None:
    """A query-string id, or None when it is missing, not a number, or too large to exist."""
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value <= LARGEST_ID else None
