"""The reminder emails: one template each, the event attached as .ics where there is one."""

from collections.abc import Mapping
from datetime import datetime

from ..auth.models import User
from ..equipment.models import EquipmentCheckout, EquipmentItem
from ..events.models import Event
from ..extensions import db
from ..feeds import feed_items
from ..feeds.services import event_file
from ..mail.links import calendar_uid_domain, external_url
from ..mail.services import Attachment, Mail
from ..signups.vocabulary import SignupStatus
from ..templating import local_date, local_datetime, local_time
from ..timezones import to_local
from ..visits.services import visiting_pair
from .rules import Due, shortfall_text
from .stoppable import stoppable_mail


def reminder_mail(
    due: Due,
    recipient: User,
    subject: str,
    template: str,
    *,
    attachments: tuple[Attachment, ...] = (),
    **context,
) -> Mail:
    """Every reminder: its template addressed to the person, with the links to their email
    preferences and to stop this kind, and RFC 8058 one-click unsubscribe headers (mail
    clients show their own "Unsubscribe" button)."""
    mail = stoppable_mail(recipient, due.kind, subject, template, **context)
    mail.attachments.extend(attachments)
    return mail


def _event_url(event: feed_items.Shown) -> str:
    return external_url("events.event_detail", event_id=event.id)


def _session(
    event: Event, recipient: User, now: datetime
) -> tuple[feed_items.FeedEvent, Attachment]:
    """The event as the feeds describe it (a home visit is only its area), and as a .ics file."""
    item = feed_items.event_item(event, calendar_uid_domain(), _event_url, now)
    calendar = event_file(event, recipient)
    return item, Attachment(f"event-{event.id}.ics", calendar, "text/calendar")


def session_reminder(due: Due, recipient: User, now: datetime, config: Mapping) -> Mail:
    event = db.session.get_one(Event, due.subject_id)
    item, ics = _session(event, recipient, now)
    return reminder_mail(
        due,
        recipient,
        f"Reminder: {item.summary}, {local_datetime(event.starts_at)}",
        "mail/reminders/session.txt",
        attachments=(ics,),
        item=item,
        event=event,
        when=local_datetime(event.starts_at),
        until=local_time(event.ends_at),
        url=_event_url(event),
    )


def return_overdue(due: Due, recipient: User, now: datetime, config: Mapping) -> Mail:
    checkout = db.session.get_one(EquipmentCheckout, due.subject_id)
    return reminder_mail(
        due,
        recipient,
        f"Please return {checkout.item.name}",
        "mail/reminders/return_overdue.txt",
        item=checkout.item,
        due_back=local_datetime(checkout.due_back_at),
        url=external_url("equipment.item_detail", item_id=checkout.item_id),
    )


def understaffed(due: Due, recipient: User, now: datetime, config: Mapping) -> Mail:
    event = db.session.get_one(Event, due.subject_id)
    confirmed = sum(1 for s in event.signups if s.status == SignupStatus.CONFIRMED)
    return reminder_mail(
        due,
        recipient,
        f"Short of volunteers: {event.title}, {local_datetime(event.starts_at)}",
        "mail/reminders/understaffed.txt",
        event=event,
        when=local_datetime(event.starts_at),
        shortfall=shortfall_text(confirmed, event.min_volunteers),
        url=_event_url(event),
    )


def calibration(due: Due, recipient: User, now: datetime, config: Mapping) -> Mail:
    item = db.session.get_one(EquipmentItem, due.subject_id)
    expires_on = item.calibration_expires_on
    if expires_on is None:  # collect.calibration finds only items with a date
        raise LookupError(f"{item.name} has no calibration date, so no reminder is due")
    expired = expires_on < to_local(now).date()
    return reminder_mail(
        due,
        recipient,
        f"Calibration {'expired' if expired else 'due'}: {item.name}",
        "mail/reminders/calibration.txt",
        item=item,
        expires=local_date(expires_on),
        expired=expired,
        url=external_url("equipment.item_detail", item_id=item.id),
    )


def visit_overdue(due: Due, recipient: User, now: datetime, config: Mapping) -> Mail:
    """Only the area and the volunteers: never the resident."""
    visit = db.session.get_one(Event, due.subject_id)
    return reminder_mail(
        due,
        recipient,
        f"Overdue to check out: {visit.place_name}, ended {local_time(visit.ends_at)}",
        "mail/reminders/visit_overdue.txt",
        visit=visit,
        ended=local_datetime(visit.ends_at),
        volunteers=visiting_pair(visit),
        url=_event_url(visit),
    )
