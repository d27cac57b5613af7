"""The append-only trail of who looked at, changed or exported resident details."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from ..auth.models import User
from ..dbtypes import EnumText, UTCDateTime
from ..extensions import Model, db
from ..timezones import utcnow
from .vocabulary import AuditAction


class AuditRecord(Model):
    __tablename__ = "audit_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # None when the system acted (the retention purge, a key rotation).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referrals.id"), index=True)
    action: Mapped[AuditAction] = mapped_column(EnumText(AuditAction, 20))
    # Never resident details: only which fields or which step, e.g. "phone, address".
    detail: Mapped[str] = mapped_column(String(200), default="")

    actor: Mapped[User | None] = relationship()


class AuditIsAppendOnly(Exception):
    pass


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_audit_records(session, flush_context, instances) -> None:
    touched = [obj for obj in (*session.dirty, *session.deleted) if isinstance(obj, AuditRecord)]
    if touched:
        raise AuditIsAppendOnly("Audit records cannot be changed or deleted.")


def audit(
    action: AuditAction, *, actor: User | None, referral_id: int | None, detail: str = ""
) -> None:
    """Add an audit record to the current transaction (the caller commits)."""
    db.session.add(
        AuditRecord(
            actor_id=actor.id if actor is not None else None,
            referral_id=referral_id,
            action=action,
            detail=detail[:200],
        )
    )


def trail(*, referral_id: int | None = None, actor_id: int | None = None, limit: int = 500):
    query = db.select(AuditRecord).order_by(AuditRecord.at.desc(), AuditRecord.id.desc())
    if referral_id is not None:
        query = query.where(AuditRecord.referral_id == referral_id)
    if actor_id is not None:
        query = query.where(AuditRecord.actor_id == actor_id)
    return list(
        db.session.execute(query.options(db.joinedload(AuditRecord.actor)).limit(limit)).scalars()
    )


def trail_filter(user_id: int | None) -> tuple[User | None, list[User]]:
    """Whose actions the trail page shows (None: everyone's), and everyone it could show."""
    person = db.session.get(User, user_id) if user_id else None
    people = list(db.session.execute(db.select(User).order_by(User.name)).scalars())
    return person, people
