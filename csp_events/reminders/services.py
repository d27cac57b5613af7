"""Choosing reminders, and sending what is due: each reminder at most once, ever.

How "at most once" holds (also with two `send-reminders` at once, or a crash mid-run):
1. the email is composed first (reading only);
2. the reminder is claimed by INSERTing its row, whose unique key is (kind, subject, recipient,
   occurrence), and committing at once; a process that loses the race gets an integrity error
   and skips it;
3. only then is the email handed to the mail server, and the row marked sent.
A crash between 2 and 3 leaves a claimed row that is never sent: that one reminder is lost
(reported by the next run), never doubled. If the mail server refused the message outright
(nothing delivered), the row is marked retryable and the next run claims it again by an
UPDATE that only one process can win.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy.exc import IntegrityError

from ..auth.models import User
from ..database import rows_matched
from ..errors import DomainError
from ..extensions import db
from ..mail.services import MailNotSent, deliver
from .models import ReminderChoice, SentReminder
from .registry import BY_KEY, KINDS, ReminderKind, kinds_for
from .rules import Due, wanted

MAX_ATTEMPTS = 5
STALE_CLAIM = timedelta(minutes=30)


def choices(user: User) -> dict[str, bool]:
    """Every kind offered to this person, with their choice or the kind's default."""
    saved = dict(
        db.session.execute(
            db.select(ReminderChoice.kind, ReminderChoice.enabled).where(
                ReminderChoice.user_id == user.id
            )
        ).all()
    )
    return {k.key: wanted(saved.get(k.key), k.on_by_default) for k in kinds_for(user.role)}


def save_choices(user: User, enabled: set[str]) -> None:
    """Keep a yes or no for every kind offered, so later changes of default do not surprise."""
    offered = {k.key for k in kinds_for(user.role)}
    if not enabled <= offered:
        raise DomainError("Choose from the reminders listed.", field="kinds")
    for key in offered:
        _set_choice(user.id, key, key in enabled)
    db.session.commit()


def wanting(user_ids: set[int], kind: str) -> set[int]:
    """Those of these people who want this kind of email (their choice, or the default)."""
    if not user_ids:
        return set()
    saved = dict(
        db.session.execute(
            db.select(ReminderChoice.user_id, ReminderChoice.enabled).where(
                ReminderChoice.user_id.in_(user_ids), ReminderChoice.kind == kind
            )
        ).all()
    )
    default = BY_KEY[kind].on_by_default
    return {person for person in user_ids if wanted(saved.get(person), default)}


def stop(user_id: int, kind: str) -> ReminderKind:
    """The signed "stop these emails" link: one kind off for one person (no sign-in needed)."""
    user = db.session.get(User, user_id)
    if user is None or kind not in BY_KEY:
        raise DomainError("This link does not work.")
    _set_choice(user.id, kind, False)
    db.session.commit()
    return BY_KEY[kind]


def _set_choice(user_id: int, kind: str, enabled: bool) -> None:
    choice = db.session.execute(
        db.select(ReminderChoice).where(
            ReminderChoice.user_id == user_id, ReminderChoice.kind == kind
        )
    ).scalar_one_or_none()
    if choice is None:
        db.session.add(ReminderChoice(user_id=user_id, kind=kind, enabled=enabled))
    else:
        choice.enabled = enabled


@dataclass
class RunReport:
    sent: list[Due] = field(default_factory=list)
    failed: list[tuple[Due, str]] = field(default_factory=list)
    already: int = 0
    not_wanted: int = 0
    lost: int = 0  # claimed by a run that stopped before sending


def due_now(now: datetime, config: Mapping) -> list[Due]:
    return [due for kind in KINDS if kind.collect for due in kind.collect(kind.key, now, config)]


def _wanted_by_recipient(dues: list[Due]) -> set[tuple[int, str]]:
    recipients = {d.recipient_id for d in dues}
    if not recipients:
        return set()
    saved = {
        (user_id, kind): enabled
        for user_id, kind, enabled in db.session.execute(
            db.select(ReminderChoice.user_id, ReminderChoice.kind, ReminderChoice.enabled).where(
                ReminderChoice.user_id.in_(recipients)
            )
        ).all()
    }
    return {
        (d.recipient_id, d.kind)
        for d in dues
        if wanted(saved.get((d.recipient_id, d.kind)), BY_KEY[d.kind].on_by_default)
    }


def _settled(dues: list[Due]) -> set[Due]:
    """Reminders among these already claimed (sent, lost, or refused for good)."""
    subjects = {d.subject_id for d in dues}
    if not subjects:
        return set()
    rows = db.session.execute(
        db.select(
            SentReminder.kind,
            SentReminder.subject_id,
            SentReminder.recipient_id,
            SentReminder.occurrence,
        ).where(
            SentReminder.subject_id.in_(subjects),
            ~(SentReminder.retryable.is_(True) & (SentReminder.attempts < MAX_ATTEMPTS)),
        )
    ).all()
    return {Due(*row) for row in rows} & set(dues)


def send_due(now: datetime) -> RunReport:
    """Send every reminder due at `now` that has not been claimed before."""
    config = current_app.config
    report = RunReport()
    dues = due_now(now, config)
    wanted_pairs = _wanted_by_recipient(dues)
    settled = _settled(dues)
    for due in dues:
        if (due.recipient_id, due.kind) not in wanted_pairs:
            report.not_wanted += 1
            continue
        if due in settled:  # cheap early skip; the claim below is what guarantees it
            report.already += 1
            continue
        compose = BY_KEY[due.kind].compose
        if compose is None:  # a kind without one has no collect either, so makes no dues
            continue
        recipient = db.session.get_one(User, due.recipient_id)  # users are never deleted
        mail = compose(due, recipient, now, config)
        claim = _claim(due, now)
        if claim is None:
            report.already += 1
            continue
        _deliver(claim, due, mail, now, report)
    report.lost = _count_lost(now)
    return report


def _deliver(claim_id: int, due: Due, mail, now: datetime, report: RunReport) -> None:
    try:
        deliver(mail)
    except MailNotSent as error:
        retry = error.definite
        db.session.execute(
            db.update(SentReminder)
            .where(SentReminder.id == claim_id)
            .values(error=str(error)[:1000], retryable=retry)
        )
        db.session.commit()
        report.failed.append((due, str(error)))
        return
    db.session.execute(
        db.update(SentReminder).where(SentReminder.id == claim_id).values(sent_at=now, error="")
    )
    db.session.commit()
    report.sent.append(due)


def _claim(due: Due, now: datetime) -> int | None:
    """Our row for this reminder, committed before sending; None if it is someone else's."""
    db.session.commit()  # end the reading transaction: the claim stands alone
    row = SentReminder(
        kind=due.kind,
        subject_id=due.subject_id,
        recipient_id=due.recipient_id,
        occurrence=due.occurrence,
        claimed_at=now,
    )
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return _reclaim_refused(due, now)
    return row.id


def _reclaim_refused(due: Due, now: datetime) -> int | None:
    """A reminder the mail server refused last time: whoever flips `retryable` first owns it."""
    same = (
        (SentReminder.kind == due.kind)
        & (SentReminder.subject_id == due.subject_id)
        & (SentReminder.recipient_id == due.recipient_id)
        & (SentReminder.occurrence == due.occurrence)
    )
    result = db.session.execute(
        db.update(SentReminder)
        .where(same, SentReminder.retryable.is_(True), SentReminder.attempts < MAX_ATTEMPTS)
        .values(retryable=False, claimed_at=now, attempts=SentReminder.attempts + 1)
    )
    db.session.commit()
    if rows_matched(result) != 1:
        return None
    return db.session.execute(db.select(SentReminder.id).where(same)).scalar_one()


def _count_lost(now: datetime) -> int:
    from sqlalchemy import func

    return db.session.scalar(
        db.select(func.count()).where(
            SentReminder.sent_at.is_(None),
            SentReminder.error == "",
            SentReminder.claimed_at < now - STALE_CLAIM,
        )
    )
