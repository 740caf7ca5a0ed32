"""Accounts: log-in, passwords, one-time links, programme settings.

Services flush and never commit: the caller (a view or a CLI command) commits once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import format_datetime, ngettext
from flask_babel import gettext as _
from sqlalchemy import delete, or_, select

from trainer.auth import csv_import, logins, policy, throttle
from trainer.auth.models import (
    DEFAULT_INACTIVE_AFTER_DAYS,
    PROGRAMME_SETTINGS_ID,
    PasswordToken,
    ProgrammeSettings,
    Role,
    User,
)
from trainer.auth.passwords import (
    MIN_PASSWORD_LENGTH,
    burn_time,
    hash_password,
    needs_rehash,
    verify_password,
)
from trainer.auth.signals import password_reset_requested
from trainer.dbtypes import utcnow
from trainer.extensions import db


class AccountError(ValueError):
    """A request about an account that cannot be carried out; the message says why."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field  # the form field the message belongs next to, if any


class ImportRefused(AccountError):
    """A CSV import with problems: nothing was written; ``problems`` lists every one."""

    def __init__(self, problems: list[csv_import.Problem]) -> None:
        super().__init__(
            ngettext(
                "Nothing was imported: the file has %(num)d problem.",
                "Nothing was imported: the file has %(num)d problems.",
                len(problems),
            )
        )
        self.problems = problems


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    error: str | None = None


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(
    email: str, password: str, address: str | None, *, can_reset: bool = False
) -> LoginResult:
    """Check a log-in, counting failures per account and address.

    ``can_reset``: the "Forgot your password?" page exists (mail is configured), so a lock
    message may point to it. Flushes the throttle counters; the caller commits whether or
    not the log-in succeeded.
    """
    key = throttle.throttle_key(email, address)
    verdict = throttle.check(key)
    if verdict.allowed:
        user = find_user_by_email(email)
        # An account without a password yet costs a hash check too: a quick refusal would
        # tell which addresses have accounts.
        if user is None or not user.password_hash:
            burn_time(password)
        elif verify_password(user.password_hash, password) and user.is_active:
            throttle.reset(key)
            if needs_rehash(user.password_hash or ""):
                user.password_hash = hash_password(password)
            user.last_login_at = utcnow()
            db.session.flush()
            return LoginResult(user)
    verdict = throttle.record_failure(key)
    return LoginResult(None, _refusal(verdict, can_reset))


def _refusal(verdict: throttle.Verdict, can_reset: bool) -> str:
    if verdict.locked_until is not None and can_reset:
        return _(
            "Too many failed log-ins for this account from this device. It is locked until "
            "%(time)s. Wait until then, or set a new password with “Forgot your password?” "
            "below.",
            time=format_datetime(verdict.locked_until, "short"),
        )
    if verdict.locked_until is not None:
        return _(
            "Too many failed log-ins for this account from this device. It is locked until "
            "%(time)s. Wait until then, or ask your coordinator or the programme "
            "administrator for a link to set a new password.",
            time=format_datetime(verdict.locked_until, "short"),
        )
    if verdict.wait_seconds:
        return ngettext(
            "Wrong e-mail or password. Too many failed tries: wait %(num)d second before "
            "trying again.",
            "Wrong e-mail or password. Too many failed tries: wait %(num)d seconds before "
            "trying again.",
            verdict.wait_seconds,
        )
    return _("Wrong e-mail or password.")


def check_new_password(password: str, confirm: str | None = None) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            ngettext(
                "The password must have at least %(num)d character.",
                "The password must have at least %(num)d characters.",
                MIN_PASSWORD_LENGTH,
            )
        )
    if confirm is not None and password != confirm:
        raise AccountError(_("The two passwords do not match."))


def set_password(user: User, password: str) -> None:
    """Store a new password and end every log-in the user had, on every device."""
    check_new_password(password)
    user.password_hash = hash_password(password)
    logins.end_all(user)
    db.session.flush()


def change_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise AccountError(_("Your current password is not correct."))
    set_password(user, new)


def create_password_token(user: User, created_by: User | None, hours: int | None = None) -> str:
    """Make a one-time set-password link token; only its hash is stored.

    The person's earlier unused links stop working: only the newest link sets a password.
    """
    void_unused_links(user)
    token, row = _new_password_token(user, created_by, hours)
    db.session.add(row)
    db.session.flush()
    return token


def void_unused_links(user: User) -> None:
    """Delete the person's set-password links that were never used."""
    db.session.execute(
        delete(PasswordToken).where(
            PasswordToken.user_id == user.id, PasswordToken.used_at.is_(None)
        )
    )


def _new_password_token(
    user: User, created_by: User | None, hours: int | None = None
) -> tuple[str, PasswordToken]:
    token = secrets.token_urlsafe(32)
    lifetime = timedelta(hours=hours or current_app.config["PASSWORD_LINK_HOURS"])
    row = PasswordToken(
        token_hash=_hash_token(token),
        user_id=user.id,
        created_by_id=created_by.id if created_by else None,
        expires_at=utcnow() + lifetime,
    )
    return token, row


def set_password_url(token: str) -> str:
    """The full address of a set-password link, as the person will open it."""
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/set-password/{token}"


def find_password_token(token: str, now: datetime | None = None) -> PasswordToken | None:
    row = db.session.scalar(
        select(PasswordToken).where(PasswordToken.token_hash == _hash_token(token))
    )
    now = now or utcnow()
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    if not row.user.is_active:
        return None
    return row


def use_password_token(token: str, password: str) -> User:
    """Set the password through a one-time link; neither it nor any other link the person
    was given can be used again."""
    row = find_password_token(token)
    if row is None:
        raise AccountError(_("This link has expired or was already used. Ask for a new one."))
    set_password(row.user, password)
    row.used_at = utcnow()
    db.session.flush()
    void_unused_links(row.user)
    return row.user


RESET_REQUESTS_PER_WINDOW = 3


def request_password_reset(email: str, address: str | None) -> User | None:
    """The active account that gets a 2-hour link by mail, unless this address asked too
    often; sends ``signals.password_reset_requested`` (the mail, whose link is made when it
    is sent). Flushes, never commits.

    Every request counts (known address or not) in the log-in throttle's store under its
    own key, so nobody can flood a mailbox or probe addresses by timing the answers.
    """
    key = throttle.throttle_key(f"reset:{email}", address)
    failures, _last, _locked = throttle.store().state(key)
    throttle.store().record_failure(key, utcnow())
    if failures >= RESET_REQUESTS_PER_WINDOW:
        return None
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return None
    password_reset_requested.send(user)
    return user


def prune_password_tokens(days: int = 30, now: datetime | None = None) -> int:
    """Delete links used or expired more than ``days`` ago; returns how many went."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    result = db.session.execute(
        delete(PasswordToken).where(
            or_(PasswordToken.expires_at <= cutoff, PasswordToken.used_at <= cutoff)
        )
    )
    return result.rowcount or 0


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def programme_settings() -> ProgrammeSettings:
    settings = db.session.get(ProgrammeSettings, PROGRAMME_SETTINGS_ID)
    if settings is None:
        settings = ProgrammeSettings(
            id=PROGRAMME_SETTINGS_ID,
            programme_name="trainer",
            default_timezone=current_app.config["BABEL_DEFAULT_TIMEZONE"],
            signatories=[],
            inactive_after_days=DEFAULT_INACTIVE_AFTER_DAYS,
        )
    return settings


def create_user(
    email: str,
    full_name: str,
    role: Role | str = Role.PARTICIPANT,
    *,
    institution=None,
    password: str | None = None,
    language: str | None = None,
    is_programme_wide: bool = False,
) -> User:
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise AccountError(_("A user with the e-mail %(email)s already exists.", email=email))
    role = Role(role)
    if role in (Role.PARTICIPANT,) and institution is None:
        raise AccountError(_("A participant must belong to an institution."))
    if role is Role.COORDINATOR and institution is None and not is_programme_wide:
        raise AccountError(
            _("A coordinator needs an institution, or must be marked programme-wide.")
        )
    user = User(
        email=email,
        full_name=full_name.strip(),
        role=role.value,
        institution=institution,
        language=language,
        is_programme_wide=is_programme_wide and role is Role.COORDINATOR,
    )
    if password is not None:
        check_new_password(password)
        user.password_hash = hash_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def _require_admin(actor: User | None) -> None:
    # The views check first; this keeps a forgotten check from becoming a hole. The command
    # line acts as None.
    if actor is not None and not policy.can_manage_accounts(actor):
        raise AccountError(_("Only administrators can do this."))
