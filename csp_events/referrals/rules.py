"""Referral rules: who may see a resident, the workflow's steps, retention, postcodes.

Pure functions over plain values: the viewer and the clock are passed in.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from ..auth.roles import Role
from ..visits.rules import VisitFacts
from .vocabulary import ReferralStatus


class ResidentAccess(StrEnum):
    """How much of a referral someone may see."""

    FULL = "full"  # coordinator: view, correct, export, erase
    VISIT = "visit"  # an assigned volunteer inside the visit's window: view only
    STATUS = "status"  # the partner who referred: the referral's status, nothing added since
    NONE = "none"  # everyone else: as if it did not exist (404)


@dataclass(frozen=True)
class Viewer:
    id: int
    role: Role


@dataclass(frozen=True)
class DetailsWindow:
    """How long before a visit starts, and after it ends, its volunteers may see the resident."""

    before: timedelta
    after: timedelta

    def is_open(self, visit: VisitFacts, now: datetime) -> bool:
        return visit.starts_at - self.before <= now <= visit.ends_at + self.after


def resident_access(
    viewer: Viewer | None,
    referred_by_id: int,
    visits: Iterable[VisitFacts],
    now: datetime,
    window: DetailsWindow,
) -> ResidentAccess:
    """The coordinator sees everything; a volunteer only for a visit they are on, and only while
    its window is open; the referring partner only the status; anyone else nothing."""
    if viewer is None:
        return ResidentAccess.NONE
    if viewer.role == Role.COORDINATOR:
        return ResidentAccess.FULL
    if viewer.role == Role.VOLUNTEER:
        for visit in visits:
            if (
                not visit.cancelled
                and viewer.id in visit.volunteer_ids
                and window.is_open(visit, now)
            ):
                return ResidentAccess.VISIT
        return ResidentAccess.NONE
    if viewer.role == Role.PARTNER and viewer.id == referred_by_id:
        return ResidentAccess.STATUS
    return ResidentAccess.NONE


def can_view_resident(access: ResidentAccess) -> bool:
    return access in (ResidentAccess.FULL, ResidentAccess.VISIT)


def can_edit_resident(access: ResidentAccess) -> bool:
    return access == ResidentAccess.FULL


def can_export_resident(access: ResidentAccess) -> bool:
    return access == ResidentAccess.FULL


# Where a referral may go next by hand. VISIT_SCHEDULED and VISITED are reached by scheduling a
# visit and recording its outcome, so the steps stay true to what happened.
MANUAL_NEXT: dict[ReferralStatus, tuple[ReferralStatus, ...]] = {
    ReferralStatus.REFERRED: (
        ReferralStatus.CONTACTED,
        ReferralStatus.DECLINED,
        ReferralStatus.UNABLE_TO_CONTACT,
    ),
    ReferralStatus.CONTACTED: (ReferralStatus.DECLINED, ReferralStatus.CLOSED),
    ReferralStatus.VISIT_SCHEDULED: (ReferralStatus.DECLINED, ReferralStatus.UNABLE_TO_CONTACT),
    ReferralStatus.VISITED: (ReferralStatus.CLOSED,),
    ReferralStatus.CLOSED: (),
    ReferralStatus.DECLINED: (),
    ReferralStatus.UNABLE_TO_CONTACT: (ReferralStatus.CONTACTED,),
}


def may_move(current: ReferralStatus, to: ReferralStatus) -> bool:
    return to in MANUAL_NEXT[current]


def may_schedule_visit(status: ReferralStatus) -> bool:
    """Visits are arranged once the resident has been contacted (and again for a follow-up)."""
    return status in (
        ReferralStatus.CONTACTED,
        ReferralStatus.VISIT_SCHEDULED,
        ReferralStatus.VISITED,
    )


def is_due_for_purge(
    status: ReferralStatus, closed_at: datetime | None, now: datetime, keep_for: timedelta
) -> bool:
    """Resident details go a set period after the referral closed (or was declined)."""
    return status.is_final and closed_at is not None and closed_at + keep_for <= now


def reference_identifies_the_resident(
    reference: str, *, name: str, postcode: str, phone: str
) -> bool:
    """Whether a referrer's own reference carries the resident's name, full postcode or
    phone number: the reference is listed and kept after the details go, so it must not."""
    folded = reference.casefold()
    reference_words = set(re.findall(r"[^\W\d_]+", folded))
    if any(
        len(word) >= 3 and word in reference_words
        for word in re.findall(r"[^\W\d_]+", name.casefold())
    ):
        return True
    squeezed = re.sub(r"\s", "", folded)
    postcode_key = re.sub(r"\s", "", postcode.casefold())
    if len(postcode_key) >= 5 and postcode_key in squeezed:
        return True
    digits = re.sub(r"\D", "", phone)
    return len(digits) >= 6 and digits[-6:] in re.sub(r"\D", "", reference)


def postcode_district(postcode: str) -> str:
    """The outward code ("CM15 8AB" → "CM15"): the only part of an address shown outside."""
    return normal_postcode(postcode).split(" ")[0]


def normal_postcode(postcode: str) -> str:
    """However it was typed ("cm158ab"), a UK postcode as it is written: "CM15 8AB"."""
    compact = "".join(postcode.split()).upper()
    return f"{compact[:-3]} {compact[-3:]}"
