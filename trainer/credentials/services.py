"""Signing certificates as Open Badges 3.0 credentials, and revoking them.

Called through ``trainer.certificates.signals`` inside the transaction that issued, revoked
or reissued the certificate: the credential rows and the re-signed status list are
committed, or rolled back, with it. Functions flush (plain SQL statements: the issue signal
may come from a ``before_flush`` hook), never commit.

Without a signing key nothing is signed and nothing fails: certificates are issued as
before, and ``credentials sign`` catches up once a key is configured.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable
from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import exists, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from trainer.auth.models import User
from trainer.auth.services import programme_settings
from trainer.certificates.models import Certificate, CertificateKind
from trainer.certificates.pdf import default_title, hours_text
from trainer.credentials import document, keys, signing, status
from trainer.credentials.models import Credential
from trainer.dbtypes import utcnow
from trainer.extensions import db

certificates = Certificate.__table__
credentials = Credential.__table__
# Draws of a fresh index when another transaction took the same one at the same moment.
ATTEMPTS = 5
# Certificates signed per batch by ``sign_backlog``: bounded IN lists and memory.
BATCH = 500


def base_url() -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def achievement_id(family: str, kind: str) -> str:
    """One Achievement per course family and kind of certificate, stable across versions."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{base_url()}/courses/{family}#{kind}')}"


def _texts(row) -> dict:
    """Title, description and criteria in the certificate's language."""
    with force_locale(row.language):
        title = row.certificate_title or default_title(row.kind)
        hours = hours_text(row.hours)
        if row.kind == CertificateKind.ATTENDANCE.value:
            criteria = _(
                "Attended the sessions of the course %(course)s as its attendance rules require.",
                course=row.course_title,
            )
        else:
            criteria = _(
                "Met every completion requirement of the course %(course)s.",
                course=row.course_title,
            )
        description = f"{row.course_title} · {hours}" if hours else row.course_title
    return {"title": title, "criteria": criteria, "description": description}


def _facts(row, *, list_id: int, index: int, timezone: str) -> document.Facts:
    texts = _texts(row)
    return document.Facts(
        credential_uuid=str(uuid.uuid4()),
        subject_uuid=str(uuid.uuid4()),
        issuer_id=keys.issuer_id(),
        issuer_name=row.programme_name,
        issuer_url=base_url() + "/",
        achievement_id=achievement_id(row.family, row.kind),
        achievement_type=(
            "Certificate"
            if row.kind == CertificateKind.ATTENDANCE.value
            else "CertificateOfCompletion"
        ),
        title=texts["title"],
        description=texts["description"],
        criteria=texts["criteria"],
        course_title=row.course_title,
        language=row.language,
        holder_name=row.holder_name,
        email=row.email,
        salt=secrets.token_hex(16),
        hours=row.hours,
        issued_on=row.issued_on,
        expires_on=row.expires_on,
        timezone=timezone,
        status_list_url=status.list_url(list_id),
        status_index=index,
    )


def _unsigned(certificate_ids: Iterable[int]):
    """The certificates among these, not revoked, without a current credential, with what
    the credential says about them (columns only: no ORM objects mid-flush)."""
    current = exists().where(
        credentials.c.certificate_id == certificates.c.id, credentials.c.revoked_at.is_(None)
    )
    return db.session.execute(
        select(
            certificates.c.id,
            certificates.c.kind,
            certificates.c.family,
            certificates.c.language,
            certificates.c.holder_name,
            certificates.c.course_title,
            certificates.c.certificate_title,
            certificates.c.hours,
            certificates.c.issued_on,
            certificates.c.expires_on,
            certificates.c.programme_name,
            User.__table__.c.email,
        )
        .join(User.__table__, User.__table__.c.id == certificates.c.user_id)
        .where(
            certificates.c.id.in_(list(certificate_ids)),
            certificates.c.revoked_at.is_(None),
            ~current,
        )
        .order_by(certificates.c.id)
    ).all()


def sign_certificates(certificate_ids: Iterable[int], *, now: datetime | None = None) -> int:
    """Sign and store a credential for each of these certificates that has none (revoked
    ones get none); returns how many were signed. Idempotent. A fixed number of queries for
    the batch, plus one more round should another transaction take the same index."""
    key = keys.signing_key()
    ids = list(certificate_ids)
    if key is None or not ids:
        return 0
    rows = _unsigned(ids)
    if not rows:
        return 0
    timezone = programme_settings().default_timezone
    now = now or utcnow()
    for _attempt in range(ATTEMPTS):
        list_id, size = status.open_list(len(rows))
        indexes = status.draw(list_id, size, len(rows))
        values = []
        for row, index in zip(rows, indexes, strict=True):
            facts = _facts(row, list_id=list_id, index=index, timezone=timezone)
            claims = document.jwt_claims(document.open_badge_credential(facts))
            values.append(
                {
                    "certificate_id": row.id,
                    "uuid": facts.credential_uuid,
                    "status_list_id": list_id,
                    "status_index": index,
                    "jwt": signing.sign(claims, key),
                    "kid": key.kid,
                    "signed_at": now,
                }
            )
        try:
            with db.session.connection().begin_nested():
                db.session.execute(insert(credentials), values)
        except IntegrityError:
            continue  # an index was taken meanwhile: draw again
        return len(values)
    raise RuntimeError("no free status list index after several draws")


def revoke_credentials(certificate_id: int, reason: str, *, now: datetime | None = None) -> int:
    """Revoke the certificate's current credential(s) and re-sign their status lists, in
    this transaction. Returns how many were revoked."""
    now = now or utcnow()
    current = db.session.execute(
        select(credentials.c.id, credentials.c.status_list_id).where(
            credentials.c.certificate_id == certificate_id, credentials.c.revoked_at.is_(None)
        )
    ).all()
    if not current:
        return 0
    db.session.execute(
        update(credentials)
        .where(credentials.c.id.in_([row.id for row in current]))
        .values(revoked_at=now, revoked_reason=reason)
    )
    for list_id in sorted({row.status_list_id for row in current}):
        if not status.resign(list_id, now=now):
            current_app.logger.warning(
                "Credential of certificate %s revoked while no signing key is configured: "
                "status list %s is signed again by `flask credentials sign`.",
                certificate_id,
                list_id,
            )
    return len(current)


def on_certificates_issued(_sender, ids: list[int], **_extra) -> None:
    sign_certificates(ids)


def on_certificate_revoked(certificate: Certificate, **_extra) -> None:
    revoke_credentials(certificate.id, "revoked")


def on_certificate_reissued(certificate: Certificate, **_extra) -> None:
    """The old credential (with the old name) is revoked; a new one, at a new index, says
    what the certificate says now."""
    revoke_credentials(certificate.id, "reissued")
    sign_certificates([certificate.id])


def sign_backlog() -> tuple[int, int]:
    """Sign the certificates issued before a key was configured (or while it was missing),
    and re-sign lists revoked from meanwhile. Idempotent: returns (credentials signed,
    lists re-signed), both 0 on a second run."""
    if keys.signing_key() is None:
        return 0, 0
    current = exists().where(
        credentials.c.certificate_id == certificates.c.id, credentials.c.revoked_at.is_(None)
    )
    ids = list(
        db.session.scalars(
            select(certificates.c.id)
            .where(certificates.c.revoked_at.is_(None), ~current)
            .order_by(certificates.c.id)
        )
    )
    signed = sum(sign_certificates(ids[i : i + BATCH]) for i in range(0, len(ids), BATCH))
    stale = status.stale_lists()
    for list_id in stale:
        status.resign(list_id)
    return signed, len(stale)


def current_credential(certificate_id: int) -> Credential | None:
    """The certificate's credential in force: the newest, unless revoked."""
    return db.session.scalar(
        select(Credential)
        .where(Credential.certificate_id == certificate_id, Credential.revoked_at.is_(None))
        .order_by(Credential.id.desc())
        .limit(1)
    )


def counts() -> dict:
    """For the administration page."""
    return {
        "signed": db.session.scalar(
            select(func.count()).select_from(credentials).where(credentials.c.revoked_at.is_(None))
        ),
        "unsigned": db.session.scalar(
            select(func.count())
            .select_from(certificates)
            .where(
                certificates.c.revoked_at.is_(None),
                ~exists().where(
                    credentials.c.certificate_id == certificates.c.id,
                    credentials.c.revoked_at.is_(None),
                ),
            )
        ),
        "stale_lists": len(status.stale_lists()),
    }
