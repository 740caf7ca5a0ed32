"""Attendance certificates, issued when a cohort closes.

Each active member whose attendance toward completion met the threshold gets one, when the
course's ``certificate.kinds`` lists ``attendance``. The threshold is the course's
``completion.attendance_percent``; a course that asks for none certifies the members who
attended at least one session. The hours are those of the sessions attended (present or
late). A fixed number of queries decides who gets one; each is then inserted in a savepoint
of its own, so that a second closing at the same moment skips what the first issued, and
their audit entries in one INSERT.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from trainer.auth.models import User
from trainer.certificates.models import Certificate, CertificateKind
from trainer.certificates.services import (
    BACKFILL,
    COHORT_CLOSED,
    add,
    audit_facts,
    record_automatic,
)
from trainer.certificates.snapshot import current_issuer, issues_kind, local_date, snapshot
from trainer.cohorts.models import (
    AttendanceRecord,
    Cohort,
    CohortMember,
    CohortState,
    TrainingSession,
)
from trainer.cohorts.sessions import attendance_toward_completion
from trainer.completion.attendance import ATTENDED
from trainer.dbtypes import utcnow
from trainer.extensions import db
from trainer.learning.models import Enrolment


def threshold(cohort: Cohort) -> float:
    version = cohort.course.current_version
    completion = (version.settings if version is not None else {}).get("completion") or {}
    return float(completion.get("attendance_percent") or 0)


def attended_hours(cohort: Cohort, user_ids: set[int]) -> dict[int, float]:
    """{user id: hours of the cohort's sessions they attended}, in one query."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(AttendanceRecord.user_id, TrainingSession.starts_at, TrainingSession.ends_at)
        .join(TrainingSession, TrainingSession.id == AttendanceRecord.session_id)
        .where(
            TrainingSession.cohort_id == cohort.id,
            TrainingSession.cancelled_at.is_(None),
            AttendanceRecord.user_id.in_(user_ids),
            AttendanceRecord.status.in_(ATTENDED),
        )
    )
    seconds: dict[int, float] = defaultdict(float)
    for user_id, starts_at, ends_at in rows:
        seconds[user_id] += (ends_at - starts_at).total_seconds()
    return {user_id: round(total / 3600, 1) for user_id, total in seconds.items()}


def issue_attendance_certificates(
    cohort: Cohort,
    *,
    now: datetime | None = None,
    actor: User | None = None,
    trigger: str = COHORT_CLOSED,
) -> list:
    """Attendance certificates for the cohort's members who met the threshold, with their
    audit entries (by ``actor``, who closed the cohort; ``trigger`` says why); idempotent
    (a member who has one keeps it). Flushes, never commits."""
    if not issues_kind(cohort.course, CertificateKind.ATTENDANCE):
        return []
    members = db.session.scalars(
        select(CohortMember)
        .options(joinedload(CohortMember.user))
        .where(CohortMember.cohort_id == cohort.id, CohortMember.left_at.is_(None))
    ).all()
    if not members:
        return []
    now = now or utcnow()
    rates = attendance_toward_completion({(m.user_id, cohort.family) for m in members}, now=now)
    required = threshold(cohort)
    eligible = [
        member
        for member in members
        if (rate := rates.get((member.user_id, cohort.family))) is not None
        and (rate + 1e-9 >= required if required > 0 else rate > 0)
    ]
    if not eligible:
        return []
    user_ids = {member.user_id for member in eligible}
    already = set(
        db.session.scalars(
            select(Certificate.user_id).where(
                Certificate.cohort_id == cohort.id, Certificate.user_id.in_(user_ids)
            )
        )
    )
    # Each participant's certificate in the language they follow the course in.
    courses = {
        enrolment.user_id: enrolment.course
        for enrolment in db.session.scalars(
            select(Enrolment)
            .options(joinedload(Enrolment.course))
            .where(Enrolment.user_id.in_(user_ids), Enrolment.family == cohort.family)
        )
    }
    hours = attended_hours(cohort, user_ids)
    issuer = current_issuer()
    issued_on = local_date(now, issuer.timezone)
    issued = []
    for member in eligible:
        if member.user_id in already:
            continue
        values = snapshot(
            CertificateKind.ATTENDANCE.value,
            member.user,
            courses.get(member.user_id, cohort.course),
            issuer,
            issued_on=issued_on,
            hours=hours.get(member.user_id),
        )
        values.update(cohort_id=cohort.id, issued_at=now)
        certificate = add(values)
        if certificate is not None:
            issued.append(certificate)
    institutions = {member.user_id: member.user.institution_id for member in eligible}
    record_automatic(actor, [audit_facts(c, institutions[c.user_id]) for c in issued], trigger)
    return issued


def backfill_attendance() -> int:
    """Attendance certificates of the cohorts closed before certificates existed, dated the
    day each closed; idempotent. Returns how many were issued."""
    closed = db.session.scalars(
        select(Cohort).where(Cohort.state == CohortState.CLOSED.value).order_by(Cohort.id)
    ).all()
    return sum(
        len(issue_attendance_certificates(c, now=c.closed_at, trigger=BACKFILL)) for c in closed
    )


def on_cohort_closed(cohort: Cohort, actor: User | None = None, **_extra) -> None:
    """``cohorts.signals.cohort_closed``: issue in the closing transaction, audited as set
    off by the person who closed it."""
    issue_attendance_certificates(cohort, actor=actor)
