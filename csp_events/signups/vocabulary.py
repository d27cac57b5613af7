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


class SeriesSessionOutcome(StrEnum):
    """What signing up for (or withdrawing from) a whole series did to one of its sessions."""

    SIGNED_UP = "signed_up"
    WAITING = "waiting"
    ALREADY_ON = "already_on"
    WITHDRAWN = "withdrawn"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return {
            "signed_up": "Signed up",
            "waiting": "On the waiting list",
            "already_on": "Already on it",
            "withdrawn": "Withdrawn",
            "refused": "Not done",
        }[self.value]
