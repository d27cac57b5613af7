"""Ways to subscribe to a feed: webcal, Google, Outlook, and a QR code for phones."""

from functools import lru_cache
from urllib.parse import quote

import segno


@lru_cache(maxsize=512)
def qr_code(url: str) -> str:
    """The QR code of `url` as an SVG data URI. Made once per address and worker: encoding it
    was 60-70% of the CPU of each page that shows one (the what's-on and event pages)."""
    return segno.make(url, error="m").svg_data_uri(scale=4, dark="#0b0c0c")


def subscribe_links(url: str, name: str) -> dict[str, str]:
    webcal = "webcal://" + url.split("://", 1)[1]
    return {
        "https": url,
        "webcal": webcal,
        "google": "https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe=""),
        "outlook": (
            "https://outlook.live.com/calendar/0/addfromweb?url="
            + quote(url, safe="")
            + "&name="
            + quote(name, safe="")
        ),
        "office365": (
            "https://outlook.office.com/calendar/0/addfromweb?url="
            + quote(url, safe="")
            + "&name="
            + quote(name, safe="")
        ),
        "qr": qr_code(url),
    }
