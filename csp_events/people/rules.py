"""Which qualifications a session needs, and whether a volunteer holds them in date."""

from collections.abc import Mapping
from datetime import date, timedelta

from ..events.kinds import EventKind
from .kinds import QualificationKind

EXPIRY_WARNING = timedelta(days=30)

REQUIRED_QUALIFICATIONS: dict[EventKind, tuple[QualificationKind, ...]] = {
    EventKind.SPEEDWATCH: (QualificationKind.SPEEDWATCH,),
    EventKind.HOME_VISIT: (QualificationKind.HOME_VISIT, QualificationKind.DBS),
}


def is_in_date(expires_on: date | None, on_day: date) -> bool:
    """A qualification is valid up to and including its expiry date."""
    return expires_on is not None and on_day <= expires_on


def missing_qualifications(
    kind: EventKind, on_day: date, expiries: Mapping[QualificationKind, date]
) -> list[QualificationKind]:
    """The qualifications a session of this kind needs that are absent or expired on the day."""
    return [
        needed
        for needed in REQUIRED_QUALIFICATIONS.get(kind, ())
        if not is_in_date(expiries.get(needed), on_day)
    ]


def describe_missing(missing: list[QualificationKind], on_day: date) -> str:
    names = " and ".join(q.label for q in missing)
    return f"This session needs {names} in date on {on_day:%-d %B %Y}."


def is_expiring_soon(expires_on: date, today: date) -> bool:
    """Expiring within the warning window, or already expired."""
    return expires_on <= today + EXPIRY_WARNING
