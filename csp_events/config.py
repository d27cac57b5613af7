"""Configuration: safe defaults, overridden from the environment."""

import hashlib
import os
import re
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


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name, "")
    return value.strip().lower() in ("1", "true", "yes", "on") if value else default


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def mail_config(instance_path: Path) -> dict:
    """SMTP when MAIL_SERVER is set; otherwise every message is written to instance/outbox/."""
    server = os.environ.get("MAIL_SERVER", "")
    return {
        "MAIL_BACKEND": "smtp" if server else "csp_events.mail.outbox.EmailBackend",
        "MAIL_SERVER": server or "localhost",
        "MAIL_PORT": _int("MAIL_PORT", 587 if _flag("MAIL_USE_TLS") else 25),
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS"),
        "MAIL_USE_SSL": _flag("MAIL_USE_SSL"),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": os.environ.get(
            "MAIL_DEFAULT_SENDER", "Safer Brentwood events <events@brentwood.example>"
        ),
        "MAIL_TIMEOUT": _int("MAIL_TIMEOUT", 20),
        "MAIL_FILE_PATH": str(instance_path / "outbox"),
    }


# A Redis that stops answering (not refusing: a host gone from the network) held each call for
# the client's default ~5 s, and a feed asks several times: long enough for gunicorn to kill
# the worker. After this many seconds a call fails, and what called it does without Redis (a
# rebuild, counting in the database, limits kept in the process).
REDIS_TIMEOUTS = {"socket_timeout": 2, "socket_connect_timeout": 2}


def serving_config(production: bool) -> dict:
    """Reverse proxy, shared rate-limit storage and the request log."""
    redis_url = os.environ.get("REDIS_URL", "")
    return {
        # How many reverse proxies (nginx…) in front of the app set X-Forwarded-* honestly.
        "TRUSTED_PROXIES": _int("TRUSTED_PROXIES", 0),
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_STORAGE_OPTIONS": REDIS_TIMEOUTS if redis_url else {},
        # Redis away: each process counts the limits itself until it is back, rather than a 500
        # on every limited address (the API, sign-in, password reset).
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_KEY_PREFIX": "csp-events",
        "RATELIMIT_HEADERS_ENABLED": False,
        "REQUEST_LOG": _flag("REQUEST_LOG", production),
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        # Set (always in production): every link in an email uses it, never the request's Host
        # header, which anyone can forge to send a reset link pointing at their own site.
        "PUBLIC_BASE_URL_FIXED": bool(os.environ.get("PUBLIC_BASE_URL")) or production,
    }


def cache_prefix(database_url: str) -> str:
    return f"csp-events:{hashlib.sha256(database_url.encode()).hexdigest()[:12]}:"


def cache_config(instance_path: Path, database_url: str) -> dict:
    """Redis when REDIS_URL is set (shared by every worker and host), else files in
    instance/cache/. Keys are prefixed with the database they describe, so a SQLite run and
    a PostgreSQL run sharing one Redis or one instance folder never read each other's."""
    redis_url = os.environ.get("REDIS_URL", "")
    shared = {"CACHE_KEY_PREFIX": cache_prefix(database_url), "CACHE_DEFAULT_TIMEOUT": 0}
    if redis_url:
        return {
            **shared,
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": redis_url,
            "CACHE_OPTIONS": REDIS_TIMEOUTS,
        }
    return {
        **shared,
        "CACHE_TYPE": "FileSystemCache",
        "CACHE_DIR": str(instance_path / "cache"),
        "CACHE_THRESHOLD": 20_000,
    }


def reminder_config() -> dict:
    return {
        # Links in emails sent by `flask send-reminders` (no request to take the host from).
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        # The domain in every calendar UID (RFC 5545 3.8.4.7). Never taken from the request:
        # a UID that changed with the address used would duplicate every event in calendars.
        # Empty: PUBLIC_BASE_URL's host, which is what subscribers already have.
        "CALENDAR_UID_DOMAIN": os.environ.get("CALENDAR_UID_DOMAIN", ""),
        # Text messages through GOV.UK Notify; with no key they go to instance/outbox/sms/.
        "NOTIFY_API_KEY": os.environ.get("NOTIFY_API_KEY", ""),
        "NOTIFY_SMS_TEMPLATE_ID": os.environ.get("NOTIFY_SMS_TEMPLATE_ID", ""),
        "NOTIFY_BASE_URL": os.environ.get(
            "NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk"
        ),
        # The bearer token typed into Notify's "callbacks" settings for delivery receipts.
        "NOTIFY_CALLBACK_TOKEN": os.environ.get("NOTIFY_CALLBACK_TOKEN", ""),
        "REMINDER_HOURS_BEFORE": _int("REMINDER_HOURS_BEFORE", 48),
        "SECOND_REMINDER_HOURS_BEFORE": _int("SECOND_REMINDER_HOURS_BEFORE", 2),
        "UNDERSTAFFED_HOURS_AHEAD": _int("UNDERSTAFFED_HOURS_AHEAD", 72),
        "CALIBRATION_WARNING_DAYS": _int("CALIBRATION_WARNING_DAYS", 30),
        "PASSWORD_RESET_VALID_MINUTES": _int("PASSWORD_RESET_VALID_MINUTES", 60),
    }


ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")


def embed_origins(value) -> tuple[str, ...]:
    """The sites allowed to show /embed in a frame (CSP frame-ancestors), from a list or a
    space- or comma-separated string; anything that is not a plain origin is left out, so
    nothing typed here can add another directive to the header."""
    parts = value.replace(",", " ").split() if isinstance(value, str) else list(value or ())
    return tuple(p.rstrip("/") for p in parts if ORIGIN.match(p.rstrip("/")))


def build_config(instance_path: Path) -> dict:
    production = os.environ.get("CSP_ENV", "development") == "production"
    return {
        **mail_config(instance_path),
        **serving_config(production),
        **reminder_config(),
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        **cache_config(instance_path, _database_url(instance_path)),
        # A pooled connection idle longer than this is tried before use (database.py).
        "DATABASE_PING_AFTER_IDLE_SECONDS": _int("DATABASE_PING_AFTER_IDLE_SECONDS", 5),
        # SQLite: how long a write waits for another to finish before the person is told the
        # system is busy (503, try again) rather than kept waiting.
        "SQLITE_BUSY_TIMEOUT_MS": _int("SQLITE_BUSY_TIMEOUT_MS", 10_000),
        "PARTNERSHIP_NAME": os.environ.get("PARTNERSHIP_NAME", "Safer Brentwood"),
        # Council, parish and NHW sites that may frame the embeddable listing, e.g.
        # "https://www.brentwood.gov.uk https://www.shenfieldparish.org.uk".
        "EMBED_ALLOWED_ORIGINS": embed_origins(os.environ.get("EMBED_ALLOWED_ORIGINS", "")),
        # Requests to the open JSON API per address (flask-limiter's notation).
        "API_RATE_LIMIT": os.environ.get("API_RATE_LIMIT", "120 per minute"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        # In production the cookie is bound to this exact host over HTTPS (the __Host- prefix).
        "SESSION_COOKIE_NAME": "__Host-session" if production else "session",
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
        # Home visits: a visiting volunteer sees the resident's details from this long before
        # the visit starts until this long after it ends; the coordinator always.
        "RESIDENT_DETAILS_FROM_HOURS": int(os.environ.get("RESIDENT_DETAILS_FROM_HOURS", "12")),
        "RESIDENT_DETAILS_UNTIL_HOURS": int(os.environ.get("RESIDENT_DETAILS_UNTIL_HOURS", "4")),
        # A visit is overdue when its volunteers have not left safely this long after its end.
        "LONE_WORKING_GRACE_MINUTES": int(os.environ.get("LONE_WORKING_GRACE_MINUTES", "30")),
        # `flask purge-resident-data` removes resident details this long after a referral closes.
        "RESIDENT_DATA_RETENTION_DAYS": int(os.environ.get("RESIDENT_DATA_RETENTION_DAYS", "365")),
        # An event ended this many days ago with no outcome shows on the coordinator's dashboard.
        "OUTCOME_OVERDUE_DAYS": int(os.environ.get("OUTCOME_OVERDUE_DAYS", "3")),
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    }
