"""Certificates: what was certified, to whom, frozen at issue; then revoked or reissued.

A certificate keeps a snapshot of everything it shows (the holder's name, the course and
certificate titles, the hours, the dates, the programme, the institution, the signatories
and the logo's stored file with its hash), so a later edit of the course, of the programme
settings or of the person changes nothing already issued. Only a reissue (after a name
correction) refreshes the holder's name and institution, keeping the code.

The invariants live in the database, where two requests cannot both slip past them:

- one completion certificate per enrolment (a unique enrolment_id);
- one attendance certificate per participant and cohort (unique user_id, cohort_id);
- a completion certificate names its enrolment and no cohort, an attendance certificate
  names its cohort; codes are unique; a revoked certificate has a date and a reason.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.auth.models import User
from trainer.courses.models import Course
from trainer.dbtypes import UTCDateTime, one_of, utcnow
from trainer.extensions import db


class CertificateKind(enum.StrEnum):
    COMPLETION = "completion"
    ATTENDANCE = "attendance"


class CertificateStatus(enum.StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"


class Certificate(db.Model):
    __tablename__ = "certificate"
    __table_args__ = (
        CheckConstraint(one_of("kind", CertificateKind), name="kind_known"),
        CheckConstraint(
            "(kind = 'completion' AND enrolment_id IS NOT NULL AND cohort_id IS NULL) OR "
            "(kind = 'attendance' AND cohort_id IS NOT NULL AND enrolment_id IS NULL)",
            name="kind_names_its_source",
        ),
        CheckConstraint("revoked_at IS NULL OR revoked_reason <> ''", name="revocation_has_reason"),
        CheckConstraint("expires_on IS NULL OR expires_on >= issued_on", name="expires_after"),
        # One attendance certificate per participant and cohort (completion ones have none).
        UniqueConstraint("user_id", "cohort_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # What people type or scan to verify it: XXXX-XXXX-XXXX-XXXX (trainer.certificates.codes).
    code: Mapped[str] = mapped_column(String(24), unique=True)
    kind: Mapped[str] = mapped_column(String(12))
    # Indexed by the (user_id, cohort_id) unique constraint, whose first column it is.
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    # Completion: the enrolment completed. Unique: one completion certificate per enrolment.
    enrolment_id: Mapped[int | None] = mapped_column(
        ForeignKey("enrolment.id", ondelete="CASCADE"), unique=True
    )
    # Attendance: the cohort attended. Unique with the holder (below).
    cohort_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohort.id", ondelete="RESTRICT"), index=True
    )
    family: Mapped[str] = mapped_column(String(80), index=True)
    # The course (language) whose titles the certificate shows.
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="RESTRICT"), index=True)

    # The snapshot, frozen at issue.
    language: Mapped[str] = mapped_column(String(5))
    holder_name: Mapped[str] = mapped_column(String(200))
    institution_name: Mapped[str] = mapped_column(String(200), default="")
    course_title: Mapped[str] = mapped_column(String(300))
    # course.yml's certificate.title; empty means the default title of the kind.
    certificate_title: Mapped[str] = mapped_column(String(300), default="")
    hours: Mapped[float | None] = mapped_column(Float)
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    programme_name: Mapped[str] = mapped_column(String(200))
    # [{"name": ..., "role": ...}]: the course's signatories, else the programme's.
    signatories: Mapped[list] = mapped_column(JSON, default=list)
    # The programme's logo at issue; RESTRICT keeps the file while a certificate shows it.
    logo_file_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_file.id", ondelete="RESTRICT"), index=True
    )
    logo_sha256: Mapped[str | None] = mapped_column(String(64))

    # How it came to be and what happened since.
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # None: issued automatically (the rules were met, a cohort closed, or the backfill).
    issued_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # Why a coordinator issued it by hand (an override of the rules); empty otherwise.
    override_reason: Mapped[str] = mapped_column(Text, default="")
    reissued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str] = mapped_column(Text, default="")

    holder: Mapped[User] = relationship(foreign_keys=[user_id])
    course: Mapped[Course] = relationship()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def status_on(self, day: date) -> CertificateStatus:
        """Revoked, expired (the day after its last valid day) or valid."""
        if self.revoked_at is not None:
            return CertificateStatus.REVOKED
        if self.expires_on is not None and day > self.expires_on:
            return CertificateStatus.EXPIRED
        return CertificateStatus.VALID

    def __repr__(self) -> str:
        return f"<Certificate {self.code} {self.kind}>"
