"""Sending a message: one delivery per person and channel, queued with the message and sent
from the outbox at most once (claimed first, as notices are), then followed to "delivered".

A delivery is claimed by an UPDATE from pending to sending that only one sender can win, and
committed before it goes. A refusal before anything can have gone out (the mail server or
Notify said no) returns it to pending, up to MAX_ATTEMPTS; anything unclear is marked failed
rather than risk a second copy.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app, g, has_request_context
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..errors import DomainError
from ..extensions import db
from ..mail.claims import claimed
from ..mail.delivery import after_response
from ..mail.services import MailNotSent, deliver
from ..reminders.services import wanting
from ..reminders.stoppable import stoppable_mail
from ..timezones import to_local, utcnow
from .audience import Audience, resolve
from .enums import Channel, DeliveryStatus
from .models import Message, MessageDelivery
from .rules import channels_for, status_from_notify, text_of, text_problem, uk_mobile
from .sms import SmsNotSent, send_text, status_of, uses_notify

MAX_ATTEMPTS = 5
log = logging.getLogger(__name__)


class MessageRefused(DomainError):
    pass


@dataclass(frozen=True)
class Draft:
    audience: Audience
    channels: set[Channel]
    subject: str
    body: str


@dataclass
class Skipped:
    person: User
    reason: str


def preview(draft: Draft, now: datetime) -> tuple[str, list[tuple[User, set[Channel]]], list]:
    """Who would get it by which channel, and who would not (and why), changing nothing."""
    words, people, _event = resolve(draft.audience, to_local(now).date(), now)
    ids = {p.id for p in people}
    wants = {c: wanting(ids, c.choice) for c in Channel}
    reached, skipped = [], []
    for person in people:
        mobile = uk_mobile(person.phone)
        channels = channels_for(
            draft.channels, {c for c in Channel if person.id in wants[c]}, mobile
        )
        if channels:
            reached.append((person, channels))
        elif (
            Channel.SMS in draft.channels and mobile is None and Channel.EMAIL not in draft.channels
        ):
            skipped.append(Skipped(person, "no mobile number"))
        else:
            skipped.append(Skipped(person, "has turned these messages off"))
    return words, reached, skipped


# Up to this many deliveries go before the page answers, so the log shows them sent; a
# larger message (every volunteer) goes just after the response.
SEND_WHILE_WAITING = 40


def send_message(draft: Draft, *, by: User) -> Message:
    """Queue the message for everyone it reaches (committed together) and send it at once."""
    subject, body = draft.subject.strip(), draft.body.strip()
    if not subject or not body:
        raise MessageRefused("Write a subject and a message.", field="body")
    if not draft.channels:
        raise MessageRefused("Choose email, text message or both.", field="channels")
    if Channel.SMS in draft.channels:
        problem = text_problem(subject, body, current_app.config["PARTNERSHIP_NAME"])
        if problem:
            raise MessageRefused(problem, field="body")
    now = utcnow()
    words, reached, _skipped = preview(draft, now)
    if not reached:
        raise MessageRefused("Nobody can be reached by this message.", field="audience")
    _words, _people, event_id = resolve(draft.audience, to_local(now).date(), now)
    message = Message(
        author_id=by.id, subject=subject, body=body, audience=words[:200], event_id=event_id
    )
    for person, channels in reached:
        for channel in sorted(channels):
            address = person.email if channel == Channel.EMAIL else uk_mobile(person.phone)
            message.deliveries.append(
                MessageDelivery(recipient_id=person.id, channel=channel, sent_to=address)
            )
    db.session.add(message)
    db.session.commit()
    if len(message.deliveries) <= SEND_WHILE_WAITING:
        send_pending(utcnow())
    else:
        _send_after_this_request()
    return message


def _send_after_this_request() -> None:
    if has_request_context() and not g.get("messages_scheduled"):
        g.messages_scheduled = True
        after_response(lambda: send_pending(utcnow()))


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    delivered: list[int] = field(default_factory=list)


def send_pending(now: datetime, limit: int = 1000) -> SendReport:
    report = SendReport()
    pending, sending = DeliveryStatus.PENDING, DeliveryStatus.SENDING
    for delivery_id in claimed(MessageDelivery, pending, sending, now, limit):
        _send_one(delivery_id, now, report)
    return report


def _send_one(delivery_id: int, now: datetime, report: SendReport) -> None:
    delivery = db.session.get_one(MessageDelivery, delivery_id)  # claimed just now: it is there
    channel, address, attempts = delivery.channel, delivery.sent_to, delivery.attempts
    mail = _email(delivery) if channel == Channel.EMAIL else None
    text = text_of(
        delivery.message.subject, delivery.message.body, current_app.config["PARTNERSHIP_NAME"]
    )
    db.session.commit()  # no transaction (nor SQLite's write lock) while the mail goes
    values: dict = {"status": DeliveryStatus.SENT, "sent_at": now, "error": ""}
    try:
        if mail is not None:
            deliver(mail)
        else:
            values["provider_id"] = send_text(address, text, f"delivery-{delivery_id}")
            if not uses_notify():
                values["status"] = DeliveryStatus.DELIVERED  # the outbox is the phone
    except (MailNotSent, SmsNotSent) as refusal:
        retry = refusal.definite and attempts < MAX_ATTEMPTS
        values = {
            "status": DeliveryStatus.PENDING if retry else DeliveryStatus.FAILED,
            "error": str(refusal)[:1000],
        }
        log.warning("message delivery %s not sent: %s", delivery_id, refusal)
    db.session.execute(
        db.update(MessageDelivery).where(MessageDelivery.id == delivery_id).values(**values)
    )
    db.session.commit()
    if values["status"] in (DeliveryStatus.SENT, DeliveryStatus.DELIVERED):
        report.sent += 1
    else:
        report.failed += 1


def _email(delivery: MessageDelivery):
    message, person = delivery.message, delivery.recipient
    mail = stoppable_mail(
        person,
        Channel.EMAIL.choice,
        message.subject,
        "mail/message_from_coordinator.txt",
        to=delivery.sent_to,
        message=message,
    )
    if message.author is not None:
        # A reply goes to the coordinator who wrote it, not to the app's sending address.
        mail.headers["Reply-To"] = message.author.email
    return mail


def follow_up_texts(limit: int = 200) -> int:
    """Ask Notify about texts it has not finished with; returns how many reached an end."""
    if not uses_notify():
        return 0
    waiting = db.session.scalars(
        db.select(MessageDelivery)
        .where(
            MessageDelivery.channel == Channel.SMS,
            MessageDelivery.status == DeliveryStatus.SENT,
            MessageDelivery.provider_id != "",
        )
        .limit(limit)
    ).all()
    settled = 0
    for delivery in waiting:
        try:
            final = status_from_notify(status_of(delivery.provider_id))
        except Exception as error:  # Notify unreachable: ask again next run
            log.warning("Notify status for %s not read: %s", delivery.provider_id, error)
            continue
        if final is not None:
            delivery.status = final
            settled += 1
    db.session.commit()
    return settled


def record_notify_status(provider_id: str, status: str) -> bool:
    """Notify's callback: the final status of one text. False if we sent no such text."""
    if not provider_id:
        return False
    delivery = db.session.scalar(
        db.select(MessageDelivery).where(MessageDelivery.provider_id == provider_id)
    )
    if delivery is None:
        return False
    final = status_from_notify(status)
    if final is not None and not delivery.status.is_final:
        delivery.status = final
        db.session.commit()
    return True


def sent_messages(limit: int = 100) -> list[Message]:
    return list(
        db.session.scalars(
            db.select(Message)
            .options(selectinload(Message.deliveries))
            .order_by(Message.id.desc())
            .limit(limit)
        )
    )


def get_message(message_id: int) -> Message | None:
    return db.session.scalar(
        db.select(Message)
        .where(Message.id == message_id)
        .options(selectinload(Message.deliveries).selectinload(MessageDelivery.recipient))
    )
