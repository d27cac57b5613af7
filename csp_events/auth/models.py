"""People who sign in: coordinators, volunteers and partner officers."""

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from ..dbtypes import EnumText, UTCDateTime
from ..extensions import Model
from ..timezones import utcnow
from .roles import Role

if TYPE_CHECKING:  # names for the annotations only; the mapper resolves them by name
    from ..people.models import Qualification


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(40), default="")
    ward: Mapped[str] = mapped_column(String(80), default="")
    organisation: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[Role] = mapped_column(EnumText(Role, 20))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # Part of the login cookie; changing it signs out every copy of an old cookie.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    qualifications: Mapped[list["Qualification"]] = relationship(
        back_populates="user",
        cascade="all, delete-orphan",
        order_by="Qualification.kind",
        foreign_keys="Qualification.user_id",
    )

    # Flask-Login protocol
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_volunteer(self) -> bool:
        return self.role == Role.VOLUNTEER

    @property
    def is_partner(self) -> bool:
        return self.role == Role.PARTNER

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class SingleUseLink:
    """A link sent to one person that works once, until it expires; only its hash is stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @declared_attr
    def user(cls) -> Mapped[User]:
        return relationship(User)


class InviteToken(SingleUseLink, Model):
    """Lets an invited person set their password."""

    __tablename__ = "invite_tokens"


class PasswordResetToken(SingleUseLink, Model):
    """Sent by email: lets a person choose a new password."""

    __tablename__ = "password_reset_tokens"


class FailedLogin(Model):
    """One failed sign-in, counted against the account and against the address it came from.

    Kept in the database so every worker process sees the same counts.
    """

    __tablename__ = "failed_logins"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
