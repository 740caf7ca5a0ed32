"""Configuration classes, read from the environment.

Pick one with ``TRAINER_CONFIG`` (development, testing, production); ``wsgi.py`` uses
production unless told otherwise by ``FLASK_DEBUG`` or ``TRAINER_CONFIG``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL", default)
    # Hosting providers still hand out postgres:// URLs; SQLAlchemy wants a driver name.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


class ConfigurationError(RuntimeError):
    """A setting that production cannot start with; the message says how to fix it."""


# Signs development sessions only; production refuses it (and anything short).
DEVELOPMENT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
    # Unset in development: the address `flask run` serves (the Makefile passes HOST and PORT).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL") or "http://{}:{}".format(
        os.environ.get("FLASK_RUN_HOST", "127.0.0.1"), os.environ.get("FLASK_RUN_PORT", "5000")
    )
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{BASE_DIR / 'instance' / 'trainer.db'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL") or None

    COURSES_DIR = os.environ.get("COURSES_DIR", str(BASE_DIR / "courses"))
    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 20 * 1024 * 1024)

    # Languages the interface is translated into; the first is the fallback.
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("DEFAULT_TIMEZONE", "America/Guayaquil")

    # Sessions and cookies. Secure cookies are switched on in production.
    PERMANENT_SESSION_LIFETIME = timedelta(hours=_int("SESSION_HOURS", 12))
    SESSION_COOKIE_NAME = "trainer_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_NAME = "trainer_remember"
    REMEMBER_COOKIE_DURATION = timedelta(days=_int("REMEMBER_DAYS", 14))
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_REFRESH_EACH_REQUEST = False

    # CSRF tokens live as long as the session that holds them, not one hour.
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_SSL_STRICT = True

    # Compression of what the app sends (Flask-Compress): HTML, CSS, JavaScript and JSON of
    # at least COMPRESS_MIN_SIZE bytes, as zstd, br or gzip, whichever the browser prefers
    # (Accept-Encoding), with "Vary: Accept-Encoding". Files and downloads (PDF, zip, XLSX,
    # CSV, images) are sent as they are. Set COMPRESS_RESPONSES=0 when a proxy in front
    # (nginx) compresses, so the work is not done twice.
    COMPRESS_REGISTER = _bool("COMPRESS_RESPONSES", True)
    COMPRESS_MIMETYPES = [
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
    ]
    COMPRESS_ALGORITHM = ["zstd", "br", "gzip"]
    # Responses sent in chunks (exports, files) go as they are (trainer/compression.py).
    COMPRESS_STREAMS = False
    COMPRESS_LEVEL = 6  # gzip
    COMPRESS_BR_LEVEL = 4
    COMPRESS_ZSTD_LEVEL = 3
    # Below this a compressed body saves a few dozen bytes at best.
    COMPRESS_MIN_SIZE = 500

    # Login throttling: after SOFT failures each try waits, after LOCK the pair is locked.
    LOGIN_THROTTLE_SOFT = _int("LOGIN_THROTTLE_SOFT", 5)
    LOGIN_THROTTLE_LOCK = _int("LOGIN_THROTTLE_LOCK", 10)
    LOGIN_THROTTLE_WINDOW_MINUTES = _int("LOGIN_THROTTLE_WINDOW_MINUTES", 15)
    LOGIN_LOCK_MINUTES = _int("LOGIN_LOCK_MINUTES", 15)

    # Public certificate lookups (/verify) per client address: generous, since a whole
    # workshop may verify from behind one address. Counted in Redis when REDIS_URL is set,
    # else in each process's memory (so several app servers need Redis to share the count).
    CERTIFICATE_LOOKUP_LIMIT = os.environ.get("CERTIFICATE_LOOKUP_LIMIT") or "60 per minute"
    # JSON API requests per token (trainer.api): enough for an HR system's nightly sync.
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT") or "300 per minute"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_KEY_PREFIX = "trainer"
    # If Redis is unreachable, verification keeps working, counted in memory meanwhile.
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True

    # Signed credentials (Open Badges 3.0): the private key, as a PEM file's path or as the
    # PEM text itself; without one, certificates are issued unsigned, as before. Retired
    # keys' files (public or private PEM), separated by os.pathsep, stay in the JWKS.
    CREDENTIALS_KEY_FILE = os.environ.get("CREDENTIALS_KEY_FILE") or None
    CREDENTIALS_KEY = os.environ.get("CREDENTIALS_KEY") or None
    CREDENTIALS_RETIRED_KEYS = os.environ.get("CREDENTIALS_RETIRED_KEYS") or ""

    # QR self check-in is accepted from this many minutes before a session starts until this
    # many minutes after it ends.
    CHECKIN_MARGIN_MINUTES = _int("CHECKIN_MARGIN_MINUTES", 15)
    CHECKIN_CODE_SECONDS = _int("CHECKIN_CODE_SECONDS", 30)

    # Survey results are shown only for groups (institution and cohort) of at least this
    # many responses; smaller groups are merged into "other", itself hidden while smaller.
    SURVEY_MIN_GROUP = _int("SURVEY_MIN_GROUP", 5)

    # Number of proxies in front of the app whose X-Forwarded-* headers are trusted.
    TRUSTED_PROXIES = _int("TRUSTED_PROXIES", 0)
    # "json": one JSON line per request (with a request id) and the app's log records as JSON,
    # on standard error; "text": Flask's plain log lines, no request lines.
    LOG_FORMAT = (os.environ.get("LOG_FORMAT") or "text").strip().lower()

    # Password hashing (argon2id). Testing lowers the cost.
    ARGON2_TIME_COST = _int("ARGON2_TIME_COST", 3)
    ARGON2_MEMORY_COST = _int("ARGON2_MEMORY_COST", 64 * 1024)
    ARGON2_PARALLELISM = _int("ARGON2_PARALLELISM", 4)

    # Outgoing mail: "forgot password" is offered only when MAIL_SERVER is set.
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = _int("MAIL_PORT", 587)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", True)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_FROM = os.environ.get("MAIL_FROM", "trainer@localhost")
    PASSWORD_LINK_HOURS = _int("PASSWORD_LINK_HOURS", 72)

    # Background work (huey): on Redis when REDIS_URL is set, else in instance/queue.db
    # (one machine only). "memory" is for the tests, which run the queued tasks themselves.
    TASK_QUEUE = os.environ.get("TASK_QUEUE") or "default"
    TASK_QUEUE_NAME = os.environ.get("TASK_QUEUE_NAME") or "trainer"
    # A mail is tried this many times, the retries waiting MAIL_RETRY_SECONDS, then twice as
    # long each time; then it is shown to admins as failed, with a retry button.
    MAIL_ATTEMPTS = _int("MAIL_ATTEMPTS", 5)
    MAIL_RETRY_SECONDS = _int("MAIL_RETRY_SECONDS", 60)
    # An unsent mail whose task is lost (worker killed, queue down) is queued again by the
    # sweeper this long after it was last queued; a send in progress holds it this long.
    OUTBOX_SWEEP_AFTER_SECONDS = _int("OUTBOX_SWEEP_AFTER_SECONDS", 300)
    OUTBOX_CLAIM_SECONDS = _int("OUTBOX_CLAIM_SECONDS", 300)
    # Session reminders are sent the day before, from this hour in the cohort's time zone.
    SESSION_REMINDER_HOUR = _int("SESSION_REMINDER_HOUR", 17)

    PRODUCTION = False


class DevelopmentConfig(Config):
    DEBUG = True


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key"  # noqa: S105  (tests only)
    SQLALCHEMY_DATABASE_URI = _database_url("sqlite://")
    WTF_CSRF_ENABLED = True
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8
    ARGON2_PARALLELISM = 1
    PUBLIC_BASE_URL = "http://localhost"
    SERVER_NAME = None
    MAIL_SERVER = None
    REDIS_URL = None
    # No signing key: the suite runs as a deployment without one; tests/credentials sign.
    CREDENTIALS_KEY_FILE = None
    CREDENTIALS_KEY = None
    CREDENTIALS_RETIRED_KEYS = ""
    TASK_QUEUE = "memory"
    MAIL_RETRY_SECONDS = 0
    # The suite walks every route from one address; the limit's own tests set a low one.
    CERTIFICATE_LOOKUP_LIMIT = "100000 per minute"
    API_RATE_LIMIT = "100000 per minute"


class ProductionConfig(Config):
    PRODUCTION = True
    # No fallback address: a certificate or e-mail must never point at a developer's machine.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL") or None
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    PREFERRED_URL_SCHEME = "https"

    @staticmethod
    def check(config: Mapping[str, Any]) -> None:
        """Refuse to start with a weak or development secret, or without a public address.

        It judges the settings the application will really use (the environment as read at
        import, plus any overrides), never the environment a second time.
        """
        secret = config.get("SECRET_KEY") or ""
        if len(secret) < 32 or secret == DEVELOPMENT_SECRET_KEY:
            raise ConfigurationError(
                "SECRET_KEY must be set to a random value of at least 32 characters in "
                "production, e.g. python -c 'import secrets; print(secrets.token_hex(32))'"
            )
        if not config.get("PUBLIC_BASE_URL"):
            raise ConfigurationError(
                "PUBLIC_BASE_URL must be set in production (the address people use, "
                "e.g. https://trainer.example.org); certificates and links are built from it"
            )

    @staticmethod
    def warnings(config: Mapping[str, Any]) -> list[str]:
        """What production may start without, but should not: state that several processes
        or machines must share and that would otherwise stay in each one."""
        if config.get("REDIS_URL"):
            return []
        return [
            "REDIS_URL is not set: certificate look-ups and API requests are limited in each "
            "process's memory (every gunicorn worker and app server allows the full limit), and "
            "the task queue is instance/queue.db, on this machine only. Set REDIS_URL whenever "
            "more than one process or machine serves trainer."
        ]


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
