"""Creating, listing, revoking and recognising API tokens.

A token is ``trn_`` followed by 43 URL-safe characters (256 random bits): far too many to
guess, so one SHA-256 of it is enough to store (a slow password hash would only slow every
API call). Only active coordinators hold working tokens; a token stops working when it is
revoked, when its owner is deactivated, or when they stop being a coordinator. Creating and
revoking one are written to the audit log.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from trainer.api.models import ApiToken
from trainer.auth import audit, policy
from trainer.auth.models import User
from trainer.dbtypes import utcnow
from trainer.extensions import db

PREFIX = "trn_"
_TOKEN = re.compile(r"trn_[A-Za-z0-9_-]{43}")
# Last use is noted at most this often: one cheap UPDATE, not one per request.
SEEN_EVERY = timedelta(minutes=5)
# Enough for every HR system a coordinator might connect, few enough to review at a glance.
MAX_TOKENS = 20


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def can_hold_tokens(actor: User) -> bool:
    """Coordinators (of one institution or programme-wide): the API answers with their
    people, exactly as their screens do."""
    return policy.is_coordinator(actor) and actor.is_active


def hash_of(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def tokens_of(owner: User) -> list[ApiToken]:
    """The owner's tokens, the working ones first, newest first."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == owner.id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id)
        )
    )


def working_count(owner: User) -> int:
    return len([token for token in tokens_of(owner) if not token.is_revoked])


def create(owner: User, name: str) -> NewToken:
    """A new working token for ``owner`` (flushed). The caller shows ``secret`` once."""
    if not can_hold_tokens(owner):
        raise PermissionError("only active coordinators hold API tokens")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=owner.id, name=name.strip(), token_hash=hash_of(secret), prefix=secret[:12]
    )
    db.session.add(token)
    db.session.flush()
    _audit(owner, "api_token.create", token)
    return NewToken(token, secret)


def revoke(owner: User, token_id: int) -> ApiToken | None:
    """Revoke one of the owner's own tokens (flushed); None when they have no such token.
    Revoking twice keeps the first date (and audits only the first)."""
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == owner.id)
    )
    if token is not None and token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()
        _audit(owner, "api_token.revoke", token)
    return token


def authenticate(header: str | None) -> tuple[User, ApiToken] | None:
    """The coordinator and token an ``Authorization: Bearer ...`` header names, or None when
    it names no working token (missing, malformed, unknown, revoked, or its owner no longer
    an active coordinator). One query."""
    scheme, _, secret = (header or "").partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not _TOKEN.fullmatch(secret):
        return None
    row = db.session.execute(
        select(User, ApiToken)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == hash_of(secret), ApiToken.revoked_at.is_(None))
    ).first()
    if row is None or not can_hold_tokens(row[0]):
        return None
    return row[0], row[1]


def used_long_ago(token: ApiToken, now: datetime | None = None) -> bool:
    return token.last_used_at is None or (now or utcnow()) - token.last_used_at >= SEEN_EVERY


def note_used(token: ApiToken, now: datetime | None = None) -> None:
    """Move "last used" to now, in one UPDATE of that column alone."""
    now = now or utcnow()
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.id == token.id)
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    set_committed_value(token, "last_used_at", now)


def _audit(owner: User, action: str, token: ApiToken) -> None:
    """The log names the token by its name and visible prefix, never by its secret."""
    audit.record(
        owner,
        action,
        token,
        None,
        {"name": token.name, "prefix": token.prefix},
        f"{token.name} ({token.prefix}…)",
        institution_id=owner.institution_id,
    )
