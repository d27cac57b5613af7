"""Real Brentwood venues and roads (from the partnership's annual report) for the demo."""

from ..places.vocabulary import ApprovalStatus, VenueKind

VENUES = [
    ("Brentwood Library", VenueKind.LIBRARY, "New Road, Brentwood", "CM14 4BP"),
    ("Shenfield Library", VenueKind.LIBRARY, "Hutton Road, Shenfield", "CM15 8NJ"),
    ("Ingatestone Library", VenueKind.LIBRARY, "High Street, Ingatestone", "CM4 0AT"),
    (
        "Brentwood Community Hospital",
        VenueKind.COMMUNITY_HOSPITAL,
        "Crescent Drive, Shenfield",
        "CM15 8DR",
    ),
    ("Hutton Community Centre", VenueKind.COMMUNITY_HALL, "Hutton", "CM13 1JP"),
    ("Brentwood Town Hall", VenueKind.TOWN_HALL, "Ingrave Road, Brentwood", "CM15 8AY"),
    ("Bay Tree Centre", VenueKind.TOWN_CENTRE, "High Street, Brentwood", "CM14 4BX"),
    ("Brentwood High Street", VenueKind.TOWN_CENTRE, "High Street, Brentwood", "CM14 4AB"),
    ("Brentwood Centre", VenueKind.COMMUNITY_HALL, "Doddinghurst Road, Brentwood", "CM15 9NN"),
    ("Brentwood County High School", VenueKind.SCHOOL, "Shenfield Common, Brentwood", "CM14 4JF"),
    ("Union Church", VenueKind.COMMUNITY_HALL, "Ongar Road, Brentwood", "CM15 9AU"),
    ("Stow Maries Aerodrome", VenueKind.OTHER, "Hackmans Lane, Purleigh", "CM3 6RN"),
]

# What residents see on "What's on" for some venues: latitude, longitude, accessibility.
VENUE_PUBLIC_DETAILS = {
    "Brentwood Library": (
        51.6206,
        0.3056,
        "Step-free entrance from New Road; hearing loop at the desk; accessible toilet.",
    ),
    "Shenfield Library": (
        51.6297,
        0.3296,
        "Step-free entrance; parking for blue badge holders at the front.",
    ),
    "Brentwood Town Hall": (
        51.6236,
        0.3119,
        "Ramp at the Ingrave Road entrance; lift to every floor; hearing loop in the chamber.",
    ),
}

# road, where, limit, status, months of approval left, latitude, longitude
SITES = [
    (
        "William Hunter Way",
        "By the car park entrance",
        30,
        ApprovalStatus.APPROVED,
        10,
        51.6196,
        0.3022,
    ),
    (
        "Wash Road",
        "Near Hutton Mount, opposite the shops",
        30,
        ApprovalStatus.APPROVED,
        8,
        51.6278,
        0.3465,
    ),
    (
        "Ongar Road",
        "Outside the church, southbound",
        30,
        ApprovalStatus.APPROVED,
        12,
        51.6290,
        0.2950,
    ),
    (
        "Hutton Road",
        "Shenfield, near the station approach",
        30,
        ApprovalStatus.APPROVED,
        6,
        51.6307,
        0.3283,
    ),
    (
        "Roman Road",
        "Mountnessing, by the village sign",
        40,
        ApprovalStatus.APPROVED,
        9,
        51.6531,
        0.3530,
    ),
    ("Ingrave Road", "By the Town Hall bus stop", 30, ApprovalStatus.APPROVED, 11, 51.6180, 0.3078),
    ("Coptfold Road", "By the car park", 20, ApprovalStatus.PENDING, 0, None, None),
]

# The ward each venue is in (Stow Maries is over the border, in Maldon district).
VENUE_WARDS = {
    "Brentwood Library": "Brentwood West",
    "Shenfield Library": "Shenfield",
    "Ingatestone Library": "Ingatestone, Fryerning & Mountnessing",
    "Brentwood Community Hospital": "Shenfield",
    "Hutton Community Centre": "Hutton Central",
    "Brentwood Town Hall": "Brentwood South",
    "Bay Tree Centre": "Brentwood North",
    "Brentwood High Street": "Brentwood North",
    "Brentwood Centre": "Pilgrims Hatch",
    "Brentwood County High School": "Brentwood South",
    "Union Church": "Brentwood North",
    "Stow Maries Aerodrome": "Outside the borough",
}
