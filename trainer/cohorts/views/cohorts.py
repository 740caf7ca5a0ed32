"""Cohorts: the list, a new cohort, its overview, editing, starting and closing."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from trainer.auth.models import Institution, Role, User
from trainer.auth.policy import check, is_admin, is_coordinator, roles_required
from trainer.auth.services import programme_settings
from trainer.cohorts import policy, queries, services
from trainer.cohorts.forms import CohortForm, ConfirmForm
from trainer.cohorts.models import Cohort
from trainer.cohorts.sessions import sessions_of
from trainer.cohorts.views.common import actor, load_cohort
from trainer.courses.services import find_course
from trainer.extensions import db

STAFF = (Role.TRAINER, Role.COORDINATOR, Role.ADMIN)


@roles_required(*STAFF)
def index():
    me = actor()
    by_course = itertools.groupby(queries.visible_cohorts(me), key=lambda c: c.course)
    return render_template(
        "cohorts/index.html",
        groups=[(course, list(cohorts)) for course, cohorts in by_course],
        courses=queries.courses_for_new_cohort(me),
    )


@login_required
def new_cohort(slug: str):
    me = actor()
    course = find_course(slug)
    if course is None:
        abort(404)
    check(policy.can_create_cohort(me, course))
    form = CohortForm()
    institutions, trainers = _choices(form)
    if not form.is_submitted():
        form.timezone.data = programme_settings().default_timezone
    if form.validate_on_submit():
        try:
            cohort = services.create_cohort(me, course, **_fields(form, institutions, trainers))
        except services.CohortError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("The cohort %(name)s was created.", name=cohort.name), "success")
            return redirect(url_for("cohorts.cohort", cohort_id=cohort.id))
    return render_template("cohorts/cohort_form.html", form=form, course=course, cohort=None)


@login_required
def cohort(cohort_id: int):
    me = actor()
    found = load_cohort(cohort_id)
    check(policy.can_see_cohort(me, found))
    return render_template(
        "cohorts/cohort.html",
        cohort=found,
        sessions=sessions_of(found),
        member_count=queries.member_count(me, found),
        can_manage=policy.can_manage_cohort(me, found),
        sees_all=policy.can_see_all_members(me, found),
        can_mark=policy.can_take_attendance(me, found),
        # The certificates' zip is for those who certify (admins and coordinators, as the
        # certificates' policy says), each getting the certificates of the people they see.
        can_download_certificates=is_admin(me) or is_coordinator(me),
        # The evaluation report (trainer.reports): the cohort's for its trainers too, the
        # whole course's for admins and coordinators.
        can_evaluate_cohort=is_admin(me)
        or is_coordinator(me)
        or policy.is_cohort_trainer(me, found),
        can_evaluate_course=is_admin(me) or is_coordinator(me),
    )


@login_required
def edit_cohort(cohort_id: int):
    me = actor()
    found = load_cohort(cohort_id)
    check(policy.can_manage_cohort(me, found))
    try:
        services.refuse_closed(found)
    except services.CohortError as error:
        flash(str(error), "error")
        return redirect(url_for("cohorts.cohort", cohort_id=found.id))
    form = CohortForm(data=_initial(found))
    institutions, trainers = _choices(form, keep=found.institutions)
    if form.validate_on_submit():
        try:
            services.update_cohort(me, found, **_fields(form, institutions, trainers))
        except services.CohortError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("The cohort %(name)s was saved.", name=found.name), "success")
            return redirect(url_for("cohorts.cohort", cohort_id=found.id))
    return render_template("cohorts/cohort_form.html", form=form, course=found.course, cohort=found)


@login_required
def start_cohort(cohort_id: int):
    me = actor()
    found = load_cohort(cohort_id)
    check(policy.can_manage_cohort(me, found))
    try:
        services.start_cohort(me, found)
    except services.CohortError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("The cohort %(name)s is running.", name=found.name), "success")
    return redirect(url_for("cohorts.cohort", cohort_id=found.id))


@login_required
def close_cohort(cohort_id: int):
    """The first POST asks for confirmation; the second, with ``confirm``, closes."""
    me = actor()
    found = load_cohort(cohort_id)
    check(policy.can_manage_cohort(me, found))
    form = ConfirmForm()
    if not (form.validate_on_submit() and form.confirm.data) and not found.is_closed:
        return render_template("cohorts/close_cohort.html", cohort=found, form=form)
    was_closed = found.is_closed
    services.close_cohort(me, found)
    db.session.commit()
    if not was_closed:
        flash(_("The cohort %(name)s is closed.", name=found.name), "success")
    return redirect(url_for("cohorts.cohort", cohort_id=found.id))


def _initial(cohort: Cohort) -> dict:
    return {
        "name": cohort.name,
        "starts_on": cohort.starts_on,
        "ends_on": cohort.ends_on,
        "timezone": cohort.timezone,
        "open_to_all": cohort.is_open_to_all,
        "institutions": [i.id for i in cohort.institutions],
        "trainers": [t.id for t in cohort.trainers],
    }


def _choices(
    form: CohortForm, keep: Iterable[Institution] = ()
) -> tuple[dict[int, Institution], dict[int, User]]:
    """Active institutions (and those the cohort is already open to) and active trainer
    accounts, as the form's checkboxes."""
    institutions = {
        i.id: i
        for i in db.session.scalars(
            select(Institution).where(Institution.is_active.is_(True)).order_by(Institution.name)
        )
    }
    for institution in keep:
        institutions.setdefault(institution.id, institution)
    trainers = {
        t.id: t
        for t in db.session.scalars(
            select(User)
            .where(User.role == Role.TRAINER.value, User.is_active.is_(True))
            .order_by(User.full_name, User.id)
        )
    }
    form.institutions.choices = [
        (i.id, i.name) for i in sorted(institutions.values(), key=lambda i: i.name)
    ]
    form.trainers.choices = [(t.id, t.full_name) for t in trainers.values()]
    return institutions, trainers


def _fields(
    form: CohortForm, institutions: dict[int, Institution], trainers: dict[int, User]
) -> dict:
    open_to_all = bool(form.open_to_all.data)
    return {
        "name": form.name.data or "",
        "starts_on": form.starts_on.data,
        "ends_on": form.ends_on.data,
        "timezone": (form.timezone.data or "").strip(),
        "open_to_all": open_to_all,
        "institutions": [] if open_to_all else [institutions[i] for i in form.institutions.data],
        "trainers": [trainers[t] for t in form.trainers.data],
    }
