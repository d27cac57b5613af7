"""Where a person stands on a session's roster."""

from enum import StrEnum


class SignupStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    WITHDRAWN = "withdrawn"
    REMOVED = "removed"

    @property
    def label(self) -> str:
        return {
            "confirmed": "Signed up",
            "waitlisted": "On the waiting list",
            "withdrawn": "Withdrawn",
            "removed": "Removed by the coordinator",
        }[self.value]

    @property
    def is_active(self) -> bool:
        return self in (SignupStatus.CONFIRMED, SignupStatus.WAITLISTED)
