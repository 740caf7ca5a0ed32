"""One participant's course, for the people who follow them: a timeline of their enrolment,
cohort memberships, modules, quiz attempts, attendance and certificates, with where they
stand (the completion checklist, attendance so far, learning gain).

Only someone in the actor's report scope for the family is found (``facts.scoped_people``):
anyone else is None, which the page answers with 404, as if they did not exist. A fixed
number of queries, whatever the length of their history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from trainer.auth.models import User
from trainer.certificates.models import Certificate
from trainer.cohorts.models import AttendanceRecord, CohortMember, TrainingSession
from trainer.completion import Completion, evaluate
from trainer.completion.attendance import AttendanceRates
from trainer.courses.models import ModuleVersion
from trainer.courses.spec import ModuleKind
from trainer.extensions import db
from trainer.learning.models import AttemptStatus, Enrolment, ModuleProgress, QuizAttempt
from trainer.reports import facts as loaded
from trainer.reports.gain import learning_gain
from trainer.reports.scope import ReportFilter

# Kinds of timeline events; the page words each.
ENROLLED, JOINED, LEFT, VIEWED = "enrolled", "joined", "left", "viewed"
MODULE, PASSED, ATTEMPT, SESSION = "module", "passed", "attempt", "session"
CERTIFICATE, REVOKED, COMPLETED, WITHDRAWN = "certificate", "revoked", "completed", "withdrawn"


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str
    title: str = ""  # the module, cohort or course it is about
    status: str | None = None  # attendance mark; attempt status; certificate kind
    number: int | None = None  # attempt number
    score: float | None = None  # attempt score, %
    passed: bool | None = None
    detail: str = ""  # session place, certificate code


@dataclass(frozen=True)
class Timeline:
    person: loaded.Person
    user: User
    outline: loaded.CourseOutline | None
    completion: Completion | None
    attendance: AttendanceRates | None
    pre: float | None
    post: float | None
    gain: float | None
    normalised_gain: float | None
    events: list[Event]


def participant(
    actor: User, report: ReportFilter, user_id: int, *, now: datetime
) -> Timeline | None:
    """The participant's timeline in the family, or None when the actor may not follow
    them there (or they are not enrolled in it)."""
    unfiltered = ReportFilter(report.family)
    person = loaded.one_person(actor, unfiltered, user_id)
    if person is None:
        return None
    user = db.session.get(User, user_id)
    outline = loaded.course_outlines(report.family).get(person.course_id)
    enrolment = db.session.get(Enrolment, person.enrolment_id)
    titles = {m.slug: m.title for m in outline.modules} if outline else {}
    events = [Event(person.enrolled_at, ENROLLED, outline.course.title if outline else "")]
    events += _progress_events(person, report.family, titles)
    attempts, pre, post = _attempt_events(user_id, report.family, titles)
    events += attempts
    members, sessions, marks = _cohort_history(user_id, report.family)
    events += [Event(m.joined_at, JOINED, m.cohort.name) for m in members]
    events += [Event(m.left_at, LEFT, m.cohort.name) for m in members if m.left_at]
    current = [s for s in sessions if s.cohort_id == person.cohort_id]
    events += _session_events(user_id, sessions, marks, members, now)
    events += _certificate_events(user_id, report.family)
    if enrolment.last_viewed_at is not None:
        slug = enrolment.last_module_slug or ""
        events.append(Event(enrolment.last_viewed_at, VIEWED, titles.get(slug, slug)))
    if enrolment.withdrawn_at is not None:
        events.append(Event(enrolment.withdrawn_at, WITHDRAWN))
    if person.completed_at is not None:
        events.append(Event(person.completed_at, COMPLETED))
    attendance = loaded.attendance_of(person, current, marks, now=now)
    completion = (
        evaluate(outline.rules, loaded.completion_facts(person, outline, attendance))
        if outline
        else None
    )
    gain, normalised = learning_gain(pre, post)
    return Timeline(
        person=person,
        user=user,
        outline=outline,
        completion=completion,
        attendance=attendance,
        pre=pre,
        post=post,
        gain=gain,
        normalised_gain=normalised,
        events=sorted(events, key=lambda e: (e.at, e.kind)),
    )


def _progress_events(person: loaded.Person, family: str, titles: dict) -> list[Event]:
    events = []
    for slug, completed_at, passed_at in db.session.execute(
        select(
            ModuleProgress.module_slug, ModuleProgress.completed_at, ModuleProgress.quiz_passed_at
        ).where(ModuleProgress.user_id == person.user_id, ModuleProgress.family == family)
    ):
        if completed_at is not None:
            events.append(Event(completed_at, MODULE, titles.get(slug, slug)))
        if passed_at is not None:
            events.append(Event(passed_at, PASSED, titles.get(slug, slug)))
    return events


def _attempt_events(user_id: int, family: str, titles: dict):
    """The attempt events, and the pre score (first closed pre-test attempt) and post score
    (best scored post-test attempt), as ``reports.gain`` counts them."""
    events, pre, post, pre_id = [], None, None, None
    closed = (AttemptStatus.SUBMITTED.value, AttemptStatus.EXPIRED.value)
    for attempt, kind in db.session.execute(
        select(QuizAttempt, ModuleVersion.kind)
        .join(ModuleVersion, ModuleVersion.id == QuizAttempt.module_version_id)
        .where(QuizAttempt.user_id == user_id, QuizAttempt.family == family)
        .order_by(QuizAttempt.id)
    ):
        if kind == ModuleKind.SURVEY:
            continue  # what someone answered in a survey is theirs alone
        events.append(
            Event(
                attempt.submitted_at or attempt.started_at,
                ATTEMPT,
                titles.get(attempt.module_slug, attempt.module_slug),
                status=attempt.status,
                number=attempt.number,
                score=attempt.score_percent,
                passed=attempt.is_passed,
            )
        )
        if kind == ModuleKind.PRE_TEST and attempt.status in closed and pre_id is None:
            pre_id, pre = attempt.id, attempt.score_percent
        scored = attempt.status == AttemptStatus.SUBMITTED.value
        if kind == ModuleKind.POST_TEST and scored and attempt.score_percent is not None:
            post = attempt.score_percent if post is None else max(post, attempt.score_percent)
    return events, pre, post


def _cohort_history(user_id: int, family: str):
    members = list(
        db.session.scalars(
            select(CohortMember)
            .join(CohortMember.cohort)
            .options(contains_eager(CohortMember.cohort))
            .where(CohortMember.user_id == user_id, CohortMember.family == family)
        )
    )
    cohort_ids = {m.cohort_id for m in members}
    sessions = list(
        db.session.scalars(
            select(TrainingSession)
            .join(TrainingSession.cohort)
            .options(contains_eager(TrainingSession.cohort))
            .where(TrainingSession.cohort_id.in_(cohort_ids))
            .order_by(TrainingSession.starts_at)
        )
    )
    marks = {
        (session_id, user_id): status
        for session_id, status in db.session.execute(
            select(AttendanceRecord.session_id, AttendanceRecord.status)
            .join(TrainingSession, TrainingSession.id == AttendanceRecord.session_id)
            .where(AttendanceRecord.user_id == user_id, TrainingSession.cohort_id.in_(cohort_ids))
        )
    }
    return members, sessions, marks


def _session_events(user_id, sessions, marks, members, now: datetime) -> list[Event]:
    events = []
    for session in sessions:
        covered = any(
            m.cohort_id == session.cohort_id
            and m.joined_at < session.ends_at
            and (m.left_at is None or m.left_at > session.starts_at)
            for m in members
        )
        if not covered:
            continue
        status = marks.get((session.id, user_id))
        if session.is_cancelled:
            status = "cancelled"
        elif status is None:
            status = "not-recorded" if session.ends_at <= now else "upcoming"
        events.append(
            Event(
                session.starts_at,
                SESSION,
                session.cohort.name,
                status=status,
                detail=session.place or session.online_url,
            )
        )
    return events


def _certificate_events(user_id: int, family: str) -> list[Event]:
    events = []
    for certificate in db.session.scalars(
        select(Certificate).where(Certificate.user_id == user_id, Certificate.family == family)
    ):
        events.append(
            Event(
                certificate.issued_at,
                CERTIFICATE,
                certificate.course_title,
                status=certificate.kind,
                detail=certificate.code,
            )
        )
        if certificate.revoked_at is not None:
            events.append(
                Event(
                    certificate.revoked_at,
                    REVOKED,
                    certificate.course_title,
                    status=certificate.kind,
                    detail=certificate.revoked_reason,
                )
            )
    return events
