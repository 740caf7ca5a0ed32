"""Coordinators' and admins' screens: certificates of the people they see, issuing by hand,
revoking, reissuing, the history, and a cohort's certificates as one zip.

Roles first (403), then the record: a certificate or enrolment of someone the actor does
not see is "not found" (404), as on the People screens.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import joinedload

from trainer.auth.audit import changes
from trainer.auth.models import AuditEntry, Role, User
from trainer.auth.policy import roles_required
from trainer.certificates import labels, policy, services
from trainer.certificates.documents import verification_url, zip_response
from trainer.certificates.forms import FindForm, IssueForm, ReissueForm, RevokeForm
from trainer.certificates.models import Certificate, CertificateKind
from trainer.certificates.verify import verdict_of
from trainer.cohorts.models import Cohort, CohortMember
from trainer.cohorts.policy import can_see_cohort
from trainer.extensions import db
from trainer.learning.models import Enrolment

PER_PAGE = 25
MAX_PAGE = 100_000  # a larger ?page= would overflow the SQL OFFSET
MAX_FOUND = 50  # enrolments offered for issuing by hand, per search
STAFF = (Role.COORDINATOR, Role.ADMIN)


def _page(statement: Select, per_page: int = PER_PAGE):
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def _search(statement: Select, term: str | None) -> Select:
    if not term:
        return statement
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return statement.where(
        or_(User.full_name.ilike(pattern, escape="\\"), User.email.ilike(pattern, escape="\\"))
    )


def _load(certificate_id: int) -> Certificate:
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or not policy.can_manage(current_user, certificate):
        abort(404)
    return certificate


@roles_required(*STAFF)
def certificates():
    form = FindForm(formdata=request.args)
    term = form.q.data if form.validate() else None
    statement = policy.scope_certificates(
        current_user, select(Certificate).join(User, Certificate.user_id == User.id)
    )
    statement = _search(statement, term).order_by(Certificate.issued_at.desc(), Certificate.id)
    without = []
    if term:
        # People to issue a certificate to by hand: their enrolments that have none.
        without = db.session.scalars(
            _search(
                policy.scope_certificates(
                    current_user,
                    select(Enrolment)
                    .join(User, Enrolment.user_id == User.id)
                    .outerjoin(Certificate, Certificate.enrolment_id == Enrolment.id)
                    .where(Certificate.id.is_(None))
                    .options(joinedload(Enrolment.course), joinedload(Enrolment.user)),
                ),
                term,
            )
            .order_by(User.full_name, Enrolment.id)
            .limit(MAX_FOUND)
        ).all()
    return render_template(
        "certificates/manage.html",
        form=form,
        page=_page(statement.options(joinedload(Certificate.holder))),
        filters={"q": term} if term else {},
        without=without,
        verdict_of=verdict_of,
        status_names=labels.status_names(),
        kind_names=labels.kind_names(),
    )


def _history(certificate: Certificate) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.target_type == "certificate", AuditEntry.target_id == certificate.id)
            .order_by(AuditEntry.created_at, AuditEntry.id)
        )
    )


@roles_required(*STAFF)
def certificate(certificate_id: int):
    found = _load(certificate_id)
    return _render_certificate(found, RevokeForm(prefix="revoke"), ReissueForm(prefix="reissue"))


def _render_certificate(found: Certificate, revoke_form, reissue_form, status: int = 200):
    return render_template(
        "certificates/certificate.html",
        certificate=found,
        verdict=verdict_of(found),
        url=verification_url(found.code),
        history=_history(found),
        changes=changes,
        revoke_form=revoke_form,
        reissue_form=reissue_form,
        status_names=labels.status_names(),
        kind_names=labels.kind_names(),
        actions=labels.action_names(),
        fields=labels.field_names(),
        triggers=labels.trigger_names(),
    ), status


def _act(certificate_id: int, which: str, action, done: str):
    found = _load(certificate_id)
    forms = {"revoke": RevokeForm(prefix="revoke"), "reissue": ReissueForm(prefix="reissue")}
    form = forms[which]
    if not form.validate_on_submit():
        return _render_certificate(found, forms["revoke"], forms["reissue"], status=422)
    try:
        action(current_user, found, form.reason.data)
    except services.CertificateError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for("certificates.certificate", certificate_id=found.id))


@roles_required(*STAFF)
def revoke(certificate_id: int):
    return _act(certificate_id, "revoke", services.revoke, _("Certificate revoked."))


@roles_required(*STAFF)
def reissue(certificate_id: int):
    return _act(
        certificate_id, "reissue", services.reissue, _("Certificate reissued with the same code.")
    )


@roles_required(*STAFF)
def issue(enrolment_id: int):
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None or not policy.can_issue(current_user, enrolment.user):
        abort(404)
    existing = services.completion_certificate(enrolment)
    if existing is not None:
        flash(_("This enrolment already has a certificate of completion."), "info")
        return redirect(url_for("certificates.certificate", certificate_id=existing.id))
    form = IssueForm()
    if form.validate_on_submit():
        try:
            issued = services.issue_manually(current_user, enrolment, form.reason.data)
        except services.CertificateError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Certificate issued."), "success")
            return redirect(url_for("certificates.certificate", certificate_id=issued.id))
    return render_template("certificates/issue.html", enrolment=enrolment, form=form)


@roles_required(*STAFF)
def log():
    statement = policy.scope_audit(
        current_user,
        select(AuditEntry)
        .where(AuditEntry.action.in_(list(labels.action_names())))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()),
    )
    return render_template(
        "certificates/log.html",
        page=_page(statement, per_page=50),
        changes=changes,
        actions=labels.action_names(),
        fields=labels.field_names(),
        triggers=labels.trigger_names(),
    )


@roles_required(*STAFF)
def cohort_zip(cohort_id: int):
    """The cohort's attendance certificates and its members' completion certificates that
    the actor manages, as one zip of PDFs."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or not can_see_cohort(current_user, cohort):
        abort(404)
    members = select(CohortMember.user_id).where(CohortMember.cohort_id == cohort.id)
    statement = policy.scope_certificates(
        current_user,
        select(Certificate)
        .join(User, Certificate.user_id == User.id)
        .where(
            or_(
                Certificate.cohort_id == cohort.id,
                and_(
                    Certificate.kind == CertificateKind.COMPLETION.value,
                    Certificate.family == cohort.family,
                    Certificate.user_id.in_(members),
                ),
            )
        )
        .order_by(Certificate.holder_name, Certificate.id),
    )
    found = db.session.scalars(statement).all()
    if not found:
        flash(_("No certificate of this cohort is yours to download yet."), "info")
        return redirect(url_for("certificates.certificates"))
    return zip_response(found, f"certificates-cohort-{cohort.id}.zip")
