"""Password policy, safe redirects and who may do what."""

from functools import cache
from typing import TypeGuard
from urllib.parse import urlsplit

from .roles import Role

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
PASSWORD_HASH_METHOD = "scrypt:131072:8:1"


@cache
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Length is what matters (no composition rules); very common passwords are refused."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Your password must be at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Your password must be {MAX_PASSWORD_LENGTH} characters or fewer."
    lowered = password.lower()
    if lowered in _common_passwords() or len(set(lowered)) < 3:
        return "That password is too common and easy to guess. Choose another."
    personal = {email.lower(), email.lower().split("@")[0], name.lower()} - {""}
    if lowered in personal:
        return "Your password must not be your name or email address."
    return None


def is_safe_next(target: str | None) -> TypeGuard[str]:
    """Only same-site relative paths: no scheme, no host, no protocol-relative '//'."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(c) < 32 for c in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def can_manage(role: Role) -> bool:
    """Scheduling, rosters, people, venues and sites are the coordinator's."""
    return role == Role.COORDINATOR


def can_sign_up(role: Role) -> bool:
    return role == Role.VOLUNTEER


def can_see_private_events(role: Role) -> bool:
    """Non-public events (home visits, internal sessions) are for the partnership only."""
    return role in (Role.COORDINATOR, Role.VOLUNTEER, Role.PARTNER)


FAILED_LOGIN_WINDOW_MINUTES = 15
ACCOUNT_FAILURE_LIMIT = 5
ADDRESS_FAILURE_LIMIT = 20


def sign_in_throttled(account_failures: int, address_failures: int) -> bool:
    """Too many recent failures for this account, or from this address, pause sign-in."""
    return account_failures >= ACCOUNT_FAILURE_LIMIT or address_failures >= ADDRESS_FAILURE_LIMIT


RESET_MAILS_PER_HOUR = 3


def reset_link_lifetime_minutes(by_coordinator: bool, self_service_minutes: int) -> int:
    """A link asked for by the person is short-lived; one the coordinator hands over (by phone,
    in person) lasts a day, since it may wait until the person reads their email."""
    return 24 * 60 if by_coordinator else self_service_minutes
