"""A cohort's members: the list (scoped to what the viewer may see), adding participants
picked from a list, moving one from another cohort of the course, removing one."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required
from sqlalchemy import select

from trainer.auth.models import User
from trainer.auth.policy import check, scope_people
from trainer.cohorts import policy, queries, services
from trainer.cohorts.forms import AddMembersForm, MemberSearchForm
from trainer.cohorts.models import Cohort
from trainer.cohorts.sessions import sessions_of
from trainer.cohorts.views.common import actor, load_cohort
from trainer.dbtypes import utcnow
from trainer.extensions import db

# Participants listed to pick from at once; a search narrows the list down.
PICK_LIMIT = 100


@login_required
def members(cohort_id: int):
    cohort = load_cohort(cohort_id)
    check(policy.can_see_cohort(actor(), cohort))
    return _members_page(cohort, AddMembersForm())


@login_required
def add_members(cohort_id: int):
    me = actor()
    cohort = load_cohort(cohort_id)
    check(policy.can_pick_members(me, cohort))
    form = AddMembersForm()
    if form.validate_on_submit():
        ids = set(form.people.data or [])
        chosen = _people(me, ids)
        try:
            if not ids:
                raise services.CohortError(_("Tick the participants to add."))
            if len(chosen) < len(ids):
                raise services.CohortError(
                    _("Some of the people you ticked are not participants you can add.")
                )
            added = services.add_members(me, cohort, chosen)
        except services.CohortError as error:
            form.people.errors = [*form.people.errors, str(error)]
        else:
            db.session.commit()
            count = len(added)
            flash(ngettext("%(num)d participant added.", "%(num)d participants added.", count))
            return redirect(url_for("cohorts.members", cohort_id=cohort.id))
    return _members_page(cohort, form)


@login_required
def move_member(cohort_id: int, user_id: int):
    """Move the participant from their current cohort of the course into this one."""
    me = actor()
    cohort = load_cohort(cohort_id)
    check(policy.can_see_cohort(me, cohort))
    person = _person(me, cohort, user_id)
    check(policy.can_pick_members(me, cohort) and policy.can_add_member(me, cohort, person))
    try:
        services.move_member(me, person, cohort)
    except services.CohortError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("%(name)s is now a member of this cohort.", name=person.full_name), "success")
    return redirect(url_for("cohorts.members", cohort_id=cohort.id))


@login_required
def remove_member(cohort_id: int, user_id: int):
    me = actor()
    cohort = load_cohort(cohort_id)
    check(policy.can_see_cohort(me, cohort))
    person = _person(me, cohort, user_id)
    check(policy.can_add_member(me, cohort, person))
    try:
        services.remove_member(me, cohort, person)
    except services.CohortError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("%(name)s left the cohort.", name=person.full_name), "success")
    return redirect(url_for("cohorts.members", cohort_id=cohort.id))


def _person(me: User, cohort: Cohort, user_id: int) -> User:
    """The person, or 404 when there is none or the viewer may not see them."""
    person = db.session.get(User, user_id)
    if person is None or not policy.can_see_member(me, cohort, person):
        abort(404)
    return person


def _people(me: User, ids: set[int]) -> list[User]:
    """The chosen people among those the actor may list; the service judges the rest."""
    if not ids:
        return []
    statement = select(User).where(User.id.in_(ids)).order_by(User.full_name, User.id)
    return list(db.session.scalars(scope_people(me, statement)))


def _members_page(cohort: Cohort, form: AddMembersForm):
    me = actor()
    now = utcnow()
    listed = queries.visible_members(me, cohort)
    search = MemberSearchForm(formdata=request.args)
    term = (search.q.data or "").strip() if search.validate() else ""
    picking = policy.can_pick_members(me, cohort) and not cohort.is_closed
    found = queries.candidates(me, cohort, term=term, limit=PICK_LIMIT) if picking else None
    if found is not None:
        form.people.choices = [
            (person.id, person.full_name)
            for person in found.people
            if person.id not in found.elsewhere
        ]
    return render_template(
        "cohorts/members.html",
        cohort=cohort,
        members=listed,
        rates=queries.rates_so_far(listed, sessions_of(cohort), now=now),
        can_remove={m.user_id for m in listed if policy.can_add_member(me, cohort, m.user)},
        form=form,
        search=search,
        found=found,
        picking=picking,
    )
