"""Public verification, without logging in: ``/verify``, ``/verify/<code>`` and its JSON.

They say whether a certificate is valid, expired or revoked (with the date) and show the
holder's name, the course, the hours, the issue date and the issuer: nothing else personal.
Lookups are rate-limited per address (Flask-Limiter; Redis when REDIS_URL is set): a limit
generous enough for a whole workshop behind one address, set by CERTIFICATE_LOOKUP_LIMIT.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import force_locale, format_decimal
from flask_babel import gettext as _

from trainer.auth.services import programme_settings
from trainer.certificates import codes, services
from trainer.certificates.documents import verification_url
from trainer.certificates.forms import VerifyForm
from trainer.certificates.models import Certificate, CertificateStatus
from trainer.certificates.pdf import default_title
from trainer.certificates.snapshot import local_date
from trainer.dbtypes import utcnow
from trainer.extensions import limiter

bp = Blueprint("verify", __name__, template_folder="templates")


@bp.app_template_filter("hours")
def hours_filter(hours: float) -> str:
    """A number of hours in the reader's language: 12, 1.5 or 1,5."""
    return format_decimal(hours)


def lookup_limit() -> str:
    return current_app.config["CERTIFICATE_LOOKUP_LIMIT"]


# One budget per address for every way of looking a code up.
lookups = limiter.shared_limit(lookup_limit, scope="certificate-lookup")


@dataclass(frozen=True)
class Verdict:
    certificate: Certificate
    status: CertificateStatus
    revoked_on: date | None

    @property
    def title(self) -> str:
        """The title as printed: in the certificate's language."""
        with force_locale(self.certificate.language):
            return self.certificate.certificate_title or default_title(self.certificate.kind)


def verdict_of(certificate: Certificate) -> Verdict:
    """Valid, expired or revoked today, where the programme is."""
    timezone = programme_settings().default_timezone
    today = local_date(utcnow(), timezone)
    revoked_on = local_date(certificate.revoked_at, timezone) if certificate.revoked_at else None
    return Verdict(certificate, certificate.status_on(today), revoked_on)


def _no_store(response):
    # A revocation must show at once; names are nobody's to index.
    response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/verify")
def form():
    form = VerifyForm(formdata=request.args if "code" in request.args else None)
    if "code" in request.args and form.validate():
        code = codes.normalise(form.code.data)
        if code is not None:
            return redirect(url_for("verify.certificate", code=code))
        form.code.errors = [
            _(
                "This is not a certificate code: a code has 16 letters and digits, such as "
                "7KQM-T2XW-9HPD-C4RN."
            )
        ]
    return render_template("certificates/verify_form.html", form=form)


@bp.get("/verify/<code>")
@lookups
def certificate(code: str):
    found = services.find_by_code(code)
    if found is None:
        response = render_template(
            "certificates/verify_unknown.html", form=VerifyForm(data={"code": code[:64]})
        )
        return _no_store(current_app.make_response((response, 404)))
    if found.code != code:
        return redirect(url_for("verify.certificate", code=found.code))
    verdict = verdict_of(found)
    page = render_template(
        "certificates/verify.html", verdict=verdict, url=verification_url(found.code)
    )
    return _no_store(current_app.make_response(page))


@bp.get("/verify/<code>.json")
@lookups
def certificate_json(code: str):
    found = services.find_by_code(code)
    if found is None:
        body = {"error": "not_found", "message": _("No certificate has this code.")}
        return _no_store(current_app.make_response((jsonify(body), 404)))
    verdict = verdict_of(found)
    return _no_store(current_app.make_response(jsonify(as_json(verdict))))


def as_json(verdict: Verdict) -> dict:
    certificate = verdict.certificate
    return {
        "code": certificate.code,
        "status": verdict.status.value,
        "valid": verdict.status is CertificateStatus.VALID,
        "kind": certificate.kind,
        "holder": certificate.holder_name,
        "course": certificate.course_title,
        "title": verdict.title,
        "hours": certificate.hours,
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat() if certificate.expires_on else None,
        "revoked_on": verdict.revoked_on.isoformat() if verdict.revoked_on else None,
        "issuer": certificate.programme_name,
        "url": verification_url(certificate.code),
    }
