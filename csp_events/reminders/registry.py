"""Every kind of reminder, in one list: who gets it, whether it is on by default, what makes it
due (collect) and what the email says (compose).

To add a kind, append one `ReminderKind` here with a
collect function (see collect.py: query, judge with a pure rule, return `Due` rows) and a
compose function (see emails.py, and a template in templates/mail/reminders/). The preferences
page, the unsubscribe link, `flask send-reminders` and its at-most-once bookkeeping pick it up.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from ..auth.models import User
from ..auth.roles import Role
from ..mail.services import Mail
from . import collect, emails
from .rules import Due

Collect = Callable[[str, datetime, Mapping], list[Due]]
Compose = Callable[[Due, User, datetime, Mapping], Mail]


@dataclass(frozen=True)
class ReminderKind:
    key: str  # stored in the database: never rename
    label: str
    hint: str
    roles: frozenset[Role]
    on_by_default: bool
    # None for a kind sent the moment something changes (see notices/), not by the timer.
    collect: Collect | None
    compose: Compose | None


HOLDERS = frozenset({Role.VOLUNTEER, Role.COORDINATOR})

KINDS: list[ReminderKind] = [
    ReminderKind(
        "session_first",
        "Before each session",
        "An email {REMINDER_HOURS_BEFORE} hours before each session you are signed up for, "
        "with the session attached for your calendar.",
        frozenset({Role.VOLUNTEER}),
        True,
        collect.session_first,
        emails.session_reminder,
    ),
    ReminderKind(
        "session_second",
        "On the day of each session",
        "Another email {SECOND_REMINDER_HOURS_BEFORE} hours before the session starts.",
        frozenset({Role.VOLUNTEER}),
        False,
        collect.session_second,
        emails.session_reminder,
    ),
    ReminderKind(
        "promoted",
        "A place from the waiting list",
        "An email as soon as someone withdraws and you move up from the waiting list.",
        frozenset({Role.VOLUNTEER}),
        True,
        None,
        None,
    ),
    ReminderKind(
        "session_changed",
        "Changes to your sessions",
        "An email as soon as a session you are part of is cancelled, moved or changes place, "
        "with the updated session attached for your calendar.",
        frozenset({Role.VOLUNTEER, Role.COORDINATOR, Role.PARTNER}),
        True,
        None,
        None,
    ),
    ReminderKind(
        "roster_changed",
        "Added to or taken off a session",
        "An email when the coordinator adds you to a session, or takes you off one (with the "
        "reason given).",
        frozenset({Role.VOLUNTEER}),
        True,
        None,
        None,
    ),
    ReminderKind(
        "cover_request",
        "Requests to cover a session",
        "An email when a session you are free and trained for is short of volunteers.",
        frozenset({Role.VOLUNTEER}),
        True,
        None,
        None,
    ),
    ReminderKind(
        "return_overdue",
        "Equipment to return",
        "An email when equipment you collected is past its return time.",
        HOLDERS,
        True,
        collect.return_overdue_to_holder,
        emails.return_overdue,
    ),
    ReminderKind(
        "understaffed",
        "Sessions short of volunteers",
        "An email when a session starting within {UNDERSTAFFED_HOURS_AHEAD} hours has fewer "
        "volunteers than it needs.",
        frozenset({Role.COORDINATOR}),
        True,
        collect.understaffed,
        emails.understaffed,
    ),
    ReminderKind(
        "calibration",
        "Speed gun calibration",
        "An email when a speed gun's calibration expires within {CALIBRATION_WARNING_DAYS} days.",
        frozenset({Role.COORDINATOR}),
        True,
        collect.calibration,
        emails.calibration,
    ),
    ReminderKind(
        "visit_overdue",
        "Home visits overdue to check out",
        "An email when a home visit's volunteers have not marked that they left safely "
        "{LONE_WORKING_GRACE_MINUTES} minutes after it should have ended.",
        frozenset({Role.COORDINATOR}),
        True,
        collect.visit_overdue,
        emails.visit_overdue,
    ),
]

KINDS += [
    ReminderKind(
        "messages_email",
        "Messages from the coordinator by email",
        "Messages the coordinator sends to the people on a session, or to volunteers.",
        frozenset({Role.VOLUNTEER, Role.COORDINATOR}),
        True,
        None,
        None,
    ),
    ReminderKind(
        "messages_sms",
        "Messages from the coordinator by text",
        "The same messages as texts to your mobile number, when the coordinator sends them "
        "that way (for example on the morning of a session).",
        frozenset({Role.VOLUNTEER, Role.COORDINATOR}),
        True,
        None,
        None,
    ),
]

BY_KEY = {kind.key: kind for kind in KINDS}


def kinds_for(role: Role) -> list[ReminderKind]:
    return [kind for kind in KINDS if role in kind.roles]
