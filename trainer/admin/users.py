"""Accounts: list, create, edit, deactivate and reactivate anyone (admins)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from trainer.admin.common import (
    actor,
    chosen_institution,
    institution_choices,
    people_page,
    pop_issued_link,
    search,
    show_error,
    valid_filters,
    visible_institutions,
)
from trainer.admin.forms import UserFilterForm, UserForm
from trainer.auth import accounts, services
from trainer.auth.models import Role, User
from trainer.auth.policy import (
    can_issue_password_link,
    can_manage_accounts,
    check,
    roles_required,
    scope_people,
)
from trainer.courses.policy import courses_naming
from trainer.extensions import db


@roles_required(Role.ADMIN)
def users():
    check(can_manage_accounts(actor()))
    form = UserFilterForm(formdata=request.args)
    institutions = visible_institutions(actor())
    form.institution.choices = institution_choices(institutions, _("Any institution"))
    filters = valid_filters(form)
    statement = scope_people(actor(), select(User))
    statement = search(statement, filters.get("q"))
    if "institution" in filters:
        statement = statement.where(User.institution_id == int(filters["institution"]))
    if "role" in filters:
        statement = statement.where(User.role == filters["role"])
    if "status" in filters:
        statement = statement.where(User.is_active == (filters["status"] == "active"))
    return render_template(
        "admin/users.html",
        form=form,
        page=people_page(statement, filters.get("q")),
        filters=filters,
    )


@roles_required(Role.ADMIN)
def new_user():
    check(can_manage_accounts(actor()))
    form = _user_form()
    if form.validate_on_submit():
        try:
            person = accounts.create_account(actor(), _fields(form))
        except services.AccountError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "Account for %(name)s created. Make a set-password link and hand it over.",
                    name=person.full_name,
                ),
                "success",
            )
            return redirect(url_for("admin.edit_user", user_id=person.id))
    return render_template("admin/user_form.html", form=form, person=None)


@roles_required(Role.ADMIN)
def edit_user(user_id: int):
    person = db.get_or_404(User, user_id)
    check(can_manage_accounts(actor()))
    form = _user_form(person)
    if form.validate_on_submit():
        old_email = person.email
        try:
            changed = accounts.update_account(actor(), person, _fields(form))
        except services.AccountError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Account saved.") if changed else _("Nothing was changed."), "success")
            if person.email != old_email:
                _courses_still_naming(old_email, person)
            return redirect(url_for("admin.edit_user", user_id=person.id))
    return render_template(
        "admin/user_form.html",
        form=form,
        person=person,
        can_link=can_issue_password_link(actor(), person),
        issued=pop_issued_link(),
    )


@roles_required(Role.ADMIN)
def deactivate_user(user_id: int):
    return _set_active(user_id, active=False)


@roles_required(Role.ADMIN)
def reactivate_user(user_id: int):
    return _set_active(user_id, active=True)


def _set_active(user_id: int, active: bool):
    person = db.get_or_404(User, user_id)
    check(can_manage_accounts(actor()))
    try:
        accounts.set_account_active(actor(), person, active)
    except services.AccountError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        if active:
            flash(_("%(name)s can log in again.", name=person.full_name), "success")
        else:
            flash(
                _(
                    "%(name)s's account is deactivated and their sessions have ended.",
                    name=person.full_name,
                ),
                "success",
            )
    return redirect(url_for("admin.edit_user", user_id=person.id))


def _courses_still_naming(old_email: str, person: User) -> None:
    """Course rights follow the address in course.yml (trainer.courses.policy): say which
    courses the person can no longer edit until their course.yml names the new address."""
    titles = [course.title for course in courses_naming(old_email)]
    if titles:
        flash(
            _(
                "%(name)s can no longer edit these courses, whose course.yml names the old "
                "address %(email)s: %(courses)s. Put the new address among their owners or "
                "co-authors.",
                name=person.full_name,
                email=old_email,
                courses=", ".join(titles),
            ),
            "warning",
        )


def _user_form(person: User | None = None) -> UserForm:
    data = None
    if person is not None:
        data = {
            "email": person.email,
            "full_name": person.full_name,
            "role": person.role,
            "institution": str(person.institution_id or ""),
            "is_programme_wide": person.is_programme_wide,
            "language": person.language or "",
        }
    form = UserForm(data=data)
    institutions = [
        institution
        for institution in visible_institutions(actor())
        if institution.is_active or (person is not None and institution.id == person.institution_id)
    ]
    form.institution.choices = institution_choices(institutions, _("No institution"))
    return form


def _fields(form: UserForm) -> accounts.AccountFields:
    return accounts.AccountFields(
        email=form.email.data,
        full_name=form.full_name.data,
        role=form.role.data,
        institution=chosen_institution(form.institution.data),
        language=form.language.data or None,
        is_programme_wide=form.is_programme_wide.data,
    )
