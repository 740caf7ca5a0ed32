"""A cohort's sessions: schedule a new one, reschedule it, cancel it."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from trainer.auth.policy import check
from trainer.cohorts import policy, services, sessions
from trainer.cohorts.forms import ConfirmForm, SessionForm
from trainer.cohorts.models import Cohort
from trainer.cohorts.views.common import actor, load_cohort, load_session, local_times
from trainer.cohorts.views.when import session_when
from trainer.extensions import db


def _back(cohort: Cohort):
    return redirect(url_for("cohorts.cohort", cohort_id=cohort.id) + "#sessions")


def _refused_closed(cohort: Cohort):
    """Back to the overview with the reason when the cohort is closed, else None."""
    try:
        services.refuse_closed(cohort)
    except services.CohortError as error:
        flash(str(error), "error")
        return _back(cohort)
    return None


@login_required
def new_session(cohort_id: int):
    me = actor()
    cohort = load_cohort(cohort_id)
    check(policy.can_manage_cohort(me, cohort))
    refused = _refused_closed(cohort)
    if refused is not None:
        return refused
    form = SessionForm()
    if form.validate_on_submit():
        try:
            session = sessions.schedule_session(me, cohort, **_fields(form))
        except services.CohortError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(
                _("The session of %(when)s was scheduled.", when=session_when(session)), "success"
            )
            return _back(cohort)
    return render_template("cohorts/session_form.html", form=form, cohort=cohort, session=None)


@login_required
def edit_session(cohort_id: int, session_id: int):
    me = actor()
    cohort = load_cohort(cohort_id)
    session = load_session(cohort, session_id)
    check(policy.can_manage_cohort(me, cohort))
    refused = _refused_closed(cohort)
    if refused is not None:
        return refused
    starts, ends = local_times(session)
    form = SessionForm(
        data={
            "day": starts.date(),
            "start": starts.time(),
            "end": ends.time(),
            "place": session.place,
            "online_url": session.online_url,
        }
    )
    if form.validate_on_submit():
        try:
            sessions.reschedule_session(me, session, **_fields(form))
        except services.CohortError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("The session of %(when)s was saved.", when=session_when(session)), "success")
            return _back(cohort)
    return render_template("cohorts/session_form.html", form=form, cohort=cohort, session=session)


@login_required
def cancel_session(cohort_id: int, session_id: int):
    """The first POST asks for confirmation; the second, with ``confirm``, cancels."""
    me = actor()
    cohort = load_cohort(cohort_id)
    session = load_session(cohort, session_id)
    check(policy.can_manage_cohort(me, cohort))
    form = ConfirmForm()
    confirmed = form.validate_on_submit() and form.confirm.data
    if not confirmed and not session.is_cancelled and not cohort.is_closed:
        return render_template(
            "cohorts/cancel_session.html", cohort=cohort, session=session, form=form
        )
    try:
        sessions.cancel_session(me, session)
    except services.CohortError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("The session of %(when)s is cancelled.", when=session_when(session)), "success")
    return _back(cohort)


def _fields(form: SessionForm) -> dict:
    return {
        "day": form.day.data,
        "start": form.start.data,
        "end": form.end.data,
        "place": form.place.data or "",
        "online_url": form.online_url.data or "",
    }
