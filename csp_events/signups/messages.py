"""What happens to places on rosters, published on the change bus."""

from dataclasses import dataclass

from ..auth.models import User
from .models import Signup


@dataclass(frozen=True)
class PlacePromoted:
    """Someone on the waiting list now has a place."""

    signup: Signup


@dataclass(frozen=True)
class VolunteerRemoved:
    """The coordinator took someone off a roster (`late`: after the withdrawal cut-off)."""

    signup: Signup
    by: User
    reason: str
    late: bool


@dataclass(frozen=True)
class VolunteerAdded:
    """The coordinator put someone on a roster (a place or the waiting list)."""

    signup: Signup
    by: User


@dataclass(frozen=True)
class VolunteerLeft:
    """Someone withdrew from a place they held (the session may now be short)."""

    signup: Signup
