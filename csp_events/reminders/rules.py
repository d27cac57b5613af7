"""When a reminder is due, as plain functions of times and counts; no Flask, no database.

Each reminder has an occurrence key: the same reminder about the same thing for the same
person is sent once per key. A key changes when what the reminder is about changes (a session
moved, a return date extended, a new calibration date), so a changed thing is reminded again.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum


class Audience(StrEnum):
    VOLUNTEER = "volunteer"
    COORDINATOR = "coordinator"


@dataclass(frozen=True)
class Due:
    """One reminder to send: `kind` about `subject_id`, to `recipient_id`, for `occurrence`."""

    kind: str
    subject_id: int
    recipient_id: int
    occurrence: str


def moment_key(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


def before_session_due(starts_at: datetime, now: datetime, hours_before: int) -> bool:
    """From `hours_before` the start until the start: a late sign-up is still reminded."""
    return starts_at - timedelta(hours=hours_before) <= now < starts_at


def return_overdue(due_back_at: datetime, returned_at: datetime | None, now: datetime) -> bool:
    return returned_at is None and due_back_at < now


def understaffed_soon(
    starts_at: datetime, now: datetime, hours_ahead: int, confirmed: int, minimum: int
) -> bool:
    """Starts within `hours_ahead` with fewer confirmed volunteers than it needs."""
    return now < starts_at <= now + timedelta(hours=hours_ahead) and confirmed < minimum


def calibration_due_soon(expires_on: date | None, today: date, warning_days: int) -> bool:
    """Expires within `warning_days` (or has expired): time to book the recalibration."""
    return expires_on is not None and expires_on <= today + timedelta(days=warning_days)


def wanted(choice: bool | None, on_by_default: bool) -> bool:
    """A person's own choice wins; otherwise the kind's default."""
    return on_by_default if choice is None else choice


def shortfall_text(confirmed: int, minimum: int) -> str:
    short = minimum - confirmed
    return f"{short} more volunteer{'s' if short != 1 else ''} needed ({confirmed} of {minimum})"
