"""Accounts: sign-in, invitations, passwords and deactivation."""

import hashlib
import secrets
from datetime import timedelta
from functools import cache
from typing import TypeVar

from sqlalchemy import Select, bindparam, func
from werkzeug.security import check_password_hash, generate_password_hash

from ..changes.bus import publish
from ..changes.services import with_version
from ..database import reading_only
from ..errors import DomainError
from ..extensions import db
from ..timezones import utcnow
from . import throttle
from .messages import AccountDeactivated
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
# One kind of link, so looking up an invitation gives an invitation.
Link = TypeVar("Link", InviteToken, PasswordResetToken)
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


class SignInPaused(DomainError):
    pass


class SignInFailed(DomainError):
    pass


def new_password_hash(password: str, *, email: str, name: str) -> str:
    """The stored form of an acceptable new password (slow by design: call it holding no lock)."""
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise DomainError(problem, field="password")
    return generate_password_hash(password, method=PASSWORD_HASH_METHOD)


def set_password(user: User, password: str) -> None:
    _store_password_hash(user, new_password_hash(password, email=user.email, name=user.name))


def _store_password_hash(user: User, password_hash: str) -> None:
    user.password_hash = password_hash
    user.session_token = new_session_token()


def sign_in(email: str, password: str, address: str) -> User:
    """The active user with this email and password, or SignInPaused / SignInFailed.

    Sign-in holds no write lock while the password is checked (it is slow by design, and a
    room of volunteers signs in at once): the reads end first, a failure is counted in its own
    short transaction, and a success writes nothing unless failures or an old hash need it."""
    account_key, address_key = _throttle_keys(email, address)
    with reading_only():
        account_failures = throttle.failures(account_key, ACCOUNT_WINDOW)
        if sign_in_throttled(account_failures, throttle.failures(address_key, ADDRESS_WINDOW)):
            raise SignInPaused("Too many attempts to sign in.", field="email")
        user = find_user_by_email(email)
    stored = user.password_hash if user is not None else None
    matches = check_password_hash(stored or _dummy_hash(), password)
    if not matches or user is None or stored is None or not user.active:
        record_failed_sign_in(email, address)
        raise SignInFailed("Enter a correct email address and password.", field="email")
    if account_failures:
        throttle.forget(account_key, ACCOUNT_WINDOW)
    if not stored.startswith(PASSWORD_HASH_METHOD + "$"):
        rehashed = generate_password_hash(password, method=PASSWORD_HASH_METHOD)
        db.session.execute(db.update(User).where(User.id == user.id).values(password_hash=rehashed))
        db.session.commit()
    return user


def end_all_sessions(user: User) -> None:
    """Every copy of the user's login cookie stops working."""
    user.session_token = new_session_token()
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    """Both passwords are checked and hashed before the short write that stores the new one."""
    if user.password_hash is None or not check_password_hash(user.password_hash, current):
        raise DomainError("Your current password is not right.", field="current_password")
    _store_password_hash(user, new_password_hash(new, email=user.email, name=user.name))
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


def _find_valid(model: type[Link], raw: str) -> Link | None:
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
    with reading_only():
        return _find_valid(InviteToken, raw)


def accept_invite(raw: str, password: str) -> User:
    return _choose_password(InviteToken, raw, password)


def _choose_password(model: type[Link], raw: str, password: str, *, also_ends: tuple = ()) -> User:
    """Set a password through a single-use link, hashed before the write lock is taken; the
    link is checked again in the write, so two tabs using one link cannot both succeed.
    Unused links of the kinds in `also_ends` stop working too."""
    with reading_only():
        link = _find_valid(model, raw)
        person = (link.user.email, link.user.name) if link is not None else None
    if person is None:
        raise DomainError("This link has expired or has already been used.")
    password_hash = new_password_hash(password, email=person[0], name=person[1])
    link = _find_valid(model, raw)
    if link is None:
        db.session.rollback()
        raise DomainError("This link has expired or has already been used.")
    _store_password_hash(link.user, password_hash)
    now = utcnow()
    for kind in also_ends:
        db.session.execute(
            db.update(kind)
            .where(kind.user_id == link.user_id, kind.used_at.is_(None))
            .values(used_at=now)
        )
    link.used_at = now
    db.session.commit()
    return link.user


def set_active(user: User, active: bool, *, by: User) -> None:
    if user.id == by.id and not active:
        raise DomainError("You cannot deactivate your own account.")
    user.active = active
    user.session_token = new_session_token()
    if not active:
        publish(AccountDeactivated(user))  # their calendar feeds stop (feeds reacts)
    db.session.commit()


def create_coordinator(name: str, email: str, password: str) -> User:
    if find_user_by_email(email) is not None:
        raise DomainError("Someone with this email address already has an account.")
    user = User(name=name.strip(), email=normalise_email(email), role=Role.COORDINATOR)
    set_password(user, password)
    db.session.add(user)
    db.session.commit()
    return user


# Built once (on first use, when every model is mapped): every signed-in request reads the
# person (see with_version).
@cache
def _person() -> Select:
    return db.select(User).where(User.id == bindparam("person_id"))


def load_user(user_id: str) -> User | None:
    """Flask-Login loader: the id must carry the user's current session token."""
    ident, _, token = user_id.partition(":")
    if not (ident.isascii() and ident.isdigit()) or not token:
        return None
    with reading_only():  # a write request takes the write lock when it writes, not here
        # With the change log's version, in one round trip: pages that show the latest read it.
        found = with_version(_person(), {"person_id": int(ident)})
    user = found[0] if found else None
    if user is None or not user.active or not secrets.compare_digest(user.session_token, token):
        return None
    return user


def _throttle_keys(email: str, address: str) -> tuple[str, str]:
    return f"account:{_account_key(email)}", f"address:{address[:80]}"


def _account_key(email: str) -> str:
    # The email is hashed: attempts on unknown addresses leave no readable trace.
    return hashlib.sha256(normalise_email(email).encode()).hexdigest()[:40]


def record_failed_sign_in(email: str, address: str) -> None:
    """Counted in a short transaction of its own."""
    account_key, address_key = _throttle_keys(email, address)
    throttle.record_failures((account_key, ACCOUNT_WINDOW), (address_key, ADDRESS_WINDOW))


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
    with reading_only():
        return _find_valid(PasswordResetToken, raw)


def reset_password(raw: str, password: str) -> User:
    """Choose a new password with a reset link: the link is used up, other sign-ins end, and
    the account's failed sign-ins are forgotten."""
    user = _choose_password(
        PasswordResetToken, raw, password, also_ends=(PasswordResetToken, InviteToken)
    )
    throttle.forget(f"account:{_account_key(user.email)}", ACCOUNT_WINDOW)
    return user
