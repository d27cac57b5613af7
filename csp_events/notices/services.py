"""Queueing notices with the change that causes them, and sending them at most once.

How "at most once" holds (two senders at once, or a crash mid-send):
1. a notice is INSERTed in the transaction of the change, so it exists exactly when the
   change does;
2. a sender claims it by an UPDATE from pending to sending that only one sender can win, and
   commits before sending;
3. only then is the email handed to the mail server, and the notice marked sent.
A crash between 2 and 3 leaves it "sending": lost, never doubled. A refusal before the mail
server accepted anything puts it back to pending for a later attempt.
"""

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import g, has_request_context
from sqlalchemy import event as orm_events
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from ..auth.models import User
from ..extensions import db
from ..mail.claims import claimed
from ..mail.delivery import after_response
from ..mail.services import MailNotSent, deliver
from ..reminders.services import wanting
from ..timezones import utcnow
from .emails import compose
from .enums import NoticeKind, NoticeStatus
from .models import Notice

MAX_ATTEMPTS = 5
STALE_CLAIM = timedelta(minutes=30)
log = logging.getLogger(__name__)


# The notices queued in this transaction for a group of sessions (a series), by kind, person
# and group: a later session of the group joins the person's notice instead of making another.
_GROUPED = "notices_grouped"


def enqueue(
    kind: NoticeKind,
    recipient_ids: set[int],
    event_id: int,
    *,
    group: int | None = None,
    **details: object,
) -> list[Notice]:
    """Queue this notice for each person who wants this kind (not committed: the caller's
    change commits it), and send it as soon as the request is answered. Sessions of one
    `group` changed in the same transaction (a whole series) make one notice per person,
    which names them all (its details' "more")."""
    wanted = wanting(recipient_ids, kind.choice)
    grouped = db.session.info.setdefault(_GROUPED, {}) if group is not None else {}
    notices = []
    for person in sorted(wanted):
        earlier = grouped.get((kind, person, group))
        if earlier is not None:
            _join(earlier, event_id, details)
            continue
        notice = Notice(
            kind=kind, recipient_id=person, event_id=event_id, details=json.dumps(details)
        )
        notices.append(notice)
        if group is not None:
            grouped[(kind, person, group)] = notice
    db.session.add_all(notices)
    if notices:
        send_after_this_request()
    return notices


def _join(notice: Notice, event_id: int, details: dict) -> None:
    held = json.loads(notice.details or "{}")
    held.setdefault("more", []).append({"event_id": event_id, **details})
    notice.details = json.dumps(held)


@orm_events.listens_for(Session, "after_commit")
@orm_events.listens_for(Session, "after_rollback")
def _forget_groups(session: Session) -> None:
    session.info.pop(_GROUPED, None)


def send_after_this_request() -> None:
    """Outside a request (the command line) the next `flask send-reminders` sends them."""
    if not has_request_context() or g.get("notices_scheduled"):
        return
    g.notices_scheduled = True
    after_response(lambda: send_pending(utcnow()))


@dataclass
class SendReport:
    sent: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)
    lost: int = 0


def send_pending(now: datetime, limit: int = 500) -> SendReport:
    """Send every notice waiting in the outbox, each at most once."""
    report = SendReport()
    for notice_id in claimed(Notice, NoticeStatus.PENDING, NoticeStatus.SENDING, now, limit):
        _send(notice_id, now, report)
    report.lost = lost_notices(now)
    return report


def _send(notice_id: int, now: datetime, report: SendReport) -> None:
    notice = db.session.get_one(Notice, notice_id)  # claimed just now: it is there
    recipient = db.session.get(User, notice.recipient_id)
    status, error = NoticeStatus.SENT, ""
    if recipient is None or not recipient.active:
        status, error = NoticeStatus.FAILED, "the person's account is closed"
    else:
        attempts = notice.attempts
        try:
            mail = compose(notice, recipient, now)
        # Whatever went wrong writing one notice, it is marked failed and the rest still go:
        # raised here, it stopped the sender, leaving later notices for the next change.
        except OperationalError:  # the database busy or gone: tried again later
            log.warning("notice %s could not be written now", notice_id, exc_info=True)
            db.session.rollback()
            mail, error = None, "the database was busy"
            status = NoticeStatus.PENDING if attempts < MAX_ATTEMPTS else NoticeStatus.FAILED
        except Exception:
            log.exception("notice %s could not be written", notice_id)
            db.session.rollback()
            mail, status, error = None, NoticeStatus.FAILED, "the email could not be written"
        db.session.commit()  # no transaction (nor SQLite's write lock) while the mail goes
        try:
            if mail is not None:
                deliver(mail)
        except MailNotSent as refusal:
            error = str(refusal)[:1000]
            retry = refusal.definite and attempts < MAX_ATTEMPTS
            status = NoticeStatus.PENDING if retry else NoticeStatus.FAILED
    db.session.execute(
        db.update(Notice)
        .where(Notice.id == notice_id)
        .values(status=status, error=error, sent_at=now if status == NoticeStatus.SENT else None)
    )
    db.session.commit()
    if status == NoticeStatus.SENT:
        report.sent.append(notice_id)
    else:
        report.failed.append((notice_id, error))
        log.warning("notice %s not sent: %s", notice_id, error)


def lost_notices(now: datetime) -> int:
    """Claimed by a sender that stopped before it finished: not sent again, only reported."""
    return db.session.scalar(
        db.select(db.func.count(Notice.id)).where(
            Notice.status == NoticeStatus.SENDING, Notice.claimed_at < now - STALE_CLAIM
        )
    )
