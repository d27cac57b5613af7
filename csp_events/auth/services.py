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
from . import throttle
from .models import InviteToken, PasswordResetToken, User, new_session_token
from .roles import Role
from .rules import (
    ACCOUNT_FAILURE_LIMIT,
    ADDRESS_FAILURE_LIMIT,
    FAILED_LOGIN_WINDOW_MINUTES,
    PASSWORD_HASH_METHOD,
    RESET_MAILS_PER_HOUR,
    password_problem,
    sign_in_throttled,
)

SingleUseToken = InviteToken | PasswordResetToken
ACCOUNT_WINDOW = throttle.Window(
    ACCOUNT_FAILURE_LIMIT, timedelta(minutes=FAILED_LOGIN_WINDOW_MINUTES)
)
ADDRESS_WINDOW = throttle.Window(
    ADDRESS_FAILURE_LIMIT, timedelta(minutes=FAILED_LOGIN_WINDOW_MINUTES)
)
RESET_MAIL_WINDOW = throttle.Window(RESET_MAILS_PER_HOUR, timedelta(hours=1))


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


def _issue(model: type[SingleUseToken], user: User, lifetime: timedelta) -> str:
    """A new single-use link; earlier unused links of the same kind for the person stop working.
    Only the SHA-256 of the secret is stored."""
    now = utcnow()
    db.session.execute(
        db.update(model)
        .where(model.user_id == user.id, model.used_at.is_(None))
        .values(used_at=now)
    )
    raw = secrets.token_urlsafe(24)
    db.session.add(model(user_id=user.id, token_hash=_hash_token(raw), expires_at=now + lifetime))
    db.session.commit()
    return raw


def _find_valid(model: type[SingleUseToken], raw: str) -> SingleUseToken | None:
    token = db.session.execute(
        db.select(model).where(model.token_hash == _hash_token(raw))
    ).scalar_one_or_none()
    if token is None or token.used_at is not None or token.expires_at <= utcnow():
        return None
    return token if token.user.active else None


def issue_invite(user: User, valid_days: int) -> str:
    return _issue(InviteToken, user, timedelta(days=valid_days))


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
    return _find_valid(InviteToken, raw)


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
    return f"account:{_account_key(email)}", f"address:{address[:80]}"


def _account_key(email: str) -> str:
    # The email is hashed: attempts on unknown addresses leave no readable trace.
    return hashlib.sha256(normalise_email(email).encode()).hexdigest()[:40]


def sign_in_paused(email: str, address: str) -> bool:
    """True while this account or this address has failed too often in the last 15 minutes."""
    account_key, address_key = _throttle_keys(email, address)
    return sign_in_throttled(
        throttle.failures(account_key, ACCOUNT_WINDOW),
        throttle.failures(address_key, ADDRESS_WINDOW),
    )


def record_failed_sign_in(email: str, address: str) -> None:
    account_key, address_key = _throttle_keys(email, address)
    throttle.record_failures((account_key, ACCOUNT_WINDOW), (address_key, ADDRESS_WINDOW))


def forget_failed_sign_ins(email: str, address: str) -> None:
    account_key, _ = _throttle_keys(email, address)
    throttle.forget(account_key, ACCOUNT_WINDOW)


def request_password_reset(email: str, valid_minutes: int) -> tuple[User, str] | None:
    """A reset link for the active account with this address, or None (and nothing stored).

    At most 3 links an hour go to one account, so nobody can flood a person's inbox; the
    person asking is told the same thing whatever happens.
    """
    user = find_user_by_email(email)
    if user is None or not user.active:
        return None
    key = f"reset:{_account_key(email)}"
    if throttle.failures(key, RESET_MAIL_WINDOW) >= RESET_MAIL_WINDOW.limit:
        return None
    throttle.record_failures((key, RESET_MAIL_WINDOW))
    return user, _issue(PasswordResetToken, user, timedelta(minutes=valid_minutes))


def issue_password_reset(user: User, valid_minutes: int) -> str:
    """A reset link the coordinator issues and sees (for someone who cannot get their email)."""
    if not user.active:
        raise DomainError("Reactivate the account before sending a new link.")
    return _issue(PasswordResetToken, user, timedelta(minutes=valid_minutes))


def find_valid_reset(raw: str) -> PasswordResetToken | None:
    return _find_valid(PasswordResetToken, raw)


def reset_password(raw: str, password: str) -> User:
    """Choose a new password with a reset link: the link is used up, other sign-ins end, and
    the account's failed sign-ins are forgotten."""
    token = find_valid_reset(raw)
    if token is None:
        raise DomainError("This link has expired or has already been used.")
    user = token.user
    set_password(user, password)
    now = utcnow()
    for model in (PasswordResetToken, InviteToken):
        db.session.execute(
            db.update(model)
            .where(model.user_id == user.id, model.used_at.is_(None))
            .values(used_at=now)
        )
    db.session.commit()
    throttle.forget(f"account:{_account_key(user.email)}", ACCOUNT_WINDOW)
    return user
