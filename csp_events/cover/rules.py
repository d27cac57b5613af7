"""When a session needs cover, and what an offer's link may still do: plain values only."""

from datetime import datetime
from enum import StrEnum


def needs_cover(
    *,
    confirmed: int,
    minimum: int,
    starts_at: datetime,
    now: datetime,
    inside_cut_off: bool,
    taking_volunteers: bool,
) -> bool:
    """Short of its minimum, inside the withdrawal cut-off, and still to come."""
    return taking_volunteers and inside_cut_off and now < starts_at and confirmed < minimum


class OfferState(StrEnum):
    OPEN = "open"
    YOURS = "yours"  # this person already took it
    TAKEN = "taken"  # someone else was first
    GONE = "gone"  # the session is cancelled, over, or no longer short


def offer_state(*, filled_by: int | None, person: int, session_live: bool, short: bool):
    if filled_by == person:
        return OfferState.YOURS
    if filled_by is not None:
        return OfferState.TAKEN
    if not session_live or not short:
        return OfferState.GONE
    return OfferState.OPEN
