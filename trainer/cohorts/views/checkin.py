"""QR self check-in: the trainer's screen with the rotating code, the scan that exchanges it
for a ticket, and the participant's confirmation that checks in with the ticket.

Every refusal is shown with its own message and a 4xx status, and records nothing. GETs only
read: the scan signs a ticket, it stores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from trainer.auth.policy import check
from trainer.cohorts import checkin, policy
from trainer.cohorts.checkin import CheckInRefused
from trainer.cohorts.forms import CheckInForm
from trainer.cohorts.models import TrainingSession
from trainer.cohorts.views.common import actor, load_cohort, load_session
from trainer.cohorts.views.when import now
from trainer.extensions import db

# The status each refusal answers with: a code gone stale or a session called off is gone
# (410), a bad code a bad request, someone outside the cohort forbidden, and a check-in
# outside the window or a second one conflicts with the state of things.
REFUSAL_STATUS = {
    checkin.INVALID: 400,
    checkin.STALE_TOKEN: 410,
    checkin.EXPIRED_TICKET: 410,
    checkin.CANCELLED: 410,
    checkin.NOT_MEMBER: 403,
    checkin.OUTSIDE_WINDOW: 409,
    checkin.ALREADY_CHECKED_IN: 409,
}


@dataclass(frozen=True)
class Screen:
    """What the trainer's screen shows now."""

    state: str  # "open", "not-yet", "over" or "cancelled"
    opens_at: datetime
    closes_at: datetime
    refresh_in: int  # seconds until the code rotates
    url: str = ""
    svg: Markup | None = None
    checked_in: int = 0


def _load_session(cohort_id: int, session_id: int) -> TrainingSession:
    """The session, if it belongs to that cohort (otherwise 404), for someone who takes the
    cohort's attendance (otherwise 403)."""
    cohort = load_cohort(cohort_id)
    session = load_session(cohort, session_id)
    check(policy.can_take_attendance(actor(), cohort))
    return session


def scan_url(token: str) -> str:
    """The absolute address the code encodes: the public one when configured, since the
    phone reaching it may not see the address the trainer's browser uses."""
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    return base.rstrip("/") + url_for("cohorts.scan", token=token)


def _screen(session: TrainingSession) -> Screen:
    moment = now()
    opens_at, closes_at = checkin.window(session)
    refresh_in = checkin.seconds_to_rotation(moment)
    if session.is_cancelled or session.cohort.is_closed:
        state = "cancelled"
    elif moment < opens_at:
        state = "not-yet"
    elif moment > closes_at:
        state = "over"
    else:
        url = scan_url(checkin.session_token(session, now=moment))
        svg = checkin.qr_svg(url, title=_("QR code to check in to this session"))
        return Screen(
            "open",
            opens_at,
            closes_at,
            refresh_in,
            url=url,
            # segno writes the SVG and escapes the text it puts in it.
            svg=Markup(svg),  # noqa: S704
            checked_in=checkin.checked_in_count(session),
        )
    return Screen(state, opens_at, closes_at, refresh_in)


@login_required
def qr_screen(cohort_id: int, session_id: int):
    session = _load_session(cohort_id, session_id)
    return render_template("cohorts/qr_screen.html", session=session, screen=_screen(session))


@login_required
def qr_code(cohort_id: int, session_id: int):
    """The screen's code alone, which its script fetches as the code rotates."""
    session = _load_session(cohort_id, session_id)
    return render_template("cohorts/_qr_code.html", session=session, screen=_screen(session))


def refused(refusal: CheckInRefused):
    return render_template(
        "cohorts/check_in_refused.html", message=str(refusal), reason=refusal.reason
    ), REFUSAL_STATUS.get(refusal.reason, 400)


def scan(token: str):
    """Exchange the scanned code for a 10-minute ticket and go on to the confirmation page,
    logged in or not: the ticket, not the code, is what comes back after logging in."""
    try:
        ticket = checkin.exchange_token(token, now=now())
    except CheckInRefused as refusal:
        return refused(refusal)
    return redirect(url_for("cohorts.check_in", ticket=ticket))


@login_required
def check_in():
    form = CheckInForm(ticket=request.args.get("ticket", ""))
    if form.validate_on_submit():
        try:
            record = checkin.check_in(current_user, form.ticket.data or "", now=now())
        except CheckInRefused as refusal:
            db.session.rollback()
            return refused(refusal)
        session = record.session
        db.session.commit()
        flash(
            _(
                "You are checked in to %(course)s · %(cohort)s.",
                course=session.cohort.course.title,
                cohort=session.cohort.name,
            ),
            "success",
        )
        return redirect(url_for("cohorts.my_sessions"))
    try:
        session = checkin.due_session(current_user, form.ticket.data or "", now=now())
    except CheckInRefused as refusal:
        return refused(refusal)
    return render_template("cohorts/check_in.html", form=form, session=session)
