"""Emails a person may turn off: each names where to choose and how to stop its kind."""

from ..auth.models import User
from ..mail.links import external_url
from ..mail.services import Mail, compose
from .tokens import stop_token


def stoppable_mail(
    recipient: User, choice: str, subject: str, template: str, *, to: str = "", **context
) -> Mail:
    """`template` addressed to the person (or to `to`, the address it was queued for), with
    the links to their email preferences and to stop this kind (`choice`), and RFC 8058
    one-click unsubscribe headers (mail clients show their own "Unsubscribe" button)."""
    stop = external_url("reminders.stop", token=stop_token(recipient.id, choice))
    links = {"preferences_url": external_url("reminders.preferences"), "unsubscribe_url": stop}
    mail = compose(to or recipient.email, subject, template, person=recipient, **context, **links)
    mail.headers["List-Unsubscribe"] = f"<{stop}>"
    mail.headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return mail
