"""Stock rules: never below zero; corrections are differences; low-stock warnings."""

import pytest

from csp_events.stock.rules import (
    Adjustment,
    StockShort,
    adjustment_problems,
    balance_after,
    handed_out_changes,
    is_low,
)


def test_a_movement_that_would_leave_less_than_none_is_refused():
    assert balance_after("Purse bells", 15, -15) == 0
    with pytest.raises(StockShort, match="Only 15 purse bells in stock, so 16 cannot"):
        balance_after("Purse bells", 15, -16)


def test_an_edited_outcome_changes_only_the_difference():
    assert handed_out_changes({1: 15, 2: 4}, {1: 12, 2: 4, 3: 5}) == {1: -3, 3: 5}
    assert handed_out_changes({1: 15}, {}) == {}


@pytest.mark.parametrize(
    ("balance", "level", "low"), [(10, 10, True), (11, 10, False), (0, 0, True)]
)
def test_stock_is_low_at_or_below_its_level(balance, level, low):
    assert is_low(balance, level) is low


def test_an_adjustment_needs_a_change_and_a_reason():
    assert adjustment_problems(Adjustment(-3, "Damaged in storage")) == {}
    assert set(adjustment_problems(Adjustment(0, " "))) == {"quantity", "reason"}
