"""A notice as an email: the wording of its kind, and the event attached as it now stands."""

import json
from datetime import datetime

from ..auth.models import User
from ..events.models import Event
from ..extensions import db
from ..feeds.feed_items import Shown, event_item
from ..feeds.services import event_file, events_file
from ..mail.links import calendar_uid_domain, external_url
from ..mail.services import Attachment, Mail
from ..reminders.stoppable import stoppable_mail
from ..templating import local_datetime, local_span
from .enums import NoticeKind
from .models import Notice
from .rules import NoticeFacts, SessionChange, group_wording, groups, wording


def _event_url(event: Shown) -> str:
    return external_url("events.event_detail", event_id=event.id)


def _when(iso: str | None) -> str:
    return local_datetime(datetime.fromisoformat(iso)) if iso else ""


def _compose_group(notice: Notice, recipient: User, changed: list[tuple[Event, dict]]) -> Mail:
    """One email for several sessions of a series changed at once, all of them attached."""
    changed.sort(key=lambda pair: pair[0].starts_at)
    first = changed[0][0]
    sessions = [
        SessionChange(
            span=local_span(event.starts_at, event.ends_at),
            was_span=_span(held.get("was_start"), held.get("was_end")),
            place=event.place_name,
            was_place=held.get("was_place", ""),
        )
        for event, held in changed
    ]
    summary = first.series.title if first.series is not None else first.title
    words = group_wording(notice.kind, summary, sessions)
    link = (
        external_url("series.series_detail", series_id=first.series_id)
        if first.series_id is not None
        else _event_url(first)
    )
    mail = stoppable_mail(
        recipient,
        notice.kind.choice,
        words.subject,
        "mail/notices/notice_group.txt",
        lines=words.lines,
        link=link,
    )
    calendar = events_file([event for event, _ in changed], recipient)
    mail.attachments.append(Attachment(f"series-{first.series_id}.ics", calendar, "text/calendar"))
    return mail


def _span(start: str | None, end: str | None) -> str:
    if not (start and end):
        return ""
    return local_span(datetime.fromisoformat(start), datetime.fromisoformat(end))


def compose(notice: Notice, recipient: User, now: datetime) -> Mail:
    details = json.loads(notice.details or "{}")
    event = db.session.get_one(Event, notice.event_id)  # every notice is about a session
    if details.get("more") and groups(notice.kind):
        # Sessions deleted since are left out; with none left, the notice is about one.
        # One query for the others; sessions deleted since are left out, and with none left
        # the notice is about one.
        ids = [more["event_id"] for more in details["more"]]
        found = {e.id: e for e in db.session.scalars(db.select(Event).where(Event.id.in_(ids)))}
        others = [(found[m["event_id"]], m) for m in details["more"] if m["event_id"] in found]
        if others:
            return _compose_group(notice, recipient, [(event, details), *others])
    item = event_item(event, calendar_uid_domain(), _event_url, now)
    facts = NoticeFacts(
        summary=item.summary,
        when=local_datetime(event.starts_at),
        place=item.location,
        was_when=_when(details.get("was_start")),
        span=local_span(event.starts_at, event.ends_at),
        was_span=_span(details.get("was_start"), details.get("was_end")),
        was_place=details.get("was_place", ""),
        reason=details.get("reason", ""),
        waiting=bool(details.get("waiting")),
    )
    words = wording(notice.kind, facts)
    link = details.get("link") or _event_url(event)
    mail = stoppable_mail(
        recipient,
        notice.kind.choice,
        words.subject,
        "mail/notices/notice.txt",
        lines=words.lines,
        item=item,
        when=facts.span,
        link=link,
        link_label="I can do it" if notice.kind == NoticeKind.COVER_REQUEST else "Details",
        attached=notice.kind.attaches_the_event,
    )
    # METHOD:PUBLISH, as the feeds: the same UID with a higher SEQUENCE updates (or, with
    # STATUS:CANCELLED, cancels) the copy in the person's calendar when opened.
    if notice.kind.attaches_the_event:
        calendar = event_file(event, recipient)
        mail.attachments.append(Attachment(f"event-{event.id}.ics", calendar, "text/calendar"))
    return mail
