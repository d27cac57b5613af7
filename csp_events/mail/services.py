"""Sending email: plain-text messages from templates, through Flask-Mailman's configured backend."""

import logging
import smtplib
from dataclasses import dataclass, field

from flask import current_app, render_template
from flask_mailman import EmailMessage

from ..plain_text import one_line

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


@dataclass
class Mail:
    to: str
    subject: str
    body: str
    attachments: list[Attachment] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)


class MailNotSent(Exception):
    """The mail server refused or could not be reached; `definite` when nothing was delivered."""

    def __init__(self, message: str, *, definite: bool):
        super().__init__(message)
        self.definite = definite


def compose(to: str, subject: str, template: str, **context) -> Mail:
    partnership = current_app.config["PARTNERSHIP_NAME"]
    body = render_template(template, partnership=partnership, **context)
    # A header is one line: a line break in a title or a typed subject would make the mail
    # library refuse the message (and leave it claimed, never sent).
    return Mail(to=to, subject=one_line(f"{subject} – {partnership}"), body=body)


# Failures after which the server cannot have accepted the message: safe to try again.
_DEFINITE = (
    smtplib.SMTPConnectError,
    smtplib.SMTPAuthenticationError,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPHeloError,
    ConnectionRefusedError,
)


def deliver(mail: Mail) -> None:
    """Send one message now; raises MailNotSent (never anything else the caller must know)."""
    message = EmailMessage(
        subject=mail.subject,
        body=mail.body,
        from_email=current_app.config["MAIL_DEFAULT_SENDER"],
        to=[mail.to],
        headers=mail.headers,
    )
    for attachment in mail.attachments:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    try:
        message.send()
    except _DEFINITE as error:
        log.warning("mail not sent (%s): %s", type(error).__name__, error)
        raise MailNotSent(str(error), definite=True) from error
    except (OSError, smtplib.SMTPException) as error:
        log.warning("mail may not have been sent (%s): %s", type(error).__name__, error)
        raise MailNotSent(str(error), definite=False) from error


def try_deliver(mail: Mail) -> bool:
    """Send, and say whether it went; for mail whose loss the page tells the person about."""
    try:
        deliver(mail)
    except MailNotSent:
        return False
    return True


def uses_outbox() -> bool:
    return current_app.config["MAIL_BACKEND"].endswith("outbox.EmailBackend")
