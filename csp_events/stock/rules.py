"""Stock rules: the shelf never goes below zero; low-stock warnings; what an edit changes."""

from dataclasses import dataclass


class StockShort(ValueError):
    """Taking this many would leave less than none on the shelf."""

    def __init__(self, item_name: str, balance: int, wanted: int):
        super().__init__(
            f"Only {balance} {item_name.lower()} in stock, so {wanted} cannot be handed out. "
            "Record the delivery first, or correct the number."
        )
        self.item_name, self.balance, self.wanted = item_name, balance, wanted


def balance_after(item_name: str, balance: int, change: int) -> int:
    """The balance after a movement; refuses any movement that would make it negative."""
    after = balance + change
    if after < 0:
        raise StockShort(item_name, balance, -change)
    return after


def is_low(balance: int, low_stock_level: int) -> bool:
    """At or below the level set for the item: time to order more."""
    return balance <= low_stock_level


def handed_out_changes(already: dict[int, int], wanted: dict[int, int]) -> dict[int, int]:
    """How many more (positive) or fewer (negative) of each item an edited outcome hands out.

    `already` is what the event's ledger lines add up to, `wanted` the numbers now typed in;
    items not mentioned in `wanted` are left as they are."""
    changes = {}
    for item_id, count in wanted.items():
        difference = count - already.get(item_id, 0)
        if difference:
            changes[item_id] = difference
    return changes


@dataclass(frozen=True)
class Adjustment:
    quantity: int
    reason: str


def adjustment_problems(adjustment: Adjustment) -> dict[str, str]:
    problems = {}
    if adjustment.quantity == 0:
        problems["quantity"] = "Enter a change other than 0, for example -3 or 10"
    if not adjustment.reason.strip():
        problems["reason"] = "Say why the stock is being adjusted, for example ‘counted on 1 April’"
    return problems
