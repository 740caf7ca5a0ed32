"""Institutions: list, create, edit, deactivate and reactivate (admins)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from trainer.admin import labels
from trainer.admin.common import actor, show_error
from trainer.admin.forms import InstitutionForm
from trainer.auth import institutions as institution_services
from trainer.auth import services
from trainer.auth.models import Institution, Role, User
from trainer.auth.policy import can_manage_accounts, check, roles_required, scope_people
from trainer.extensions import db


@roles_required(Role.ADMIN)
def institutions():
    check(can_manage_accounts(actor()))
    rows = db.session.scalars(
        select(Institution).order_by(Institution.is_active.desc(), Institution.name)
    ).all()
    people = dict(
        db.session.execute(
            scope_people(
                actor(), select(User.institution_id, func.count()).group_by(User.institution_id)
            )
        ).all()
    )
    return render_template(
        "admin/institutions.html",
        institutions=rows,
        people=people,
        kinds=labels.kind_names(),
        countries=labels.country_names(),
    )


@roles_required(Role.ADMIN)
def new_institution():
    check(can_manage_accounts(actor()))
    form = InstitutionForm()
    if form.validate_on_submit():
        try:
            institution = institution_services.create_institution(actor(), **_fields(form))
        except services.AccountError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Institution “%(name)s” created.", name=institution.name), "success")
            return redirect(url_for("admin.institutions"))
    return render_template("admin/institution_form.html", form=form, institution=None)


@roles_required(Role.ADMIN)
def edit_institution(institution_id: int):
    institution = db.get_or_404(Institution, institution_id)
    check(can_manage_accounts(actor()))
    form = InstitutionForm(obj=institution)
    if form.validate_on_submit():
        try:
            changed = institution_services.update_institution(actor(), institution, **_fields(form))
        except services.AccountError as error:
            show_error(form, error)
        else:
            db.session.commit()
            message = _("Institution saved.") if changed else _("Nothing was changed.")
            flash(message, "success" if changed else "info")
            return redirect(url_for("admin.institutions"))
    return render_template("admin/institution_form.html", form=form, institution=institution)


@roles_required(Role.ADMIN)
def deactivate_institution(institution_id: int):
    return _set_active(institution_id, active=False)


@roles_required(Role.ADMIN)
def reactivate_institution(institution_id: int):
    return _set_active(institution_id, active=True)


def _set_active(institution_id: int, active: bool):
    institution = db.get_or_404(Institution, institution_id)
    check(can_manage_accounts(actor()))
    institution_services.set_institution_active(actor(), institution, active)
    db.session.commit()
    if active:
        flash(_("Institution “%(name)s” reactivated.", name=institution.name), "success")
    else:
        flash(
            _(
                "Institution “%(name)s” deactivated: its people keep their accounts, but it is "
                "no longer offered for new accounts or imports.",
                name=institution.name,
            ),
            "success",
        )
    return redirect(url_for("admin.edit_institution", institution_id=institution.id))


def _fields(form: InstitutionForm) -> dict:
    return {
        "name": form.name.data,
        "slug": form.slug.data,
        "country": form.country.data,
        "kind": form.kind.data,
    }
