"""The registration-number guard: every UK style, however spaced, and never a road or place."""

import pytest

from csp_events.plates import mentions_a_number_plate


@pytest.mark.parametrize(
    "text",
    [
        # Current style (2001 on), however it is spaced or cased
        "Blue van AB12 CDE went by twice",
        "AB12CDE",
        "ab12cde",
        "ab12 cde",
        "AB 12 CDE",
        "AB-12-CDE",
        "AB12  CDE",
        "KX69 ZZA at 42 in the 30",
        "ＡＢ１２ ＣＤＥ",  # typed on a full-width keyboard
        # Prefix (1983-2001) and suffix (1963-83)
        "Old car A123 BCD",
        "A123BCD",
        "a123bcd",
        "A 123 BCD",
        "R-12-XYZ",
        "ABC 123D again",
        "ABC123D",
        "abc123d",
        "ABC-123-D",
        # Dateless, still on the road, either way round
        "Vintage ABC 123 at 38",
        "1234 AB",
        "XY 12",
        "12-XYZ",
        # Northern Ireland
        "Silver car LBZ 4321",
        "LBZ-4321",
        "NIB 1",
        # A motorway number run into letters is no road
        "M25ABC",
    ],
)
def test_every_uk_registration_style_is_spotted(text):
    assert mentions_a_number_plate(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Speedwatch on Wash Road, Hutton",
        "M25 ABC",
        "Traffic on the M25 was slow",
        "M25 junction 28, then the A12",
        "J28 M25",
        "Speedwatch on the A127 near Rayleigh",
        "A12 near Brentwood",
        "A1023 Shenfield Road",
        "B1002 Ingatestone",
        "B186 Warley Hill",
        "Shenfield Road",
        "CM15 8QZ",
        "Postcode CM15 8AY",
        "Brook Street, CM14 5NQ",
        "SS1 1AA and W1A 1AA",
        "Busy school run, 30 mph signs",
        "20 MPH zone",
        "Started at 10 AM",
        "Told her to call NHS 111, or 101",
        "AGM 2026",
        "Year 9 assembly",
        "Flat 3, 12 High St",
        "Room 12",
        "ASB 2 cases this month",
        "PC 1234 attended",
        "vitamin b12 and",
        "phone has 4g signal",
        "on 12 may",
        "the 1st and 2nd",
        "COVID 19",
        "KS2 pupils",
    ],
)
def test_ordinary_roads_places_and_notes_are_not_mistaken_for_plates(text):
    assert not mentions_a_number_plate(text)
