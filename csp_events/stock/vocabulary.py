"""Kinds of stock movement."""

from enum import StrEnum


class MovementKind(StrEnum):
    DELIVERY = "delivery"
    ISSUE = "issue"
    ADJUSTMENT = "adjustment"
    # Handed out before the app was used (from an imported spreadsheet): counted in the
    # reports, but the stock on the shelf today was counted separately, so no balance change.
    IMPORTED_ISSUE = "imported_issue"

    @property
    def label(self) -> str:
        return {
            "delivery": "Delivery",
            "issue": "Handed out",
            "adjustment": "Adjustment",
            "imported_issue": "Handed out (imported record)",
        }[self.value]

    @property
    def changes_balance(self) -> bool:
        return self != MovementKind.IMPORTED_ISSUE


HANDED_OUT = (MovementKind.ISSUE, MovementKind.IMPORTED_ISSUE)
