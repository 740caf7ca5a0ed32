"""People, their institutions and roles, and the programme's settings."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.dbtypes import UTCDateTime, one_of, postgresql_only, utcnow
from trainer.extensions import db


class Role(enum.StrEnum):
    PARTICIPANT = "participant"
    TRAINER = "trainer"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


class InstitutionKind(enum.StrEnum):
    MINISTRY = "ministry"
    MUNICIPALITY = "municipality"
    AGENCY = "agency"
    NGO = "ngo"
    OTHER = "other"


class Institution(db.Model):
    __tablename__ = "institution"
    __table_args__ = (CheckConstraint(one_of("kind", InstitutionKind), name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    country: Mapped[str] = mapped_column(String(2), default="EC")
    kind: Mapped[str] = mapped_column(String(20), default=InstitutionKind.OTHER.value)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Institution {self.slug}>"


class User(UserMixin, db.Model):
    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint(one_of("role", Role), name="role_known"),
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        # The people lists read a page in name order from these, with no sort: everyone
        # (accounts), or one institution's people (a coordinator's list: participants are
        # nearly all of them, so a role column here would only make an admin's list of one
        # institution sort its rows).
        Index("ix_user_account_full_name", "full_name", "id"),
        Index("ix_user_account_institution_id", "institution_id", "full_name", "id"),
        # The search by any part of a name or an address (ILIKE '%...%') on PostgreSQL.
        postgresql_only(
            Index(
                "ix_user_account_full_name_trgm",
                "full_name",
                postgresql_using="gin",
                postgresql_ops={"full_name": "gin_trgm_ops"},
            )
        ),
        postgresql_only(
            Index(
                "ix_user_account_email_trgm",
                "email",
                postgresql_using="gin",
                postgresql_ops={"email": "gin_trgm_ops"},
            )
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    language: Mapped[str | None] = mapped_column(String(5))
    role: Mapped[str] = mapped_column(String(20), default=Role.PARTICIPANT.value)
    institution_id: Mapped[int | None] = mapped_column(
        ForeignKey("institution.id", ondelete="RESTRICT")
    )
    # A coordinator sees one institution, or every institution when programme-wide.
    is_programme_wide: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    institution: Mapped[Institution | None] = relationship(lazy="joined")

    # The token of the log-in this object was loaded for, or has just made (see
    # trainer.auth.logins): what Flask-Login keeps in the session and remember-me cookies.
    login_token = None

    def get_id(self) -> str:
        if self.login_token is None:
            raise RuntimeError(
                "This user has no recorded log-in: make one with trainer.auth.logins.start()"
            )
        return self.login_token

    def __repr__(self) -> str:
        return f"<User {self.email}>"


DEFAULT_INACTIVE_AFTER_DAYS = 14
MAX_INACTIVE_AFTER_DAYS = 365
PROGRAMME_SETTINGS_ID = 1  # the one row's key


class ProgrammeSettings(db.Model):
    """One row: what the layout and certificates show about the programme."""

    __tablename__ = "programme_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_name: Mapped[str] = mapped_column(String(200), default="trainer")
    default_timezone: Mapped[str] = mapped_column(String(64), default="America/Guayaquil")
    logo_file_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_file.id", ondelete="SET NULL")
    )
    # [{"name": ..., "role": ...}], printed on certificates unless a course names its own.
    signatories: Mapped[list] = mapped_column(JSON, default=list)
    # A participant with no activity (module view, quiz attempt, attendance) for this many
    # days is at risk: listed on the coordinators' dashboard, and nudged by notifications.
    inactive_after_days: Mapped[int] = mapped_column(default=DEFAULT_INACTIVE_AFTER_DAYS)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class LoginThrottle(db.Model):
    """Failed log-ins per (account, address), shared by every app server."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LoginSession(db.Model):
    """One log-in on one device; its cookies open pages while this row exists."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the random token the cookies carry: the table alone opens no account.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # Browser and system, e.g. "Firefox · Android"; empty when the browser does not say.
    device: Mapped[str] = mapped_column(String(80), default="")


class PasswordToken(db.Model):
    """A one-time link to set a password: by e-mail, or handed over by an admin."""

    __tablename__ = "password_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class AuditEntry(db.Model):
    """Who changed which account or institution, when, and what it was before and after."""

    __tablename__ = "audit_entry"
    # The page lists entries newest first, all of them or one action's or one actor's:
    # each index gives them in that order, so a page reads its rows and nothing more.
    # The actor's also lists who has entries, one index probe per actor.
    __table_args__ = (
        Index("ix_audit_entry_created_at", "created_at", "id"),
        Index("ix_audit_entry_action", "action", "created_at", "id"),
        Index("ix_audit_entry_actor_id", "actor_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int | None]
    institution_id: Mapped[int | None] = mapped_column(
        ForeignKey("institution.id", ondelete="SET NULL"), index=True
    )
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(Text, default="")

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id], lazy="joined")
