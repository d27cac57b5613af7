"""Who the coordinator may add to a session's roster, and who is away then."""

from dataclasses import dataclass

from ..auth.models import User
from ..auth.roles import Role
from ..availability.services import people_away
from ..events.models import Event
from ..extensions import db


@dataclass(frozen=True)
class RosterCandidates:
    offered: list[User]
    away: list[User]  # said they are away for this session: shown, never offered


def roster_candidates(event: Event) -> RosterCandidates:
    """Active volunteers not already on the session (confirmed or waiting), less anyone who
    said they are away on the session's day."""
    on_it = [s.user_id for s in event.signups if s.status.is_active]
    volunteers = list(
        db.session.execute(
            db.select(User)
            .where(User.role == Role.VOLUNTEER, User.active.is_(True), User.id.not_in(on_it))
            .order_by(User.name)
        ).scalars()
    )
    away = people_away([v.id for v in volunteers], event.starts_at, event.ends_at)
    return RosterCandidates(
        offered=[v for v in volunteers if v.id not in away],
        away=[v for v in volunteers if v.id in away],
    )


def find_volunteer(person_id: int) -> User | None:
    return db.session.get(User, person_id)
