"""Issuing, revoking and reissuing certificates.

Functions flush and never commit: the view or command that calls them commits once, so a
certificate is committed, or rolled back, with the completion or the closing that earned it.
Coordinator actions take the actor, check it with ``trainer.certificates.policy`` and write
the audit log in the same transaction. Automatic issuance (the rules met, a cohort closed,
the backfill) writes the audit log too, as ``certificate.issue_automatic`` with why
(``trigger``): by nobody when the rules were met or on the command line, by the person who
closed the cohort for attendance certificates.

Completion certificates set off by ``learning.signals.enrolment_completed`` are queued on the
session and inserted in bulk as it flushes (``take_snapshots``), so judging a thousand
enrolments issues their certificates (and their audit entries) in a fixed number of queries.

Uniqueness is the database's: of two requests issuing the same certificate at once, the
second's INSERT fails on the unique index (inside a savepoint where one is used, and the
first's certificate is returned), or, for the bulk insert of completions, skips the rows
that conflict (INSERT ... ON CONFLICT DO NOTHING), so that the participant whose step
completed the course never gets an error because a coordinator issued the certificate by
hand a moment before.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from trainer.auth import audit
from trainer.auth.models import User
from trainer.certificates import codes, policy
from trainer.certificates.models import Certificate, CertificateKind
from trainer.certificates.signals import (
    certificate_reissued,
    certificate_revoked,
    certificates_issued,
)
from trainer.certificates.snapshot import (
    Issuer,
    course_hours,
    current_issuer,
    hours_of,
    issues_kind,
    local_date,
    snapshot,
)
from trainer.courses.models import Course
from trainer.dbtypes import utcnow
from trainer.extensions import db
from trainer.learning.models import Enrolment

MAX_REASON = 1000
# Why a certificate was issued without anyone issuing it (the audit log's "trigger").
RULES_MET = "rules_met"
COHORT_CLOSED = "cohort_closed"
BACKFILL = "backfill"
# Enrolments issued per batch by the backfill: bounded IN lists, bounded memory.
BATCH = 500


class CertificateError(ValueError):
    """A certificate action that cannot be carried out; the message says why."""


def find_by_code(text: str | None) -> Certificate | None:
    """The certificate with this code, however it was typed; None for no (possible) code."""
    code = codes.normalise(text)
    if code is None:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == code))


def completion_certificate(enrolment: Enrolment) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.enrolment_id == enrolment.id))


def add(values: dict) -> Certificate | None:
    """Insert a certificate with a fresh code; None when the database already holds the one
    it would duplicate (another request issued it a moment ago)."""
    certificate = Certificate(code=codes.new_code(), **values)
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
    except IntegrityError:
        return None
    certificates_issued.send(None, ids=[certificate.id])
    return certificate


def issue_completion(
    enrolment: Enrolment,
    *,
    issuer: Issuer | None = None,
    now: datetime | None = None,
    trigger: str = RULES_MET,
) -> Certificate | None:
    """The completion certificate of a completed enrolment, when its course issues them,
    with its audit entry (``trigger`` says why).

    Idempotent: an enrolment that has one keeps it. Dated the day the enrolment was
    completed (so the backfill dates old completions truly). Flushes, never commits.
    """
    course = enrolment.course
    if enrolment.completed_at is None or not issues_kind(course, CertificateKind.COMPLETION):
        return None
    existing = completion_certificate(enrolment)
    if existing is not None:
        return existing
    issuer = issuer or current_issuer()
    values = snapshot(
        CertificateKind.COMPLETION.value,
        enrolment.user,
        course,
        issuer,
        issued_on=local_date(enrolment.completed_at, issuer.timezone),
        hours=course_hours(course),
    )
    values.update(enrolment_id=enrolment.id, issued_at=now or utcnow())
    certificate = add(values)
    if certificate is None:
        return completion_certificate(enrolment)
    record_automatic(None, [audit_facts(certificate, enrolment.user.institution_id)], trigger)
    return certificate


def audit_facts(certificate: Certificate, institution_id: int | None) -> tuple:
    """What ``record_automatic`` records of one certificate."""
    return (
        certificate.id,
        institution_id,
        certificate.code,
        certificate.holder_name,
        certificate.course_title,
    )


def on_enrolment_completed(enrolment: Enrolment, **_extra) -> None:
    """``learning.signals.enrolment_completed``: the certificate joins the completing
    transaction at once, as a pending row; ``take_snapshots`` fills in its snapshot as the
    session flushes (at the latest when the view commits), for every certificate pending at
    once, in a fixed number of queries: a new course version may complete a thousand
    enrolments in one request. No SQL here."""
    if enrolment.completed_at is None or not issues_kind(
        enrolment.course, CertificateKind.COMPLETION
    ):
        return
    db.session.add(
        Certificate(
            code=codes.new_code(),
            kind=CertificateKind.COMPLETION.value,
            enrolment_id=enrolment.id,
            user_id=enrolment.user_id,
            family=enrolment.family,
            course_id=enrolment.course_id,
            issued_at=utcnow(),
        )
    )


def take_snapshots(session: Session, _context, _instances) -> None:
    """Before a flush: issue the completion certificates queued by ``on_enrolment_completed``
    (pending rows without a holder's name yet) with their snapshot, in one multi-row INSERT,
    skipping enrolments that got a certificate meanwhile (issued by hand). Five queries,
    however many are queued.

    Two transactions never queue the same enrolment (learning announces each completion
    once); but a coordinator may issue one by hand between the check and the INSERT, or in a
    transaction not committed yet: the INSERT skips the rows whose enrolment has one by then
    (ON CONFLICT DO NOTHING, which on PostgreSQL waits for the other transaction), so the
    completing request succeeds and the enrolment keeps exactly one certificate. Each row
    inserted gets its audit entry, in one more INSERT.
    """
    queued: dict[int, Certificate] = {}
    for certificate in list(session.new):
        if isinstance(certificate, Certificate) and certificate.holder_name is None:
            queued.setdefault(certificate.enrolment_id, certificate)
            session.expunge(certificate)  # stored below, in bulk
    if not queued:
        return
    issued = session.scalars(
        select(Certificate.enrolment_id).where(Certificate.enrolment_id.in_(list(queued)))
    )
    for enrolment_id in issued:
        del queued[enrolment_id]
    enrolments = session.scalars(
        select(Enrolment)
        .options(
            joinedload(Enrolment.user),
            joinedload(Enrolment.course).joinedload(Course.current_version),
        )
        .where(Enrolment.id.in_(list(queued)))
    ).all()
    if not enrolments:
        return
    hours = hours_of([enrolment.course for enrolment in enrolments])
    issuer = current_issuer()
    rows = []
    for enrolment in enrolments:
        values = snapshot(
            CertificateKind.COMPLETION.value,
            enrolment.user,
            enrolment.course,
            issuer,
            issued_on=local_date(enrolment.completed_at or utcnow(), issuer.timezone),
            hours=hours[enrolment.course_id],
        )
        certificate = queued[enrolment.id]
        values.update(
            code=certificate.code,
            enrolment_id=enrolment.id,
            issued_at=certificate.issued_at,
            override_reason="",
            revoked_reason="",
        )
        rows.append(values)
    table = Certificate.__table__
    statement = insert_skipping(session, table, "enrolment_id").returning(
        table.c.id, table.c.enrolment_id
    )
    inserted = {row.id: row.enrolment_id for row in session.execute(statement, rows)}
    by_enrolment = {row["enrolment_id"]: row for row in rows}
    holders = {enrolment.id: enrolment.user.institution_id for enrolment in enrolments}
    issued = []
    for certificate_id, enrolment_id in sorted(inserted.items()):
        row = by_enrolment[enrolment_id]
        issued.append(
            (
                certificate_id,
                holders[enrolment_id],
                row["code"],
                row["holder_name"],
                row["course_title"],
            )
        )
    record_automatic(None, issued, RULES_MET)
    certificates_issued.send(None, ids=sorted(inserted))


def insert_skipping(session: Session, table: Table, column: str):
    """INSERT into ``table`` that skips a row whose ``column`` (unique) is taken, on SQLite
    and on PostgreSQL (ON CONFLICT (column) DO NOTHING)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table).on_conflict_do_nothing(index_elements=[column])


def record_automatic(actor: User | None, issued: list[tuple], trigger: str) -> None:
    """Audit entries for certificates issued without anyone issuing them by hand: one
    INSERT for all of ``issued``, each (certificate id, holder's institution id, code,
    holder's name, course title). ``actor`` is who set it off, when someone did (a cohort's
    closing)."""
    audit.record_many(
        actor,
        "certificate.issue_automatic",
        "certificate",
        [
            {
                "target_id": certificate_id,
                "institution_id": institution_id,
                "summary": f"{code} · {holder_name} · {course_title}",
                "after": {"code": code, "course": course_title, "trigger": trigger},
            }
            for certificate_id, institution_id, code, holder_name, course_title in issued
        ],
    )


def _reason(text: str) -> str:
    reason = " ".join((text or "").split())
    if not reason:
        raise CertificateError(_("Give the reason; it is kept in the audit log."))
    if len(reason) > MAX_REASON:
        raise CertificateError(
            _("The reason is too long: %(max)d characters at most.", max=MAX_REASON)
        )
    return reason


def _record(actor: User, action: str, certificate: Certificate, before, after) -> None:
    audit.record(
        actor,
        action,
        certificate,  # type: ignore[arg-type]  (any row with a __tablename__)
        before,
        after,
        f"{certificate.code} · {certificate.holder_name} · {certificate.course_title}",
        institution_id=certificate.holder.institution_id,
    )


def issue_manually(
    actor: User, enrolment: Enrolment, reason: str, *, now: datetime | None = None
) -> Certificate:
    """A completion certificate issued by a coordinator whatever the rules say (an override),
    dated today, with the reason in the certificate and in the audit log."""
    if not policy.can_issue(actor, enrolment.user):
        raise CertificateError(_("You are not allowed to issue certificates to this person."))
    reason = _reason(reason)
    if completion_certificate(enrolment) is not None:
        raise CertificateError(_("This enrolment already has a certificate of completion."))
    now = now or utcnow()
    issuer = current_issuer()
    values = snapshot(
        CertificateKind.COMPLETION.value,
        enrolment.user,
        enrolment.course,
        issuer,
        issued_on=local_date(now, issuer.timezone),
        hours=course_hours(enrolment.course),
    )
    values.update(
        enrolment_id=enrolment.id, issued_at=now, issued_by_id=actor.id, override_reason=reason
    )
    certificate = add(values)
    if certificate is None:
        raise CertificateError(_("This enrolment already has a certificate of completion."))
    _record(
        actor,
        "certificate.issue",
        certificate,
        None,
        {"code": certificate.code, "course": certificate.course_title, "reason": reason},
    )
    return certificate


def revoke(
    actor: User, certificate: Certificate, reason: str, *, now: datetime | None = None
) -> Certificate:
    """Revoke the certificate: verification then says revoked, with the date. Final."""
    if not policy.can_manage(actor, certificate):
        raise CertificateError(_("You are not allowed to revoke this certificate."))
    reason = _reason(reason)
    if certificate.is_revoked:
        raise CertificateError(_("This certificate was already revoked."))
    certificate.revoked_at = now or utcnow()
    certificate.revoked_reason = reason
    db.session.flush()
    _record(actor, "certificate.revoke", certificate, None, {"reason": reason})
    certificate_revoked.send(certificate)
    return certificate


def reissue(
    actor: User, certificate: Certificate, reason: str, *, now: datetime | None = None
) -> Certificate:
    """Print the holder's name and institution as they stand now (after a correction),
    keeping the code, the dates and everything else; the old values go to the audit log."""
    if not policy.can_manage(actor, certificate):
        raise CertificateError(_("You are not allowed to reissue this certificate."))
    reason = _reason(reason)
    if certificate.is_revoked:
        raise CertificateError(_("A revoked certificate cannot be reissued."))
    holder = certificate.holder
    before = {
        "holder_name": certificate.holder_name,
        "institution_name": certificate.institution_name,
    }
    certificate.holder_name = holder.full_name
    certificate.institution_name = holder.institution.name if holder.institution else ""
    certificate.reissued_at = now or utcnow()
    db.session.flush()
    after = {
        "holder_name": certificate.holder_name,
        "institution_name": certificate.institution_name,
    }
    old, new = audit.changed(before, after)
    _record(actor, "certificate.reissue", certificate, old, {**new, "reason": reason})
    certificate_reissued.send(certificate)
    return certificate


def backfill(*, now: datetime | None = None) -> int:
    """Issue the completion certificates of enrolments completed before certificates
    existed (withdrawn since or not: they earned it); returns how many were issued.

    Idempotent: an enrolment with a certificate is skipped, so a second run issues none.
    Flushes, never commits; the command commits.
    """
    ids = list(
        db.session.scalars(
            select(Enrolment.id)
            .outerjoin(Certificate, Certificate.enrolment_id == Enrolment.id)
            .where(
                Enrolment.completed_at.is_not(None),
                Certificate.id.is_(None),
            )
            .order_by(Enrolment.id)
        )
    )
    issued = 0
    issuer = current_issuer()
    for start in range(0, len(ids), BATCH):
        batch = db.session.scalars(
            select(Enrolment).where(Enrolment.id.in_(ids[start : start + BATCH]))
        ).all()
        for enrolment in batch:
            certificate = issue_completion(enrolment, issuer=issuer, now=now, trigger=BACKFILL)
            if certificate is not None:
                issued += 1
    return issued
