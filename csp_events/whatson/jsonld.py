"""schema.org Event (JSON-LD) and Open Graph for an event's public page; plain values only."""

from ..timezones import to_local
from .listing import PublicEvent, PublicStatus

STATUS = {
    PublicStatus.SCHEDULED: "https://schema.org/EventScheduled",
    PublicStatus.RESCHEDULED: "https://schema.org/EventRescheduled",
    PublicStatus.CANCELLED: "https://schema.org/EventCancelled",
}


def _place(event: PublicEvent) -> dict:
    place = event.place
    if place is None:
        return {"@type": "Place", "name": "To be confirmed"}
    address = {"@type": "PostalAddress", "streetAddress": place.address, "addressCountry": "GB"}
    if place.postcode:
        address["postalCode"] = place.postcode
    found = {"@type": "Place", "name": place.name, "address": address}
    if place.latitude is not None and place.longitude is not None:
        found["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": place.latitude,
            "longitude": place.longitude,
        }
    return found


def event_json_ld(event: PublicEvent, url: str, organiser: str, organiser_url: str) -> dict:
    """What search engines need to list the event, its status included (Google's Event
    structured data: name, startDate and location required; eventStatus for changes)."""
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "startDate": to_local(event.starts_at).isoformat(),
        "endDate": to_local(event.ends_at).isoformat(),
        "eventStatus": STATUS[event.status],
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": _place(event),
        "description": event.what_to_expect or event.kind.label,
        "url": url,
        "isAccessibleForFree": True,
        "organizer": {"@type": "Organization", "name": organiser, "url": organiser_url},
    }
    if event.status == PublicStatus.RESCHEDULED and event.previous_start is not None:
        data["previousStartDate"] = to_local(event.previous_start).isoformat()
    return data


def open_graph(event: PublicEvent, url: str, site_name: str) -> dict[str, str]:
    when = to_local(event.starts_at)
    where = event.place.name if event.place else "place to be confirmed"
    prefix = "Cancelled: " if event.status == PublicStatus.CANCELLED else ""
    return {
        "og:type": "website",
        "og:title": prefix + event.title,
        "og:description": f"{when:%A} {when.day} {when:%B %Y}, {when:%H:%M} at {where}. "
        + event.what_to_expect,
        "og:url": url,
        "og:site_name": site_name,
        "og:locale": "en_GB",
    }
