"""Whether a Speedwatch site may be used on a given day."""

from datetime import date, timedelta

from .vocabulary import ApprovalStatus

MIN_SPEED_LIMIT = 20
MAX_SPEED_LIMIT = 40
APPROVAL_WARNING = timedelta(days=30)


def site_approval_problem(
    status: ApprovalStatus, approval_expires_on: date | None, on_day: date
) -> str | None:
    """A session needs a police-approved site whose approval covers the session's day."""
    if status != ApprovalStatus.APPROVED:
        return "This Speedwatch site is not approved by the police."
    if approval_expires_on is None or on_day > approval_expires_on:
        return "The police approval for this Speedwatch site has expired by that date."
    return None


def approval_ending_soon(
    status: ApprovalStatus, approval_expires_on: date | None, today: date
) -> bool:
    """An approved site whose police approval ends within 30 days (or has just ended) needs
    renewing before sessions can be booked there, whether or not any is booked yet."""
    return (
        status == ApprovalStatus.APPROVED
        and approval_expires_on is not None
        and approval_expires_on <= today + APPROVAL_WARNING
    )
