"""Who a signed-in person is to the partnership."""

from enum import StrEnum


class Role(StrEnum):
    COORDINATOR = "coordinator"
    VOLUNTEER = "volunteer"
    PARTNER = "partner"

    @property
    def label(self) -> str:
        return {
            "coordinator": "Coordinator",
            "volunteer": "Volunteer",
            "partner": "Partner officer",
        }[self.value]
