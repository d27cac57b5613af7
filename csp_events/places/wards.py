"""Brentwood Borough's wards, for venues (reports count items handed out by ward).

Another partnership replaces this list with its own borough's wards.
"""

OUTSIDE_THE_BOROUGH = "Outside the borough"

WARDS = (
    "Brentwood North",
    "Brentwood South",
    "Brentwood West",
    "Brizes & Doddinghurst",
    "Herongate, Ingrave & West Horndon",
    "Hutton Central",
    "Hutton East",
    "Hutton North",
    "Hutton South",
    "Ingatestone, Fryerning & Mountnessing",
    "Pilgrims Hatch",
    "Shenfield",
    "South Weald",
    "Tipps Cross",
    "Warley",
    OUTSIDE_THE_BOROUGH,
)
