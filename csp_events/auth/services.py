"""Accounts: sign-in, invitations, passwords and deactivation."""

import hashlib
import secrets
from datetime import timedelta
from functools import cache

from sqlalchemy import func
from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import DomainError
from ..extensions import db
from ..timezones import utcnow
from .models import FailedLogin, InviteToken, User, new_session_token
from .roles import Role
from .rules import (
    FAILED_LOGIN_WINDOW_MINUTES,
    PASSWORD_HASH_METHOD,
    password_problem,
    sign_in_throttled,
)


@cache
def _dummy_hash() -> str:
    """Checked against when the email is unknown, so both failures take the same time."""
    return generate_password_hash(secrets.token_hex(16), method=PASSWORD_HASH_METHOD)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.execute(
        db.select(User).where(func.lower(User.email) == normalise_email(email))
    ).scalar_one_or_none()


def set_password(user: User, password: str) -> None:
    problem = password_problem(password, email=user.email, name=user.name)
    if problem:
        raise DomainError(problem, field="password")
    user.password_hash = generate_password_hash(password, method=PASSWORD_HASH_METHOD)
    user.session_token = new_session_token()


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password; None for any failure alike."""
    user = find_user_by_email(email)
    if user is None or user.password_hash is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    if not user.password_hash.startswith(PASSWORD_HASH_METHOD + "$"):
        user.password_hash = generate_password_hash(password, method=PASSWORD_HASH_METHOD)
        db.session.commit()
    return user


def end_all_sessions(user: User) -> None:
    """Every copy of the user's login cookie stops working."""
    user.session_token = new_session_token()
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    if user.password_hash is None or not check_password_hash(user.password_hash, current):
        raise DomainError("Your current password is not right.", field="current_password")
    set_password(user, new)
    db.session.commit()


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_invite(user: User, valid_days: int) -> str:
    """A new single-use link; earlier unused links for the person stop working."""
    now = utcnow()
    db.session.execute(
        db.update(InviteToken)
        .where(InviteToken.user_id == user.id, InviteToken.used_at.is_(None))
        .values(used_at=now)
    )
    raw = secrets.token_urlsafe(24)
    db.session.add(
        InviteToken(
            user_id=user.id,
            token_hash=_hash_token(raw),
            expires_at=now + timedelta(days=valid_days),
        )
    )
    db.session.commit()
    return raw


def invite_person(
    *,
    name: str,
    email: str,
    role: Role,
    phone: str = "",
    ward: str = "",
    organisation: str = "",
    valid_days: int,
) -> tuple[User, str]:
    if role == Role.COORDINATOR:
        raise DomainError("Coordinators are created from the command line.", field="role")
    if find_user_by_email(email) is not None:
        raise DomainError("Someone with this email address already has an account.", field="email")
    user = User(
        name=name.strip(),
        email=normalise_email(email),
        role=role,
        phone=phone.strip(),
        ward=ward.strip(),
        organisation=organisation.strip(),
    )
    db.session.add(user)
    db.session.flush()
    return user, issue_invite(user, valid_days)


def find_valid_invite(raw: str) -> InviteToken | None:
    invite = db.session.execute(
        db.select(InviteToken).where(InviteToken.token_hash == _hash_token(raw))
    ).scalar_one_or_none()
    if invite is None or invite.used_at is not None or invite.expires_at <= utcnow():
        return None
    if not invite.user.active:
        return None
    return invite


def accept_invite(raw: str, password: str) -> User:
    invite = find_valid_invite(raw)
    if invite is None:
        raise DomainError("This link has expired or has already been used.")
    set_password(invite.user, password)
    invite.used_at = utcnow()
    db.session.commit()
    return invite.user


def set_active(user: User, active: bool, *, by: User) -> None:
    if user.id == by.id and not active:
        raise DomainError("You cannot deactivate your own account.")
    user.active = active
    user.session_token = new_session_token()
    if not active:
        from ..feeds.services import revoke_all_feeds

        revoke_all_feeds(user)
    db.session.commit()


def create_coordinator(name: str, email: str, password: str) -> User:
    if find_user_by_email(email) is not None:
        raise DomainError("Someone with this email address already has an account.")
    user = User(name=name.strip(), email=normalise_email(email), role=Role.COORDINATOR)
    set_password(user, password)
    db.session.add(user)
    db.session.commit()
    return user


def load_user(user_id: str) -> User | None:
    """Flask-Login loader: the id must carry the user's current session token."""
    ident, _, token = user_id.partition(":")
    if not ident.isdigit() or not token:
        return None
    user = db.session.get(User, int(ident))
    if user is None or not user.active or not secrets.compare_digest(user.session_token, token):
        return None
    return user


def _throttle_keys(email: str, address: str) -> tuple[str, str]:
    # The email is hashed: attempts on unknown addresses leave no readable trace.
    account = hashlib.sha256(normalise_email(email).encode()).hexdigest()[:40]
    return f"account:{account}", f"address:{address[:80]}"


def sign_in_paused(email: str, address: str) -> bool:
    """True while this account or this address has failed too often in the last 15 minutes."""
    account_key, address_key = _throttle_keys(email, address)
    since = utcnow() - timedelta(minutes=FAILED_LOGIN_WINDOW_MINUTES)
    counts = dict(
        db.session.execute(
            db.select(FailedLogin.key, func.count())
            .where(FailedLogin.key.in_((account_key, address_key)), FailedLogin.at > since)
            .group_by(FailedLogin.key)
        ).all()
    )
    return sign_in_throttled(counts.get(account_key, 0), counts.get(address_key, 0))


def record_failed_sign_in(email: str, address: str) -> None:
    now = utcnow()
    db.session.execute(
        db.delete(FailedLogin).where(
            FailedLogin.at < now - timedelta(minutes=FAILED_LOGIN_WINDOW_MINUTES)
        )
    )
    db.session.add_all(FailedLogin(key=key, at=now) for key in _throttle_keys(email, address))
    db.session.commit()


def forget_failed_sign_ins(email: str, address: str) -> None:
    account_key, _ = _throttle_keys(email, address)
    db.session.execute(db.delete(FailedLogin).where(FailedLogin.key == account_key))
    db.session.commit()
