"""The evaluation report's pages: per course family and per cohort, as a printable page and
as a PDF, for admins, coordinators (their institution's people) and a cohort's trainers.

Roles first (403), then the record: an unknown family or cohort is 404; a cohort the actor
may not see, or an institution filter outside their scope, is refused (403 and 404, as the
cohorts' pages and the people lists refuse them). The figures come from one query function
(``evaluation.evaluation_report``), which the page and the PDF both render.
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import select

from trainer.auth.models import Role
from trainer.auth.policy import can_see_institution, check, is_admin, is_coordinator, roles_required
from trainer.cohorts.models import Cohort
from trainer.cohorts.policy import can_see_cohort, is_cohort_trainer
from trainer.courses.models import Course
from trainer.courses.text import is_slug
from trainer.extensions import db
from trainer.reports import evaluation_labels as labels
from trainer.reports.evaluation import evaluation_report
from trainer.reports.evaluation_pdf import evaluation_pdf, number, percent
from trainer.reports.scope import ReportFilter

bp = Blueprint("evaluation", __name__, template_folder="templates")

MAX_ID = 2**31 - 1


def _institution_filter() -> int | None:
    """?institution=<id>, which must be one the actor sees (else 404: not theirs to know)."""
    raw = request.args.get("institution", "")
    if not raw:
        return None
    if not raw.isdecimal() or int(raw) > MAX_ID:
        abort(404)
    if not can_see_institution(current_user, int(raw)):
        abort(404)
    return int(raw)


def _family_report(family: str) -> tuple[ReportFilter, None]:
    check(is_admin(current_user) or is_coordinator(current_user))
    if (
        not is_slug(family)
        or len(family) > 80
        or db.session.scalar(select(Course.id).where(Course.family == family).limit(1)) is None
    ):
        abort(404)
    return ReportFilter(family, institution_id=_institution_filter()), None


def _cohort_report(cohort_id: int) -> tuple[ReportFilter, Cohort]:
    cohort = db.session.get(Cohort, cohort_id) if cohort_id <= MAX_ID else None
    if cohort is None:
        abort(404)
    if is_admin(current_user) or is_coordinator(current_user):
        check(can_see_cohort(current_user, cohort))
    else:
        check(is_cohort_trainer(current_user, cohort))
    return ReportFilter(
        cohort.family, cohort_id=cohort.id, institution_id=_institution_filter()
    ), cohort


def _render(report: ReportFilter, cohort: Cohort | None, as_pdf: bool):
    language = str(get_locale() or "en")
    found = evaluation_report(current_user, report, language=language, cohort=cohort)
    if as_pdf:
        response = Response(evaluation_pdf(found), mimetype="application/pdf")
        name = re.sub(
            r"[^a-z0-9-]+",
            "-",
            f"evaluation-{found.family}" + (f"-cohort-{cohort.id}" if cohort else ""),
        )
        response.headers["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        response.headers["Cache-Control"] = "private, no-store"
        return response
    # The PDF of the same report: only the filter the page understood travels to it.
    pdf_args = {"institution": report.institution_id} if report.institution_id else {}
    return render_template(
        "reports/evaluation.html",
        report=found,
        cohort=cohort,
        pdf_args=pdf_args,
        labels=labels,
        evaluation_number=number,
        evaluation_percent=percent,
    )


_STAFF = (Role.TRAINER, Role.COORDINATOR, Role.ADMIN)


@roles_required(*_STAFF)
def family_report(family: str):
    return _render(*_family_report(family), as_pdf=False)


@roles_required(*_STAFF)
def family_pdf(family: str):
    return _render(*_family_report(family), as_pdf=True)


@roles_required(*_STAFF)
def cohort_report(cohort_id: int):
    return _render(*_cohort_report(cohort_id), as_pdf=False)


@roles_required(*_STAFF)
def cohort_pdf(cohort_id: int):
    return _render(*_cohort_report(cohort_id), as_pdf=True)


_ROUTES = [
    ("/reports/evaluation/<family>", family_report),
    ("/reports/evaluation/<family>.pdf", family_pdf),
    ("/cohorts/<int:cohort_id>/evaluation", cohort_report),
    ("/cohorts/<int:cohort_id>/evaluation.pdf", cohort_pdf),
]
for _rule, _view in _ROUTES:
    bp.add_url_rule(_rule, view_func=_view, methods=["GET"])
