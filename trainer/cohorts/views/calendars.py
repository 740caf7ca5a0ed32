"""Sessions as calendar files: one session, or the whole cohort, as .ics.

Readable by whoever sees the cohort and by its members, who import them into their own
calendars from "My sessions".
"""

from __future__ import annotations

from flask import Response
from flask_login import login_required

from trainer.auth.policy import check
from trainer.cohorts import ics, policy, queries
from trainer.cohorts.models import Cohort
from trainer.cohorts.sessions import sessions_of
from trainer.cohorts.views.common import actor, load_cohort, load_session


def _check_can_read(cohort: Cohort) -> None:
    me = actor()
    member = not policy.can_see_cohort(me, cohort) and queries.is_active_member(me, cohort)
    check(policy.can_read_sessions(me, cohort, is_member=member))


def _calendar_response(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def session_ics(cohort_id: int, session_id: int):
    cohort = load_cohort(cohort_id)
    session = load_session(cohort, session_id)
    _check_can_read(cohort)
    return _calendar_response(ics.session_to_ics(session), f"session-{session.id}.ics")


@login_required
def cohort_ics(cohort_id: int):
    cohort = load_cohort(cohort_id)
    _check_can_read(cohort)
    return _calendar_response(
        ics.cohort_calendar(cohort, sessions_of(cohort)), f"cohort-{cohort.id}.ics"
    )
