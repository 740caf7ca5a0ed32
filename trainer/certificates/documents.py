"""PDF and zip downloads, made on request from the certificates' snapshots."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence

from flask import Response, current_app
from sqlalchemy import select

from trainer.certificates.models import Certificate
from trainer.certificates.pdf import certificate_pdf
from trainer.extensions import db
from trainer.storage.models import StoredFile

ZIP_DATE = (2000, 1, 1, 0, 0, 0)  # fixed entry dates: the same certificates, the same zip


def verification_url(code: str) -> str:
    """The public address printed on the certificate and in its QR code."""
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/verify/{code}"


def logos(certificates: Sequence[Certificate]) -> dict[int, bytes]:
    """{stored file id: bytes} of the logos the certificates show, in one query."""
    ids = {c.logo_file_id for c in certificates if c.logo_file_id is not None}
    if not ids:
        return {}
    rows = db.session.execute(select(StoredFile.id, StoredFile.data).where(StoredFile.id.in_(ids)))
    return {file_id: data for file_id, data in rows}


def pdf_of(certificate: Certificate, found_logos: dict[int, bytes] | None = None) -> bytes:
    found_logos = logos([certificate]) if found_logos is None else found_logos
    logo = found_logos.get(certificate.logo_file_id) if certificate.logo_file_id else None
    return certificate_pdf(certificate, verification_url(certificate.code), logo)


def file_name(certificate: Certificate) -> str:
    """ASCII, so every zip tool and browser keeps it: "nusta-quishpe-andres-7KQM-....pdf"."""
    ascii_name = (
        unicodedata.normalize("NFKD", certificate.holder_name).encode("ascii", "ignore").decode()
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or "certificate"
    return f"{slug}-{certificate.code}.pdf"


def pdf_response(certificate: Certificate) -> Response:
    response = Response(pdf_of(certificate), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{file_name(certificate)}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def zip_response(certificates: Sequence[Certificate], name: str) -> Response:
    found_logos = logos(certificates)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            entry = zipfile.ZipInfo(file_name(certificate), date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, pdf_of(certificate, found_logos))
    response = Response(buffer.getvalue(), mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
