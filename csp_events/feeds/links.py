"""Ways to subscribe to a feed: webcal, Google, Outlook, and a QR code for phones."""

from urllib.parse import quote

import segno


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
        "qr": segno.make(url, error="m").svg_data_uri(scale=4, dark="#0b0c0c"),
    }
