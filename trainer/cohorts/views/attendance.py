"""Taking attendance at a session: its roster, its printable sign-in sheet, and typing in a
paper sheet afterwards.

Who sees and who marks is the policy's: the cohort's trainers and the people who run it see
and mark every member; an institution's coordinator sees their own institution's members,
read-only. A session of another cohort in the address is "not found".

"Mark all present" saves the marks chosen on the form and marks present every member who has
no mark yet; marks already recorded (by anyone, in any way) are kept. Saving records only
the marks the trainer changed on the page, in one service call, so attendance someone else
recorded meanwhile (a QR check-in) is not overwritten by a page that was showing the old one.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import format_date, format_time, get_locale, ngettext
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from trainer.auth.models import User
from trainer.auth.policy import check
from trainer.cohorts import paper, policy, queries, sessions, sheet
from trainer.cohorts.forms import PaperSheetForm, PostedMarks, RosterForm, read_marks
from trainer.cohorts.labels import method_names, status_names
from trainer.cohorts.models import AttendanceMethod, AttendanceStatus, Cohort, TrainingSession
from trainer.cohorts.queries import RosterLine
from trainer.cohorts.services import CohortError
from trainer.cohorts.views.common import actor, load_cohort, load_session
from trainer.dbtypes import utcnow
from trainer.extensions import db


def _load(cohort_id: int, session_id: int) -> tuple[Cohort, TrainingSession]:
    """The cohort and its session, or 404; then 403 unless the actor may see the cohort."""
    cohort = load_cohort(cohort_id)
    session = load_session(cohort, session_id)
    check(policy.can_see_cohort(actor(), cohort))
    return cohort, session


def _roster_url(session: TrainingSession) -> str:
    return url_for("cohorts.roster", cohort_id=session.cohort_id, session_id=session.id)


@login_required
def roster(cohort_id: int, session_id: int):
    me = actor()
    cohort, session = _load(cohort_id, session_id)
    may_mark = policy.can_take_attendance(me, cohort)
    form = RosterForm()
    if request.method == "GET":
        return _render_roster(session, form, queries.roster(me, session, now=utcnow()), may_mark)
    check(may_mark)
    now = utcnow()
    lines = queries.roster(me, session, now=now)
    posted = read_marks(request.form, [line.user.id for line in lines])
    if not form.validate_on_submit() or posted.errors:
        return _render_roster(session, form, lines, may_mark, posted)
    changes = _changes(lines, posted, fill_present=form.mark_all.data)
    if not changes:
        flash(_("Nothing to save: no mark was changed."))
        return redirect(_roster_url(session))
    try:
        sessions.record_attendance(me, session, changes, now=now)
    except CohortError as error:
        # Refused before anything was written; the request ends without a commit.
        flash(str(error), "error")
        return _render_roster(session, form, lines, may_mark, posted)
    db.session.commit()
    flash(
        ngettext("%(num)d mark saved.", "%(num)d marks saved.", len(changes)),
        "success",
    )
    return redirect(_roster_url(session))


def _changes(lines: list[RosterLine], posted: PostedMarks, *, fill_present: bool) -> dict:
    """{person: status} to record: what the trainer changed on the page and, for "mark all
    present", present for everyone with no mark recorded nor chosen."""
    changes = {}
    for line in lines:
        user_id = line.user.id
        current = line.record.status if line.record else None
        chosen = posted.chosen.get(user_id)
        if chosen is not None and chosen != posted.shown.get(user_id) and chosen != current:
            changes[line.user] = chosen
        elif fill_present and chosen is None and current is None:
            changes[line.user] = AttendanceStatus.PRESENT.value
    return changes


def _render_roster(
    session: TrainingSession,
    form: RosterForm,
    lines: list[RosterLine],
    may_mark: bool,
    posted: PostedMarks | None = None,
):
    cohort = session.cohort
    recorders = _recorders(lines)
    states = {line.user.id: _state(line, cohort, recorders) for line in lines}
    counts = {status: 0 for status in status_names()}
    for line in lines:
        if line.record is not None:
            counts[line.record.status] += 1
    frozen = cohort.is_closed or session.is_cancelled
    return render_template(
        "cohorts/roster.html",
        cohort=cohort,
        session=session,
        when=_when(session),
        form=form,
        lines=lines,
        states=states,
        counts=counts,
        not_recorded=sum(1 for line in lines if line.not_recorded),
        posted=posted,
        may_mark=may_mark,
        editable=may_mark and not frozen,
        not_started=utcnow() < session.starts_at,
        status_names=status_names(),
    )


def _recorders(lines: list[RosterLine]) -> dict[int, User]:
    """The people who recorded the marks shown, in one query."""
    ids = {line.record.recorded_by_id for line in lines if line.record is not None}
    ids.discard(None)
    if not ids:
        return {}
    return {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(ids)))}


def _local(cohort: Cohort, moment: datetime) -> datetime:
    return moment.astimezone(zoneinfo.ZoneInfo(cohort.timezone))


def _when(session: TrainingSession) -> str:
    """The session's day and times in the cohort's time zone, as the sign-in sheet says them."""
    cohort = session.cohort
    starts, ends = _local(cohort, session.starts_at), _local(cohort, session.ends_at)
    return _(
        "%(date)s, %(start)s to %(end)s (%(zone)s)",
        date=format_date(starts, "full", rebase=False),
        start=format_time(starts, "short", rebase=False),
        end=format_time(ends, "short", rebase=False),
        zone=cohort.timezone,
    )


def _moment(cohort: Cohort, moment: datetime) -> str:
    """A day and a time to the minute ("Mar 2, 2026, 9:14 AM"), in the cohort's time zone."""
    local = _local(cohort, moment)
    # The locale's way of joining a date and a time ("{1}, {0}" in English).
    pattern = get_locale().datetime_formats["medium"]
    return pattern.replace("{1}", format_date(local, "medium", rebase=False)).replace(
        "{0}", format_time(local, "short", rebase=False)
    )


def _state(line: RosterLine, cohort: Cohort, recorders: dict[int, User]) -> str:
    """Who recorded the member's mark, when and how; or that nobody did."""
    record = line.record
    if record is None:
        if line.not_recorded:
            return _("Not recorded: counts as absent until someone marks it.")
        return _("No mark yet.")
    when = _moment(cohort, record.recorded_at)
    how = method_names().get(record.method, record.method)
    status = status_names().get(record.status, record.status)
    recorder = recorders.get(record.recorded_by_id)
    if recorder is None:
        return _("%(status)s, recorded %(how)s on %(when)s.", status=status, how=how, when=when)
    return _(
        "%(status)s, recorded by %(name)s %(how)s on %(when)s.",
        status=status,
        name=recorder.full_name,
        how=how,
        when=when,
    )


@login_required
def sheet_pdf(cohort_id: int, session_id: int):
    me = actor()
    cohort, session = _load(cohort_id, session_id)
    members = [member.user for member in queries.visible_members(me, cohort, session)]
    day = _local(cohort, session.starts_at).date().isoformat()
    response = Response(sheet.sign_in_sheet(session, members), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="sign-in-sheet-{day}.pdf"'
    # Names of people: no shared cache keeps a copy.
    response.headers["Cache-Control"] = "private, no-store"
    return response


@login_required
def sheet_entry(cohort_id: int, session_id: int):
    me = actor()
    cohort, session = _load(cohort_id, session_id)
    check(policy.can_take_attendance(me, cohort))
    now = utcnow()
    lines = queries.roster(me, session, now=now)
    people = [
        paper.Person(number, line.user.id, line.user.full_name, line.user.email)
        for number, line in enumerate(lines, start=1)
    ]
    form = PaperSheetForm()
    problems: list[paper.Problem] = []
    if form.validate_on_submit():
        problems, changes = _read_paper(session, form.results.data, people, lines, now)
        if not problems:
            try:
                if changes:
                    sessions.record_attendance(
                        me, session, changes, method=AttendanceMethod.SHEET.value, now=now
                    )
            except CohortError as error:
                problems = [paper.Problem(0, str(error))]
            else:
                db.session.commit()
                flash(_paper_saved(len(changes)), "success")
                return redirect(_roster_url(session))
    return render_template(
        "cohorts/sheet_entry.html",
        cohort=cohort,
        session=session,
        when=_when(session),
        form=form,
        people=people,
        lines=lines,
        problems=problems,
        status_names=status_names(),
        frozen=cohort.is_closed or session.is_cancelled,
    )


def _read_paper(
    session: TrainingSession,
    text: str,
    people: list[paper.Person],
    lines: list[RosterLine],
    now: datetime,
) -> tuple[list[paper.Problem], dict]:
    """Every problem of the typed sheet, by line, and the marks that change something."""
    try:
        # A closed cohort or a cancelled session refuses everything: one message, not one a line.
        sessions.check_can_mark(session, AttendanceStatus.EXCUSED.value, now)
    except CohortError as error:
        return [paper.Problem(0, str(error))], {}
    reading = paper.read_sheet(text, people, paper.status_words())
    problems = list(reading.problems)
    by_id = {line.user.id: line for line in lines}
    changes = {}
    for user_id, (number, status) in reading.marks.items():
        try:
            sessions.check_can_mark(session, status, now)
        except CohortError as error:
            problems.append(paper.Problem(number, str(error)))
            continue
        line = by_id[user_id]
        if line.record is None or line.record.status != status:
            changes[line.user] = status
    problems.sort(key=lambda problem: problem.line)
    return problems, changes


def _paper_saved(changed: int) -> str:
    if not changed:
        return _("The paper sheet agrees with the roster: nothing changed.")
    return ngettext(
        "%(num)d mark recorded from the paper sheet.",
        "%(num)d marks recorded from the paper sheet.",
        changed,
    )
