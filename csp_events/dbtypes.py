"""Column types shared by every area."""

from datetime import UTC, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, String
from sqlalchemy.types import TypeDecorator

# The names a database session in UTC gives its zone (ZoneInfo keeps one object per name).
UTC_ZONES = (ZoneInfo("Etc/UTC"), ZoneInfo("UTC"))


class UTCDateTime(TypeDecorator):
    """An aware datetime stored as UTC on every engine (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored: attach a timezone first")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None or value.tzinfo is UTC:
            return value
        if value.tzinfo in UTC_ZONES:  # PostgreSQL's for a session in UTC: no arithmetic
            return value.replace(tzinfo=UTC)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class EnumText(TypeDecorator):
    """A StrEnum stored as its plain value (readable in SQL, no database enum type to migrate)."""

    impl = String
    cache_ok = True

    def __init__(self, enum_class: type[StrEnum], length: int = 30):
        super().__init__(length)
        self.enum_class = enum_class

    def process_bind_param(self, value, dialect):
        return None if value is None else self.enum_class(value).value

    def process_result_value(self, value, dialect):
        return None if value is None else self.enum_class(value)
