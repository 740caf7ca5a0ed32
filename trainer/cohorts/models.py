"""Cohorts: one delivery of a course family to a group, its training sessions and attendance.

A cohort delivers a course *family* (a course and its translations, as enrolments do), so
participants following the Spanish or the English course attend the same workshops. The
invariants live here, in the database, where two requests cannot both slip past them:

- a participant is an active member (``left_at IS NULL``) of at most one cohort per family:
  members carry the cohort's family, kept equal to it by a composite foreign key, and a
  partial unique index on (user, family) allows one open membership;
- one attendance record per session and participant;
- sessions end after they start, cohorts after they begin, and only known states, statuses
  and methods are stored.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.auth.models import Institution, User
from trainer.courses.models import Course
from trainer.dbtypes import UTCDateTime, one_of, utcnow
from trainer.extensions import db


class CohortState(enum.StrEnum):
    PLANNED = "planned"
    RUNNING = "running"
    CLOSED = "closed"


class AttendanceStatus(enum.StrEnum):
    PRESENT = "present"
    LATE = "late"
    EXCUSED = "excused"
    ABSENT = "absent"


class AttendanceMethod(enum.StrEnum):
    ROSTER = "roster"
    QR = "qr"
    SHEET = "sheet"


class Cohort(db.Model):
    __tablename__ = "cohort"
    __table_args__ = (
        # The target of CohortMember's (cohort_id, family) foreign key.
        UniqueConstraint("id", "family"),
        CheckConstraint(one_of("state", CohortState), name="state_known"),
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        CheckConstraint("state <> 'closed' OR closed_at IS NOT NULL", name="closed_has_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The course the cohort was created for; its family is what members are enrolled in.
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="RESTRICT"), index=True)
    family: Mapped[str] = mapped_column(String(80), index=True)
    name: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    # An IANA zone name: sessions are entered and shown in it, stored in UTC.
    timezone: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(10), default=CohortState.PLANNED.value)
    # Open to every institution; otherwise only to those listed in cohort_institution.
    is_open_to_all: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    course: Mapped[Course] = relationship()
    institutions: Mapped[list[Institution]] = relationship(
        secondary="cohort_institution", order_by="Institution.name"
    )
    trainers: Mapped[list[User]] = relationship(
        secondary="cohort_trainer", order_by="User.full_name"
    )

    @property
    def is_closed(self) -> bool:
        return self.state == CohortState.CLOSED.value

    def __repr__(self) -> str:
        return f"<Cohort {self.id} {self.name!r}>"


class CohortInstitution(db.Model):
    """An institution whose participants may be added to the cohort."""

    __tablename__ = "cohort_institution"

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True
    )
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institution.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class CohortTrainer(db.Model):
    """A trainer who runs the cohort's sessions and takes its attendance."""

    __tablename__ = "cohort_trainer"

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CohortMember(db.Model):
    """A participant's membership of a cohort, from joining until leaving (or moving)."""

    __tablename__ = "cohort_member"
    __table_args__ = (
        ForeignKeyConstraint(
            ["cohort_id", "family"],
            ["cohort.id", "cohort.family"],
            name="fk_cohort_member_cohort_id_cohort",
            ondelete="CASCADE",
        ),
        CheckConstraint("left_at IS NULL OR left_at >= joined_at", name="leaves_after_joining"),
        Index(
            "ix_cohort_member_one_active_per_family",
            "user_id",
            "family",
            unique=True,
            sqlite_where=text("left_at IS NULL"),
            postgresql_where=text("left_at IS NULL"),
        ),
        Index("ix_cohort_member_cohort_id", "cohort_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int]
    # Always the cohort's family (the composite foreign key sees to it).
    family: Mapped[str] = mapped_column(String(80))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    added_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    cohort: Mapped[Cohort] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def is_active(self) -> bool:
        return self.left_at is None


class TrainingSession(db.Model):
    """A workshop day or live online session of a cohort; times are stored in UTC."""

    __tablename__ = "training_session"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    # A cancelled session counts for nobody; it stays listed so people see it was called off.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    cohort: Mapped[Cohort] = relationship()

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class AttendanceRecord(db.Model):
    """A participant's status at one session, with who recorded it, when and how."""

    __tablename__ = "attendance_record"
    __table_args__ = (
        UniqueConstraint("session_id", "user_id"),
        CheckConstraint(one_of("status", AttendanceStatus), name="status_known"),
        CheckConstraint(one_of("method", AttendanceMethod), name="method_known"),
        # A person's marks, read by the reports from this index alone (index-only scan).
        Index("ix_attendance_record_user_id", "user_id", "session_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_session.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10))
    method: Mapped[str] = mapped_column(String(10))
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[TrainingSession] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
