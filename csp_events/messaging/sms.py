"""Sending a text: through GOV.UK Notify when NOTIFY_API_KEY is set, else into the outbox."""

import json
import os
import secrets
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app


class SmsNotSent(Exception):
    """Notify refused or could not be reached; `definite` when nothing was sent and trying
    again later may work (Notify's rate limit), as MailNotSent's."""

    def __init__(self, message: str, *, definite: bool):
        super().__init__(message)
        self.definite = definite


def uses_notify() -> bool:
    return bool(current_app.config.get("NOTIFY_API_KEY"))


def send_text(phone: str, text: str, reference: str) -> str:
    """Hand one text over; returns the provider's id for it ("" for the outbox)."""
    if not uses_notify():
        _write_to_outbox(phone, text, reference)
        return ""
    from notifications_python_client.errors import HTTPError
    from notifications_python_client.notifications import NotificationsAPIClient

    config = current_app.config
    client = NotificationsAPIClient(
        config["NOTIFY_API_KEY"], base_url=config["NOTIFY_BASE_URL"], timeout=20
    )
    try:
        answer = client.send_sms_notification(
            phone_number=phone,
            template_id=config["NOTIFY_SMS_TEMPLATE_ID"],
            personalisation={"message": text},
            reference=reference,
        )
    except HTTPError as error:
        # 429: over the rate limit, nothing sent, try later. Any other 4xx (a bad number, a
        # wrong template) will not get better; a 5xx or a timeout may have been sent already.
        status = getattr(error, "status_code", 500) or 500
        raise SmsNotSent(f"Notify said {status}: {error}", definite=status == 429) from error
    except OSError as error:
        raise SmsNotSent(str(error), definite=False) from error
    return str(answer["id"])


def status_of(provider_id: str) -> str:
    """Notify's current status for one text (e.g. "delivered", "permanent-failure")."""
    from notifications_python_client.notifications import NotificationsAPIClient

    config = current_app.config
    client = NotificationsAPIClient(
        config["NOTIFY_API_KEY"], base_url=config["NOTIFY_BASE_URL"], timeout=20
    )
    return str(client.get_notification_by_id(provider_id)["status"])


def outbox_folder() -> Path:
    return Path(current_app.config["MAIL_FILE_PATH"]) / "sms"


def _write_to_outbox(phone: str, text: str, reference: str) -> None:
    folder = outbox_folder()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{datetime.now(UTC):%Y%m%dT%H%M%S-%f}-{secrets.token_urlsafe(8)}.json"
    partial = folder / f".{name}.part"
    partial.write_text(json.dumps({"to": phone, "text": text, "reference": reference}))
    os.replace(partial, folder / name)
