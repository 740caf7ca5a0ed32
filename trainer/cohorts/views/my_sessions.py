"""A participant's "My sessions": the sessions coming up in their cohorts."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from trainer.cohorts import queries
from trainer.cohorts.labels import status_names
from trainer.cohorts.views.when import now


@login_required
def my_sessions():
    sessions = queries.upcoming_sessions(current_user, now=now())
    return render_template(
        "cohorts/my_sessions.html",
        sessions=sessions,
        # Each cohort once, in the order of its first session, for its whole calendar.
        cohorts=list(dict.fromkeys(session.cohort for session in sessions)),
        statuses=queries.own_attendance(current_user, sessions),
        labels=status_names(),
    )
