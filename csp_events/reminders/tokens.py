"""Signed "stop these emails" links that work without signing in."""

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

SALT = "csp-events reminders: stop"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def stop_token(user_id: int, kind: str) -> str:
    return _serializer().dumps([user_id, kind])


def read_stop_token(token: str) -> tuple[int, str] | None:
    """The (user id, kind) a link was made for, or None for anything altered or made up."""
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2):
        return None
    user_id, kind = value
    if not isinstance(user_id, int) or not isinstance(kind, str):
        return None
    return user_id, kind
