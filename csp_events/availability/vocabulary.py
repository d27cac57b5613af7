"""The two ways a volunteer says they are away."""

from enum import IntEnum, StrEnum


class AbsenceKind(StrEnum):
    DATES = "dates"
    WEEKDAY = "weekday"

    @property
    def label(self) -> str:
        return {
            "dates": "Away between two dates",
            "weekday": "Never on a particular day of the week",
        }[self.value]


class Weekday(IntEnum):
    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6

    @property
    def label(self) -> str:
        return self.name.capitalize()

    @property
    def plural_label(self) -> str:
        return f"{self.label}s"
