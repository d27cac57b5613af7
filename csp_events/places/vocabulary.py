"""Kinds of venue, and the police approval of Speedwatch sites."""

from enum import StrEnum


class VenueKind(StrEnum):
    LIBRARY = "library"
    COMMUNITY_HOSPITAL = "community_hospital"
    COMMUNITY_HALL = "community_hall"
    SCHOOL = "school"
    TOWN_HALL = "town_hall"
    TOWN_CENTRE = "town_centre"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class ApprovalStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {
            "pending": "Awaiting police approval",
            "approved": "Approved by police",
            "withdrawn": "Approval withdrawn",
        }[self.value]
