"""The outbox: every mail the platform sends, as a row written with the change that causes
it, and each person's choice of optional mails."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.auth.models import User
from trainer.dbtypes import UTCDateTime, one_of, utcnow
from trainer.extensions import db


class MailStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for a worker (first try, or a retry after a failure)
    SENT = "sent"
    FAILED = "failed"  # every retry failed; an admin may retry it
    HELD = "held"  # no mail server configured: kept for the admins' outbox page
    SKIPPED = "skipped"  # no longer wanted (turned off, or its subject is gone)


class OutboxMail(db.Model):
    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint(one_of("status", MailStatus), name="status_known"),
        # Once per (kind, person, subject, period): a retried task, a re-judged completion
        # or a second sweeper finds the row already there and sends nothing more.
        UniqueConstraint("kind", "user_id", "subject_key", "period"),
        Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    # What the mail is about, e.g. "enrolment:12" or "session:7".
    subject_key: Mapped[str] = mapped_column(String(80))
    # "once", an ISO week ("2026-W49"), a date, or a random value for mails asked for
    # each time (a set-password link).
    period: Mapped[str] = mapped_column(String(40))
    # What the mail's template needs beyond the rows it names (never a secret).
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default=MailStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A pending row is queued again by the sweeper from this time on (a lost task, a
    # worker killed mid-send).
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set while a worker is sending it; a killed worker's claim runs out.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # The message as last rendered, shown on the admins' outbox page when no mail server
    # is configured (set-password links are never kept).
    preview: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User] = relationship()


class NotificationPreference(db.Model):
    """Optional mails a person turned off; no row means everything on."""

    __tablename__ = "notification_preference"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    reminders: Mapped[bool] = mapped_column(default=True)
    digests: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
