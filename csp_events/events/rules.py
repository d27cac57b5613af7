"""What makes an event valid to schedule, and when it may be confirmed."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..people.rules import is_in_date
from ..people.vocabulary import QualificationKind
from ..places.daylight import daylight_message, is_in_daylight
from ..places.rules import site_approval_problem
from ..places.vocabulary import ApprovalStatus
from ..timezones import to_local
from .vocabulary import EventKind

SPEEDWATCH_MINIMUM_TEAM = 3

REQUIRED_QUALIFICATIONS: dict[EventKind, tuple[QualificationKind, ...]] = {
    EventKind.SPEEDWATCH: (QualificationKind.SPEEDWATCH,),
    EventKind.HOME_VISIT: (QualificationKind.HOME_VISIT, QualificationKind.DBS),
}


def missing_qualifications(
    kind: EventKind, on_day: date, expiries: Mapping[QualificationKind, date]
) -> list[QualificationKind]:
    """The qualifications a session of this kind needs that are absent or expired on the day."""
    return [
        needed
        for needed in REQUIRED_QUALIFICATIONS.get(kind, ())
        if not is_in_date(expiries.get(needed), on_day)
    ]


MAX_DURATION = timedelta(hours=12)
EARLIEST_PAST = timedelta(days=2 * 365)
LATEST_AHEAD = timedelta(days=3 * 365)
MAX_VOLUNTEERS = 50


@dataclass(frozen=True)
class SiteFacts:
    approval_status: ApprovalStatus
    approval_expires_on: date | None
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class EventDraft:
    kind: EventKind
    starts_at: datetime
    ends_at: datetime
    min_volunteers: int
    max_volunteers: int
    has_venue: bool
    site: SiteFacts | None
    area: str = ""


def schedule_problems(draft: EventDraft, now: datetime) -> dict[str, str]:
    """Every reason the event cannot be scheduled, keyed by the form field to show it on."""
    problems: dict[str, str] = {}
    if draft.ends_at <= draft.starts_at:
        problems["end_time"] = "The end time must be after the start time."
    elif draft.ends_at - draft.starts_at > MAX_DURATION:
        problems["end_time"] = (
            "An event can last at most 12 hours; schedule a longer one as several."
        )
    if draft.starts_at < now - EARLIEST_PAST:
        problems["start_date"] = "The date must be within the last 2 years."
    elif draft.starts_at > now + LATEST_AHEAD:
        problems["start_date"] = "The date must be within the next 3 years."
    if draft.max_volunteers < draft.min_volunteers:
        problems["max_volunteers"] = "The most volunteers must be at least the fewest needed."
    problems.update(_place_problems(draft))
    return problems


def _place_problems(draft: EventDraft) -> dict[str, str]:
    if draft.kind == EventKind.SPEEDWATCH:
        if draft.site is None:
            return {"site_id": "Choose the Speedwatch site."}
        return _speedwatch_site_problems(draft, draft.site)
    if draft.kind == EventKind.HOME_VISIT:
        return {} if draft.area else {"area": "Enter the postcode district, for example CM15."}
    return {} if draft.has_venue else {"venue_id": "Choose the venue."}


def _speedwatch_site_problems(draft: EventDraft, site: SiteFacts) -> dict[str, str]:
    day = to_local(draft.starts_at).date()
    approval = site_approval_problem(site.approval_status, site.approval_expires_on, day)
    if approval:
        return {"site_id": approval}
    if draft.ends_at > draft.starts_at and not is_in_daylight(
        draft.starts_at, draft.ends_at, site.latitude, site.longitude
    ):
        return {"start_time": daylight_message(day, site.latitude, site.longitude)}
    return {}


def confirmation_problem(kind: EventKind, qualified_confirmed: int) -> str | None:
    """A Speedwatch session needs at least three qualified volunteers before it is confirmed."""
    if kind == EventKind.SPEEDWATCH and qualified_confirmed < SPEEDWATCH_MINIMUM_TEAM:
        return (
            f"A Speedwatch session needs at least {SPEEDWATCH_MINIMUM_TEAM} qualified volunteers "
            f"before it can be confirmed; it has {qualified_confirmed}."
        )
    return None


def copy_refusal(kind: EventKind) -> str | None:
    """Any event may be scheduled again like itself, except a home visit: each visit is
    arranged from its own referral, for one resident, by the coordinator."""
    if kind == EventKind.HOME_VISIT:
        return "A home visit is arranged from its referral, so it cannot be copied."
    return None
