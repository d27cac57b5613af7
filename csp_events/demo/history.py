"""A believable year of past activity for the demo: the events, who came, what was handed out.

The tables are literal so the demo year's totals can be counted by hand
(tests/services/test_demo_report.py does). Months count from April (0) to March (11).
"""

from ..engagement.vocabulary import Audience as A
from ..engagement.vocabulary import Weather as W
from ..events.vocabulary import Theme as T

PENS, LEAFLETS = "Property marker pens", "Leaflets and booklets"

# fmt: off
# Monthly NHW surgeries: venue, day of the month, volunteer, people engaged each month
# (None: no surgery that month). Two hours each; leaflets handed out = people engaged,
# and 2 property marker pens at every Brentwood Library surgery.
SURGERIES: list[tuple[str, int, int, list[int | None]]] = [
    ("Brentwood Library", 10, 0, [14, 11, 9, 12, 8, 10, 15, 13, 9, 7, 12, 16]),
    ("Brentwood Community Hospital", 17, 2, [6, 8, 5, 7, 9, 6, 8, 10, 7, 5, 6, 9]),
    ("Shenfield Library", 15, 1, [9, 7, 10, 8, None, 11, 9, 6, 8, 10, 12, 7]),
]
SURGERY_PENS = {"Brentwood Library": 2}

# Pop-ups, 10:00 to 13:00, two volunteers each (team: indices into demo.people.VOLUNTEERS).
# month, day, title, theme, venue, people, items, team, no-shows
Team = tuple[int, ...]
POP_UPS: list[tuple[int, int, str, T, str, int, dict[str, int], Team, Team]] = [
    (0, 12, "Rogue Traders pop-up", T.ROGUE_TRADERS, "Bay Tree Centre", 64,
     {"ID magnifiers": 20, LEAFLETS: 60}, (0, 3), ()),
    (1, 17, "Road Safety pop-up", T.ROAD_SAFETY, "Brentwood High Street", 48,
     {"Key-ring torches": 30, LEAFLETS: 40}, (1, 7), ()),
    (2, 14, "Knife Crime pop-up", T.KNIFE_CRIME, "Bay Tree Centre", 37,
     {LEAFLETS: 35}, (4, 3), (3,)),
    (3, 19, "Rural crime pop-up", T.RURAL_CRIME, "Ingatestone Library", 29,
     {PENS: 25, "Timer switches": 10}, (6, 9), ()),
    (5, 13, "Hate Crime awareness pop-up", T.HATE_CRIME, "Bay Tree Centre", 41,
     {LEAFLETS: 40}, (0, 12), ()),
    (6, 25, "Burglary prevention pop-up (Operation Mercury)", T.BURGLARY, "Bay Tree Centre", 72,
     {"Timer switches": 25, "Window alarms": 20, PENS: 30}, (2, 4), ()),
    (7, 22, "Domestic abuse awareness stall", T.DOMESTIC_ABUSE, "Brentwood High Street", 33,
     {"Personal alarms": 25, LEAFLETS: 30}, (0, 6), ()),
    (8, 6, "Scams awareness pop-up", T.SCAMS, "Brentwood Library", 38,
     {"ID magnifiers": 15, "Purse bells": 20, LEAFLETS: 35}, (2, 16), ()),
    (10, 14, "Cycle theft pop-up", T.CYCLE_THEFT, "Shenfield Library", 22,
     {PENS: 20}, (1, 19), ()),
    (11, 21, "Car crime pop-up", T.GENERAL, "Brentwood Centre", 35,
     {"Sat-nav cloths": 30, LEAFLETS: 20}, (7, 9), ()),
]

# Roadshows, 13:30 to 15:30, two volunteers each.
# month, day, title, theme, venue, audience, people, items, team
ROADSHOWS: list[tuple[int, int, str, T, str, A, int, dict[str, int], Team]] = [
    (1, 8, "Gang awareness roadshow", T.GANGS, "Brentwood County High School", A.SCHOOL, 120,
     {LEAFLETS: 120}, (0, 4)),
    (2, 26, "Dementia Café roadshow", T.SCAMS, "Union Church", A.CLUB, 26,
     {"Purse bells": 20, "Purse cables": 15, "ID magnifiers": 10}, (2, 6)),
    (4, 20, "Shenfield and Hutton ladies’ roadshow", T.GENERAL, "Hutton Community Centre",
     A.CLUB, 34, {"Personal alarms": 30, "Purse bells": 25}, (0, 16)),
    (6, 9, "Union Church health and safety roadshow", T.GENERAL, "Union Church", A.PUBLIC, 45,
     {LEAFLETS: 40, "Key-ring torches": 25}, (4, 11)),
    (7, 13, "Sheltered housing roadshow", T.SCAMS, "Brentwood Centre", A.SHELTERED_SCHEME, 31,
     {"Door chains": 8, "Purse bells": 20, "ID magnifiers": 15}, (0, 2)),
    (9, 15, "Road safety roadshow for schools", T.ROAD_SAFETY, "Brentwood County High School",
     A.SCHOOL, 150, {LEAFLETS: 150}, (1, 12)),
    (10, 5, "Stranger safety roadshow for a nursery", T.GENERAL, "Hutton Community Centre",
     A.NURSERY, 28, {LEAFLETS: 28}, (4, 6)),
]

# Speedwatch, 10:00 to 11:30, three volunteers each.
# month, day, road, vehicles checked, at or over the threshold, highest mph, weather, team, no-shows
SPEEDWATCH: list[tuple[int, int, str, int, int, int, W, Team, Team]] = [
    (0, 23, "Wash Road", 212, 19, 44, W.DRY, (0, 1, 2), ()),
    (1, 21, "William Hunter Way", 180, 12, 41, W.OVERCAST, (1, 7, 9), ()),
    (2, 11, "Ongar Road", 245, 27, 47, W.DRY, (0, 2, 12), ()),
    (3, 9, "Hutton Road", 198, 15, 42, W.DRY, (1, 2, 19), ()),
    (3, 10, "Hutton Road", 176, 11, 40, W.LIGHT_RAIN, (0, 7, 9), ()),
    (3, 11, "Wash Road", 203, 22, 45, W.DRY, (2, 12, 19), (19,)),
    (5, 17, "Roman Road", 150, 9, 55, W.OVERCAST, (0, 1, 9), ()),
    (6, 15, "Ingrave Road", 221, 18, 43, W.DRY, (2, 7, 16), ()),
    (8, 3, "Wash Road", 140, 8, 39, W.OVERCAST, (0, 12, 19), ()),
    (11, 10, "Ongar Road", 232, 24, 48, W.DRY, (1, 2, 9), ()),
]

# Home visits, 14:00 to 15:00, one trained volunteer each: month, day, area, items fitted.
HOME_VISITS: list[tuple[int, int, str, dict[str, int], int]] = [
    (2, 5, "CM15", {"Door chains": 1, "Carbon monoxide detectors": 1}, 0),
    (5, 24, "CM14", {"Door chains": 1, "Window alarms": 2}, 6),
    (8, 12, "CM13", {"Carbon monoxide detectors": 1, "Timer switches": 1}, 0),
    (10, 19, "CM4", {"Door chains": 1, "Carbon monoxide detectors": 1}, 6),
]

# Planned, then cancelled: counted nowhere.
CANCELLED = [(4, 14, "Knife Crime pop-up (cancelled: heatwave)", T.KNIFE_CRIME, "Bay Tree Centre")]
# fmt: on
