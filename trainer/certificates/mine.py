"""A participant's certificates: the list, with each PDF and verification link."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from trainer.certificates import labels, policy
from trainer.certificates.documents import pdf_response, verification_url
from trainer.certificates.models import Certificate
from trainer.certificates.verify import verdict_of
from trainer.extensions import db


@login_required
def my_certificates():
    found = db.session.scalars(
        select(Certificate)
        .where(Certificate.user_id == current_user.id)
        .order_by(Certificate.issued_on.desc(), Certificate.id.desc())
    ).all()
    return render_template(
        "certificates/mine.html",
        verdicts=[verdict_of(certificate) for certificate in found],
        verification_url=verification_url,
        status_names=labels.status_names(),
    )


@login_required
def pdf(certificate_id: int):
    """Someone else's certificate is "not found", as if it did not exist."""
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or not policy.can_see(current_user, certificate):
        abort(404)
    return pdf_response(certificate)
