"""Whether a volunteer holds a qualification in date, and how to say what is missing."""

from datetime import date, timedelta

from .vocabulary import QualificationKind

EXPIRY_WARNING = timedelta(days=30)


def is_in_date(expires_on: date | None, on_day: date) -> bool:
    """A qualification is valid up to and including its expiry date."""
    return expires_on is not None and on_day <= expires_on


def describe_missing(missing: list[QualificationKind], on_day: date) -> str:
    names = " and ".join(q.label for q in missing)
    return f"This session needs {names} in date on {on_day:%-d %B %Y}."


def is_expiring_soon(expires_on: date, today: date) -> bool:
    """Expiring within the warning window, or already expired."""
    return expires_on <= today + EXPIRY_WARNING
