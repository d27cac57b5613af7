"""The emails that carry sign-in links: invitations and password resets."""

from ..mail.links import external_url
from ..mail.services import Mail, compose
from .models import User


def _footer() -> dict:
    return {"preferences_url": external_url("reminders.preferences")}


def invitation(person: User, link: str, days: int) -> Mail:
    return compose(
        person.email,
        "Your invitation",
        "mail/invitation.txt",
        person=person,
        link=link,
        days=days,
        **_footer(),
    )


def password_reset(person: User, link: str, minutes: int) -> Mail:
    return compose(
        person.email,
        "Choose a new password",
        "mail/password_reset.txt",
        person=person,
        link=link,
        lifetime=_lifetime(minutes),
        **_footer(),
    )


def _lifetime(minutes: int) -> str:
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return f"{days} day" + ("s" if days != 1 else "")
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour" + ("s" if hours != 1 else "")
    return f"{minutes} minutes"
