"""Configuration: safe defaults, overridden from the environment."""

import os
import secrets
from datetime import timedelta
from pathlib import Path


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one generated once into instance/."""
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url or f"sqlite:///{instance_path / 'csp_events.sqlite'}"


def build_config(instance_path: Path) -> dict:
    production = os.environ.get("CSP_ENV", "development") == "production"
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "PARTNERSHIP_NAME": os.environ.get("PARTNERSHIP_NAME", "Safer Brentwood"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "WTF_CSRF_TIME_LIMIT": None,
        # Volunteers may withdraw themselves until this long before a session starts.
        "WITHDRAWAL_CLOSES_HOURS": int(os.environ.get("WITHDRAWAL_CLOSES_HOURS", "24")),
        "INVITE_VALID_DAYS": int(os.environ.get("INVITE_VALID_DAYS", "7")),
        # Speedwatch sessions book the speed gun this long before and after, to fetch and return it.
        "SPEEDWATCH_TRAVEL_MINUTES": int(os.environ.get("SPEEDWATCH_TRAVEL_MINUTES", "30")),
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    }
