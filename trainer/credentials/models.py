"""Signed credentials: each certificate's Open Badges 3.0 credential, and the status lists
that revoke them.

A ``Credential`` is signed once, at issue (or when ``credentials sign`` catches up with
certificates issued before a key was configured) and at each reissue, and stored: the
download serves the stored text, never a fresh signature. A reissue revokes the old row and
adds a new one, so a certificate has one current credential (the newest) and perhaps older,
revoked ones.

Each credential has its own place in a status list: (status_list_id, status_index) is
unique, so two transactions can never hand out the same bit (the second INSERT fails and
picks another). A ``StatusList`` row keeps the list's signed credential, re-signed in the
transaction that flips one of its bits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.certificates.models import Certificate
from trainer.dbtypes import UTCDateTime, utcnow
from trainer.extensions import db

# The smallest list the Bitstring Status List specification allows (16 KB uncompressed).
STATUS_LIST_BITS = 131_072


class StatusList(db.Model):
    __tablename__ = "credential_status_list"
    __table_args__ = (
        CheckConstraint("purpose = 'revocation'", name="purpose_known"),
        CheckConstraint(f"size >= {STATUS_LIST_BITS}", name="size_at_least_minimum"),
    )

    # Part of the list's address (/credentials/status/<id>): never reused.
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    purpose: Mapped[str] = mapped_column(String(20), default="revocation")
    size: Mapped[int] = mapped_column(Integer, default=STATUS_LIST_BITS)
    # The signed BitstringStatusListCredential (a compact JWS); empty until first signed.
    jwt: Mapped[str] = mapped_column(Text, default="")
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Credential(db.Model):
    __tablename__ = "credential"
    __table_args__ = (
        UniqueConstraint("status_list_id", "status_index"),
        CheckConstraint("status_index >= 0", name="status_index_not_negative"),
        CheckConstraint(
            "revoked_at IS NULL OR revoked_reason IN ('revoked', 'reissued')",
            name="revocation_reason_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(
        ForeignKey("certificate.id", ondelete="CASCADE"), index=True
    )
    # The credential's id: urn:uuid:<uuid>.
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    status_list_id: Mapped[int] = mapped_column(
        ForeignKey("credential_status_list.id", ondelete="RESTRICT")
    )
    status_index: Mapped[int] = mapped_column(Integer)
    # The compact JWS (VC-JWT), as signed.
    jwt: Mapped[str] = mapped_column(Text)
    # The signing key's id (its JWK thumbprint URI), so a rotation can be traced.
    kid: Mapped[str] = mapped_column(String(300))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "revoked" (the certificate was revoked) or "reissued" (replaced by a newer one).
    revoked_reason: Mapped[str | None] = mapped_column(String(12))

    certificate: Mapped[Certificate] = relationship()

    def __repr__(self) -> str:
        return f"<Credential {self.uuid} list {self.status_list_id}#{self.status_index}>"
