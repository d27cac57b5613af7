"""Kinds of training and checks a volunteer can hold."""

from enum import StrEnum


class QualificationKind(StrEnum):
    SPEEDWATCH = "speedwatch"
    HOME_VISIT = "home_visit"
    DBS = "dbs"

    @property
    def label(self) -> str:
        return {
            "speedwatch": "Community Speedwatch training",
            "home_visit": "Home-visit training (Essex Police and ECFRS)",
            "dbs": "DBS check",
        }[self.value]
