"""What happens to people's records, published on the change bus."""

from dataclasses import dataclass

from ..auth.models import User


@dataclass(frozen=True)
class QualificationsChanged:
    """A qualification recorded again (new dates) or removed: places may no longer hold."""

    person: User
    by: User
