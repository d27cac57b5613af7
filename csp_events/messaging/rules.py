"""Who gets which channel, phone numbers Notify accepts, and Notify's statuses: plain values."""

import re

from .enums import Channel, DeliveryStatus

SMS_LIMIT = 612  # GOV.UK Notify's longest text message: four parts of 153 characters

_NON_DIGITS = re.compile(r"[^\d+]")
UK_MOBILE = re.compile(r"^(?:\+44|0044|0)7\d{9}$")


def uk_mobile(phone: str) -> str | None:
    """The number as +447… when it is a UK mobile (only those can get texts), else None."""
    digits = _NON_DIGITS.sub("", phone or "")
    if not UK_MOBILE.match(digits):
        return None
    return "+44" + digits[-10:]


def channels_for(chosen: set[Channel], wants: set[Channel], mobile: str | None) -> set[Channel]:
    """The channels this message goes to one person by: those the coordinator chose that the
    person has not turned off, and a text only to a UK mobile. Whoever is left with none is
    listed on the message's log as not reached, with the reason."""
    reachable = set(wants)
    if mobile is None:
        reachable.discard(Channel.SMS)
    return chosen & reachable


def text_of(subject: str, body: str, partnership: str) -> str:
    return f"{partnership}: {subject}\n{body}"


def text_problem(subject: str, body: str, partnership: str) -> str | None:
    length = len(text_of(subject, body, partnership))
    if length > SMS_LIMIT:
        return (
            f"A text message can be at most {SMS_LIMIT} characters with the subject; this one "
            f"is {length}. Shorten it, or send it by email only."
        )
    return None


# https://docs.notifications.service.gov.uk/python.html#get-the-status-of-one-message
NOTIFY_STATUSES = {
    "delivered": DeliveryStatus.DELIVERED,
    "permanent-failure": DeliveryStatus.FAILED,
    "temporary-failure": DeliveryStatus.FAILED,
    "technical-failure": DeliveryStatus.FAILED,
    "validation-failed": DeliveryStatus.FAILED,
}


def status_from_notify(status: str) -> DeliveryStatus | None:
    """The final status Notify reports, or None while it is still on its way."""
    return NOTIFY_STATUSES.get(status)
