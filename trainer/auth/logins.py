"""Log-ins, one row per device: what makes logging out (or a password change) final.

Flask's session and Flask-Login's remember-me cookie are signed but stateless: a copy taken
before logging out would keep working. So each log-in gets a ``LoginSession`` row and both
cookies carry its random token; the user loader accepts a cookie only while its row exists.
Only a hash of the token is stored: reading the table opens no account.

Services flush and never commit: the caller commits once.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.orm.attributes import set_committed_value

from trainer.auth.models import PROGRAMME_SETTINGS_ID, LoginSession, ProgrammeSettings, User
from trainer.dbtypes import utcnow
from trainer.extensions import db

# "Last seen" is written at most this often per log-in: the one write a page view may make.
SEEN_EVERY = timedelta(minutes=5)

_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)

# (marker in the User-Agent header, name shown): the first match wins, so a browser that
# also announces the ones it descends from (Edge says Chrome and Safari) is named right.
_BROWSERS = (
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
)


def describe_device(user_agent: str | None) -> str:
    """A short summary people recognise, such as "Firefox · Android"; "" when unknown.

    Proper names only, so it reads the same in every interface language.
    """
    agent = user_agent or ""
    browser = next((name for marker, name in _BROWSERS if marker in agent), "")
    system = next((name for marker, name in _SYSTEMS if marker in agent), "")
    return " · ".join(part for part in (browser, system) if part)


def start(user: User, user_agent: str | None, *, remember: bool = False) -> str:
    """Record a new log-in of ``user``; returns the token its cookies carry (never stored).

    It lasts as long as the cookies that may carry it: the session cookie's lifetime, or
    the remember-me cookie's with ``remember``.
    """
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        LoginSession(
            token_hash=_hash(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + _lifetime(remember),
            device=describe_device(user_agent)[:80],
        )
    )
    db.session.flush()
    user.login_token = token
    return token


def find(
    token: str, now: datetime | None = None
) -> tuple[User, LoginSession, ProgrammeSettings | None] | None:
    """The active account and its log-in that ``token`` opens, with the programme's
    settings (None before any were saved), in one query (the user loader's); or None.

    Every page shows the programme's name: its settings come with the log-in, so the page
    needs no query of its own for them.
    """
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    row = db.session.execute(
        select(User, LoginSession, ProgrammeSettings)
        .join(LoginSession, LoginSession.user_id == User.id)
        .outerjoin(ProgrammeSettings, ProgrammeSettings.id == PROGRAMME_SETTINGS_ID)
        .where(
            LoginSession.token_hash == _hash(token),
            LoginSession.expires_at > (now or utcnow()),
            User.is_active.is_(True),
        )
    ).first()
    if row is None:
        return None
    user, login, settings = row
    user.login_token = token
    return user, login, settings


def seen_long_ago(login: LoginSession, now: datetime | None = None) -> bool:
    """Whether "last seen" is older than SEEN_EVERY, so that it is time to write it again."""
    return (now or utcnow()) - login.last_seen_at >= SEEN_EVERY


def note_seen(login: LoginSession, now: datetime | None = None) -> None:
    """Move "last seen" to now, in one UPDATE.

    A log-in in use also outlives the session cookie's lifetime from now on, as the cookie
    itself may (Flask signs it again whenever the session changes).
    """
    now = now or utcnow()
    expires_at = max(login.expires_at, now + _lifetime(remember=False))
    db.session.execute(
        update(LoginSession)
        .where(LoginSession.id == login.id)
        .values(last_seen_at=now, expires_at=expires_at)
        .execution_options(synchronize_session=False)
    )
    # The loaded row follows without being marked changed (which would write it again).
    set_committed_value(login, "last_seen_at", now)
    set_committed_value(login, "expires_at", expires_at)


def of(user: User) -> list[LoginSession]:
    """The person's log-ins, most recently used first."""
    return list(
        db.session.scalars(
            select(LoginSession)
            .where(LoginSession.user_id == user.id, LoginSession.expires_at > utcnow())
            .order_by(LoginSession.last_seen_at.desc(), LoginSession.id.desc())
        )
    )


def end(token: str | None) -> None:
    """Log out the device whose cookies carry ``token``, and every copy of them."""
    if token:
        db.session.execute(delete(LoginSession).where(LoginSession.token_hash == _hash(token)))


def end_one(user: User, login_id: int) -> bool:
    """Log out one of the person's devices; False if they have no such log-in."""
    result = db.session.execute(
        delete(LoginSession).where(LoginSession.id == login_id, LoginSession.user_id == user.id)
    )
    return bool(result.rowcount)


def end_all(user: User, keep: LoginSession | None = None) -> int:
    """Log the person out everywhere (but on ``keep``): after a password change, a
    deactivation, a new role or institution. Returns how many log-ins ended."""
    query = delete(LoginSession).where(LoginSession.user_id == user.id)
    if keep is not None:
        query = query.where(LoginSession.id != keep.id)
    return db.session.execute(query).rowcount or 0


def prune(now: datetime | None = None) -> int:
    """Delete expired log-ins (their cookies no longer open anything); returns how many."""
    result = db.session.execute(
        delete(LoginSession).where(LoginSession.expires_at <= (now or utcnow()))
    )
    return result.rowcount or 0


def _lifetime(remember: bool) -> timedelta:
    config = current_app.config
    session = config["PERMANENT_SESSION_LIFETIME"]
    if isinstance(session, int):
        session = timedelta(seconds=session)
    return max(session, config["REMEMBER_COOKIE_DURATION"]) if remember else session


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
