"""Certificates for bench-seed, as automatic issuance would have left them.

A completion certificate for every completed enrolment, dated the day it was completed, and
an attendance certificate for every member of a closed cohort whose attendance toward
completion met the course's threshold, dated the day the cohort closed, with the hours of
the sessions attended. Each has the snapshot ``trainer.certificates.snapshot`` freezes (the
same function the services call), a fresh verification code, and its audit entry
(``certificate.issue_automatic``: by nobody when the rules were met, by the cohort's
trainer who closed it). Written with Core inserts in bulk, ordered by the moment of issue,
never one service call per person.

Signed credentials only when a signing key is configured (CREDENTIALS_KEY or
CREDENTIALS_KEY_FILE): then ``credentials sign``'s backlog signs them all at the end.
Without one, certificates stay unsigned, as in a deployment without a key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import func, select

from trainer.auth.models import AuditEntry
from trainer.bench.cohorts import CohortFacts
from trainer.bench.rows import Person, Seeded, insert_rows
from trainer.certificates import codes
from trainer.certificates.models import Certificate, CertificateKind
from trainer.certificates.services import COHORT_CLOSED, RULES_MET
from trainer.certificates.snapshot import (
    Issuer,
    current_issuer,
    hours_of,
    issues_kind,
    local_date,
    snapshot,
)
from trainer.cohorts.models import AttendanceRecord
from trainer.courses.models import Course
from trainer.credentials import keys
from trainer.credentials.services import sign_backlog
from trainer.extensions import db

CODES_SHOWN = 5


@dataclass(frozen=True)
class Issued:
    """One certificate written: enough for its audit entry and its mail."""

    id: int
    user_id: int
    code: str
    issued_at: datetime


def certificates(
    seeded: Seeded,
    people: list[Person],
    cohorts: Sequence[CohortFacts],
    institution_names: dict[int, str],
    courses: Sequence[Course],
) -> list[Issued]:
    """Write the certificates and their audit entries; returns them, oldest first."""
    issuer = current_issuer()
    hours = hours_of(list(courses))
    pending: list[tuple[dict, int | None, int]] = []  # (row, actor id, institution id)
    for person in people:
        if person.completed_at is None or not issues_kind(
            person.course, CertificateKind.COMPLETION
        ):
            continue
        row = _row(
            CertificateKind.COMPLETION,
            person,
            institution_names,
            issuer,
            person.completed_at,
            hours[person.course.id],
        )
        row["enrolment_id"] = person.enrolment_id
        pending.append((row, None, person.institution_id))
    pending += _attendance_rows(cohorts, courses[0], institution_names, issuer)
    pending.sort(key=lambda item: (item[0]["issued_at"], item[0]["user_id"]))
    rows = [row for row, _actor, _institution in pending]
    ids = insert_rows(seeded, Certificate, rows, returning=Certificate.id)
    insert_rows(
        seeded,
        AuditEntry,
        (
            _audit(certificate_id, row, actor_id, institution_id)
            for certificate_id, (row, actor_id, institution_id) in zip(ids, pending, strict=True)
        ),
    )
    issued = [
        Issued(certificate_id, row["user_id"], row["code"], row["issued_at"])
        for certificate_id, (row, _a, _i) in zip(ids, pending, strict=True)
    ]
    seeded.attendance_by_cohort.update(
        row["cohort_id"] for row, _a, _i in pending if row["cohort_id"] is not None
    )
    seeded.codes = [item.code for item in issued[-CODES_SHOWN:]]
    if keys.signing_key() is not None:
        signed, _lists = sign_backlog()
        seeded.rows["credential"] += signed
    return issued


def _row(
    kind: CertificateKind,
    person: Person,
    institution_names: dict[int, str],
    issuer: Issuer,
    moment: datetime,
    hours: float | None,
) -> dict:
    holder = SimpleNamespace(
        id=person.user_id,
        full_name=person.full_name,
        institution=SimpleNamespace(name=institution_names[person.institution_id]),
    )
    values = snapshot(
        kind.value,
        holder,  # type: ignore[arg-type]  (the holder's columns, not a loaded User)
        person.course,
        issuer,
        issued_on=local_date(moment, issuer.timezone),
        hours=hours,
    )
    values.update(
        code=codes.new_code(),
        enrolment_id=None,
        cohort_id=None,
        issued_at=moment,
        issued_by_id=None,
        override_reason="",
        revoked_reason="",
    )
    return values


def _attendance_rows(
    cohorts: Sequence[CohortFacts],
    course: Course,
    institution_names: dict[int, str],
    issuer: Issuer,
) -> list[tuple[dict, int | None, int]]:
    """Members of closed cohorts of ``course`` who met its threshold (every session of a
    closed cohort is held; an unmarked one counts as absent, an excused one is left out).
    All sessions last as long, so the hours are the sessions attended times that."""
    marks = {
        user_id: (attended, excused)
        for user_id, attended, excused in db.session.execute(
            select(
                AttendanceRecord.user_id,
                func.count().filter(AttendanceRecord.status.in_(("present", "late"))),
                func.count().filter(AttendanceRecord.status == "excused"),
            ).group_by(AttendanceRecord.user_id)
        )
    }
    rows = []
    for cohort in cohorts:
        if cohort.state != "closed" or not cohort.members:
            continue
        required = _threshold(course)
        each = [(ends - starts).total_seconds() / 3600 for _id, starts, ends in cohort.sessions]
        for person in cohort.members:
            if not issues_kind(person.course, CertificateKind.ATTENDANCE):
                continue
            attended, excused = marks.get(person.user_id, (0, 0))
            expected = len(cohort.sessions) - excused
            rate = 100.0 * attended / expected if expected > 0 else 0.0
            if not (rate + 1e-9 >= required if required > 0 else rate > 0):
                continue
            hours = round(attended * each[0], 1) if each else None
            row = _row(
                CertificateKind.ATTENDANCE,
                person,
                institution_names,
                issuer,
                cohort.closed_at,
                hours,
            )
            row["cohort_id"] = cohort.id
            rows.append((row, cohort.trainer_id, person.institution_id))
    return rows


def _threshold(course: Course) -> float:
    version = course.current_version
    completion = (version.settings if version is not None else {}).get("completion") or {}
    return float(completion.get("attendance_percent") or 0)


def _audit(certificate_id: int, row: dict, actor_id: int | None, institution_id: int) -> dict:
    trigger = RULES_MET if row["kind"] == CertificateKind.COMPLETION.value else COHORT_CLOSED
    return {
        "created_at": row["issued_at"],
        "actor_id": actor_id,
        "action": "certificate.issue_automatic",
        "target_type": "certificate",
        "target_id": certificate_id,
        "institution_id": institution_id,
        "before": None,
        "after": {"code": row["code"], "course": row["course_title"], "trigger": trigger},
        "remote_addr": None,
        "summary": f"{row['code']} · {row['holder_name']} · {row['course_title']}",
    }
