"""How rosters react to changes of events: more places move the waiting list up at once."""

from ..changes.bus import publish, subscribe
from ..events.messages import EventChanged
from ..events.services import qualification_gaps
from ..extensions import db
from ..people.messages import QualificationsChanged
from ..timezones import to_local, utcnow
from .messages import VolunteerRemoved
from .services import promote_waiting, upcoming_places
from .vocabulary import SignupStatus


def fill_new_places(message: EventChanged) -> None:
    if not message.event.is_cancelled:
        promote_waiting(message.event)


def give_up_places_no_longer_qualified(message: QualificationsChanged) -> None:
    """A qualification removed, or recorded with an expiry before a session: the person's
    places from then on are given up (unless the coordinator knowingly overrode), the next
    on each waiting list moves up, and the person is told why."""
    person, now = message.person, utcnow()
    for signup in upcoming_places(person, now):
        event = signup.event
        missing = qualification_gaps(person, event)
        if not missing or signup.override_reason:
            continue
        names = " and ".join(kind.label for kind in missing)
        reason = f"No longer has {names} in date on {to_local(event.starts_at):%-d %B %Y}."
        signup.status, signup.removal_reason = SignupStatus.REMOVED, reason[:500]
        promote_waiting(event)
        db.session.flush()
        publish(VolunteerRemoved(signup, message.by, signup.removal_reason, late=False))


def subscribe_to_changes() -> None:
    subscribe(EventChanged, fill_new_places)
    subscribe(QualificationsChanged, give_up_places_no_longer_qualified)
