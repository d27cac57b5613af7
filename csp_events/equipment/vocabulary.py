"""Kinds of shared equipment, and where an item or booking stands."""

from enum import StrEnum


class EquipmentKind(StrEnum):
    SPEED_GUN = "speed_gun"
    BODY_WORN_CAMERA = "body_worn_camera"
    MOBILE_CCTV = "mobile_cctv"
    TRAIL_CAMERA = "trail_camera"
    SPEEDWATCH_KIT = "speedwatch_kit"

    @property
    def label(self) -> str:
        return {
            "speed_gun": "Speed gun",
            "body_worn_camera": "Body-worn camera",
            "mobile_cctv": "Mobile CCTV camera",
            "trail_camera": "Rural trail camera",
            "speedwatch_kit": "Speedwatch kit (signs, hi-vis)",
        }[self.value]

    @property
    def needs_calibration(self) -> bool:
        return self == EquipmentKind.SPEED_GUN


class ItemStatus(StrEnum):
    AVAILABLE = "available"
    OUT_OF_SERVICE = "out_of_service"

    @property
    def label(self) -> str:
        return {"available": "In service", "out_of_service": "Out of service"}[self.value]


class BookingStatus(StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Condition(StrEnum):
    GOOD = "good"
    WORN = "worn"
    DAMAGED = "damaged"

    @property
    def label(self) -> str:
        return {"good": "Good", "worn": "Usable but worn", "damaged": "Damaged"}[self.value]


WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
