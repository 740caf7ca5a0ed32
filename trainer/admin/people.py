"""People: the participants a coordinator looks after, new participants, set-password links.

A coordinator sees the participants of their institution, a programme coordinator (and an
admin) those of every institution. Someone outside that view is answered with 404, as if
they did not exist.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy import select

from trainer.admin.common import (
    actor,
    chosen_institution,
    institution_choices,
    keep_issued_link,
    people_page,
    pop_issued_link,
    search,
    show_error,
    valid_filters,
    visible_institutions,
)
from trainer.admin.forms import ActionForm, ParticipantForm, PeopleFilterForm
from trainer.auth import accounts, policy, services
from trainer.auth.models import Role, User
from trainer.auth.policy import check, roles_required
from trainer.extensions import db
from trainer.urls import safe_next


@roles_required(Role.COORDINATOR, Role.ADMIN)
def people():
    me = actor()
    check(policy.can_list_people(me))
    form = PeopleFilterForm(formdata=request.args)
    institutions = visible_institutions(me)
    form.institution.choices = institution_choices(institutions, pgettext("institutions", "All"))
    filters = valid_filters(form)
    statement = policy.scope_people(me, select(User).where(User.role == Role.PARTICIPANT.value))
    if "institution" in filters:
        statement = statement.where(User.institution_id == int(filters["institution"]))
    statement = search(statement, filters.get("q"))
    return render_template(
        "admin/people.html",
        form=form,
        page=people_page(statement, filters.get("q")),
        filters=filters,
        show_institution=len(institutions) > 1,
        issued=pop_issued_link(),
    )


@roles_required(Role.COORDINATOR, Role.ADMIN)
def new_person():
    me = actor()
    check(policy.can_list_people(me))
    form = ParticipantForm()
    institutions = visible_institutions(me, active_only=True)
    if policy.sees_every_institution(me):
        form.institution.choices = institution_choices(institutions, _("Choose one"))
    else:
        del form.institution
    if form.validate_on_submit():
        try:
            person = accounts.create_account(me, _fields(form, me))
        except services.AccountError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "%(name)s can now be enrolled. Make a set-password link and hand it over.",
                    name=person.full_name,
                ),
                "success",
            )
            return redirect(url_for("admin.people", q=person.email))
    return render_template("admin/person_form.html", form=form, institutions=institutions)


@roles_required(Role.COORDINATOR, Role.ADMIN)
def password_link(user_id: int):
    me = actor()
    person = db.get_or_404(User, user_id)
    if not policy.can_see_person(me, person):
        abort(404)
    check(policy.can_issue_password_link(me, person))
    try:
        issued = accounts.issue_password_link(me, person)
    except services.AccountError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        keep_issued_link(issued)
    if policy.is_admin(me):
        fallback = url_for("admin.edit_user", user_id=person.id)
    else:
        fallback = url_for("admin.people")
    return redirect(safe_next(ActionForm().next.data) or fallback)


def _fields(form: ParticipantForm, me: User) -> accounts.AccountFields:
    if "institution" in form:
        institution = chosen_institution(form.institution.data)
    else:
        institution = me.institution
    return accounts.AccountFields(
        email=form.email.data,
        full_name=form.full_name.data,
        role=Role.PARTICIPANT.value,
        institution=institution,
        language=form.language.data or None,
    )
