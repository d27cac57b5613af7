"""Home-visit rules: who may see a resident, the referral workflow, pairs, lone working, retention.

Pure functions over plain values: the viewer and the clock are passed in.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from ..auth.roles import Role
from ..timezones import to_local
from .kinds import ReferralStatus

VISITING_PAIR = 2


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
class VisitFacts:
    starts_at: datetime
    ends_at: datetime
    cancelled: bool
    volunteer_ids: frozenset[int] = field(default_factory=frozenset)


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


def pair_problems(volunteer_ids: Sequence[int | None], missing: dict[int, str]) -> list[str]:
    """No lone visits: two different volunteers, both with home-visit training and DBS in date.

    `missing` maps a chosen volunteer's id to what they lack on the visit's date.
    """
    chosen = [v for v in volunteer_ids if v is not None]
    if len(chosen) < VISITING_PAIR:
        return ["Choose two volunteers: home visits are never made alone."]
    if len(set(chosen)) < len(chosen):
        return ["Choose two different volunteers."]
    return [missing[v] for v in chosen if v in missing]


@dataclass(frozen=True)
class SafetyFacts:
    user_id: int
    arrived_at: datetime | None
    left_at: datetime | None


def is_overdue_to_leave(
    visit: VisitFacts, checks: Iterable[SafetyFacts], now: datetime, grace: timedelta
) -> bool:
    """A visit is overdue when its grace period has passed and a volunteer has not left safely."""
    if visit.cancelled or now <= visit.ends_at + grace:
        return False
    left = {c.user_id for c in checks if c.left_at is not None}
    return any(volunteer not in left for volunteer in visit.volunteer_ids)


def may_check_in(visit: VisitFacts, now: datetime, early: timedelta) -> bool:
    """'Arrived' is accepted from a little before the visit until the day is well over."""
    return not visit.cancelled and visit.starts_at - early <= now <= visit.ends_at + timedelta(
        hours=12
    )


def check_out_problem(
    visit: VisitFacts,
    now: datetime,
    arrived_at: datetime | None,
    left_at: datetime | None,
    *,
    by_coordinator: bool = False,
) -> str | None:
    """'Left safely' comes after the visit has begun and (from the volunteer) after 'arrived';
    once recorded, it and who confirmed it are never rewritten: it is the record of the
    volunteer being safe. The coordinator confirms for a volunteer who forgot both."""
    if left_at is not None:
        return (
            f"Leaving safely was already recorded at {to_local(left_at):%H:%M}; it stays as it is."
        )
    if now < visit.starts_at:
        return "Leaving safely can be recorded once the visit has begun."
    if arrived_at is None and not by_coordinator:
        return "Mark that you have arrived first."
    return None


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
