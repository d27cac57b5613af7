"""UK vehicle registration numbers, which are never stored here (Speedwatch sends them to the
police through its own system): spotting one in free text without refusing road names."""

import re
import unicodedata

REFUSAL = (
    "Remove the registration number: they are sent to the police through the Speedwatch "
    "system and never kept here"
)
# Between the groups of a registration people type spaces, a hyphen, or nothing.
_SEP = r"[ \t\u2010-\u2013-]{1,3}"
_GAP = rf"(?:{_SEP})?"
_EDGE_BEFORE, _EDGE_AFTER = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])"

# In any case, compact (ab12cde, a123bcd, abc123d) or the current style with its one space
# (ab12 cde). Split otherwise (AB 12 CDE, AB-12-CDE, A123 BCD, ABC 123D) only in capitals, as
# plates are written: in lower case it is ordinary prose ("on 12 may", "vitamin b12 and").
_SHAPES_ANY_CASE = [
    r"[A-Z]{2}[0-9]{2} {0,3}[A-Z]{3}",  # 2001 on: area letters, age digits, three letters
    r"[A-Z][0-9]{1,3}[A-Z]{3}",  # prefix, 1983-2001: A123 BCD
    r"[A-Z]{3}[0-9]{1,3}[A-Z]",  # suffix, 1963-83: ABC 123D
]
_SHAPES_CAPITALS = [
    rf"[A-Z]{{2}}{_GAP}[0-9]{{2}}{_GAP}[A-Z]{{3}}",
    rf"[A-Z]{_GAP}[0-9]{{1,3}}{_GAP}[A-Z]{{3}}",
    rf"[A-Z]{{3}}{_GAP}[0-9]{{1,3}}{_GAP}[A-Z]",
    # Dateless (before 1963, still on the road) and Northern Ireland (LBZ 4321): letters and
    # up to four digits, either way round, written apart ("ABC 123", "1234 AB", "LBZ-4321").
    rf"(?P<letters>[A-Z]{{1,3}}){_SEP}(?P<digits>[0-9]{{1,4}})",
    rf"(?P<rdigits>[0-9]{{1,4}}){_SEP}(?P<rletters>[A-Z]{{1,3}})",
]
# A plate's letters never start a motorway number (M25) written with a space: "M25 ABC" is the
# road. Compact (M25ABC) it is still a plate.
_MOTORWAY = re.compile(r"M[0-9]{1,3} [A-Z]{3}")
# Capitals and a number that are ordinary text, not a dateless plate.
_NOT_PLATE_LETTERS = frozenset(
    {"A", "B", "M", "NHS", "NO", "TEL", "MOB", "REF", "PC", "DC", "DS", "RM", "ASB", "CSP", "NHW"}
    | {
        "AGM",
        "SNT",
        "BBC",
        "ITV",
        "J",
        "JCT",
        "KS",
        "Y",
        "YR",
        "WK",
        "Q",
        "PG",
        "P",
        "PP",
        "VOL",
        "CH",
        "PT",
    }
)
_NOT_PLATE_UNITS = frozenset(
    {
        "AM",
        "PM",
        "MPH",
        "KPH",
        "KMH",
        "KM",
        "MI",
        "HR",
        "HRS",
        "MIN",
        "MINS",
        "CM",
        "MM",
        "KG",
        "FT",
        "YD",
        "YDS",
        "ST",
        "ND",
        "RD",
        "TH",
        "X",
    }
)
_PHONE_SERVICES = frozenset({"101", "111", "999", "112"})

_ANY_CASE = re.compile(
    "|".join(rf"{_EDGE_BEFORE}(?:{s}){_EDGE_AFTER}" for s in _SHAPES_ANY_CASE), re.IGNORECASE
)
_CAPITALS = [re.compile(rf"{_EDGE_BEFORE}(?:{s}){_EDGE_AFTER}") for s in _SHAPES_CAPITALS]


def mentions_a_number_plate(text: str) -> bool:
    """Registration numbers go to the police through the Speedwatch system, never into here."""
    text = unicodedata.normalize("NFKC", text or "")  # full-width ＡＢ１２ reads as AB12
    if any(not _MOTORWAY.fullmatch(m.group(0)) for m in _ANY_CASE.finditer(text)):
        return True
    return any(_is_plate(match) for pattern in _CAPITALS for match in _overlapping(pattern, text))


def _overlapping(pattern: re.Pattern, text: str):
    position = 0
    while (match := pattern.search(text, position)) is not None:
        yield match
        position = match.start() + 1


def _is_plate(match: re.Match) -> bool:
    found = match.groupdict()
    if found.get("letters"):
        letters, digits = found["letters"], found["digits"]
        return letters not in _NOT_PLATE_LETTERS and not _year_or_service(digits)
    if found.get("rletters"):
        return found["rletters"] not in _NOT_PLATE_UNITS and not _year_or_service(found["rdigits"])
    return not _MOTORWAY.fullmatch(match.group(0))


def _year_or_service(digits: str) -> bool:
    """'AGM 2026' and 'NHS 111' are a year and a phone number, not a dateless plate."""
    return digits in _PHONE_SERVICES or (len(digits) == 4 and digits[:2] in ("19", "20"))
