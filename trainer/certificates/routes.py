"""The certificates blueprint: every logged-in address in one table (the public
verification pages are ``trainer.certificates.verify``); views in ``mine`` and ``manage``."""

from __future__ import annotations

from flask import Blueprint

from trainer.certificates import manage, mine

bp = Blueprint("certificates", __name__, template_folder="templates")

_ROUTES = [
    # The participant's own: "My certificates" and each PDF.
    ("/certificates", mine.my_certificates, ["GET"]),
    ("/certificates/<int:certificate_id>/pdf", mine.pdf, ["GET"]),
    # Coordinators and admins, for the people they see.
    ("/certificates/manage", manage.certificates, ["GET"]),
    ("/certificates/log", manage.log, ["GET"]),
    ("/certificates/<int:certificate_id>", manage.certificate, ["GET"]),
    ("/certificates/<int:certificate_id>/revoke", manage.revoke, ["POST"]),
    ("/certificates/<int:certificate_id>/reissue", manage.reissue, ["POST"]),
    ("/enrolments/<int:enrolment_id>/certificate", manage.issue, ["GET", "POST"]),
    ("/cohorts/<int:cohort_id>/certificates.zip", manage.cohort_zip, ["GET"]),
]
for _rule, _view, _methods in _ROUTES:
    bp.add_url_rule(_rule, view_func=_view, methods=_methods)
