"""The participant's state, as pages show it: module statuses, completion, where to resume.

Each function runs a fixed number of queries whatever the number of modules, attempts or
enrolments: lists are fetched with one IN or GROUP BY query, never one query per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import joinedload

from trainer.auth.models import User
from trainer.completion import Completion, evaluate
from trainer.courses import services as courses
from trainer.courses.models import Course, ModuleVersion
from trainer.courses.spec import ModuleKind
from trainer.dbtypes import utcnow
from trainer.extensions import db
from trainer.learning import judging, outline, services
from trainer.learning.attempts import DEADLINE_GRACE
from trainer.learning.models import (
    AttemptStatus,
    Enrolment,
    EnrolmentStatus,
    ModuleProgress,
    QuizAttempt,
)

NOT_STARTED = "not-started"
VIEWED = "viewed"
IN_PROGRESS = "in-progress"
COMPLETED = "completed"
PASSED = "passed"
FAILED_RETRY = "failed-retry"
FAILED = "failed"


def status_labels() -> dict[str, str]:
    return {
        NOT_STARTED: _l("Not started"),
        VIEWED: _l("Viewed"),
        IN_PROGRESS: _l("In progress"),
        COMPLETED: _l("Completed"),
        PASSED: _l("Quiz passed"),
        FAILED_RETRY: _l("Quiz not passed yet"),
        FAILED: _l("Quiz not passed, no attempts left"),
    }


@dataclass
class AttemptSummary:
    used: int = 0  # every attempt, the open one included
    open_attempt_id: int | None = None
    best_percent: float | None = None
    passed: bool = False


@dataclass
class ModuleState:
    module: ModuleVersion
    status: str
    summary: AttemptSummary
    allowed: int | None  # attempts allowed, None = unlimited

    @property
    def attempts_left(self) -> int | None:
        return None if self.allowed is None else max(0, self.allowed - self.summary.used)


@dataclass
class CourseState:
    enrolment: Enrolment | None
    modules: list[ModuleState]
    completion: Completion | None = None
    resume: ModuleVersion | None = None
    by_slug: dict[str, ModuleState] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_slug = {state.module.slug: state for state in self.modules}


@dataclass
class DashboardEntry:
    enrolment: Enrolment
    course: Course
    modules: list[ModuleVersion]
    completion: Completion | None
    resume: ModuleVersion | None


def attempt_summaries(
    user_id: int, family: str, *, now: datetime | None = None
) -> dict[str, AttemptSummary]:
    """{module slug: summary of the participant's attempts}, in one GROUP BY query.

    An attempt whose time is up is not open, even before it is stored as closed.
    """
    is_open = and_(
        QuizAttempt.status == AttemptStatus.IN_PROGRESS.value,
        or_(
            QuizAttempt.deadline_at.is_(None),
            QuizAttempt.deadline_at >= (now or utcnow()) - DEADLINE_GRACE,
        ),
    )
    rows = db.session.execute(
        select(
            QuizAttempt.module_slug,
            func.count(QuizAttempt.id),
            func.max(case((is_open, QuizAttempt.id))),
            func.max(QuizAttempt.score_percent),
            func.max(case((QuizAttempt.is_passed.is_(True), 1), else_=0)),
        )
        .where(QuizAttempt.user_id == user_id, QuizAttempt.family == family)
        .group_by(QuizAttempt.module_slug)
    )
    return {
        slug: AttemptSummary(used, open_id, best, bool(passed))
        for slug, used, open_id, best, passed in rows
    }


def module_status(
    module: ModuleVersion, row: ModuleProgress | None, summary: AttemptSummary, viewed: bool
) -> str:
    allowed = outline.attempts_allowed(module)
    if outline.must_pass(module):
        if (row and row.quiz_passed_at) or summary.passed:
            return PASSED
        if summary.open_attempt_id is not None:
            return IN_PROGRESS
        if summary.used:
            return FAILED if allowed is not None and summary.used >= allowed else FAILED_RETRY
    else:
        if row and row.completed_at:
            return COMPLETED
        if summary.open_attempt_id is not None:
            return IN_PROGRESS
    return VIEWED if viewed else NOT_STARTED


def resume_module(
    modules: list[ModuleVersion], progress: dict[str, ModuleProgress], last_viewed: str | None
) -> ModuleVersion | None:
    """Where to continue: the last module viewed if not completed, else the next one not
    completed; None when every module is completed."""

    def done(module: ModuleVersion) -> bool:
        row = progress.get(module.slug)
        return bool(row and row.completed_at)

    start = next((index for index, m in enumerate(modules) if m.slug == last_viewed), 0)
    ordered = modules[start:] + modules[:start]
    return next((m for m in ordered if not done(m)), None)


def course_state(
    user: User, course: Course, modules: list[ModuleVersion], enrolment: Enrolment | None
) -> CourseState:
    """Statuses, completion and resume point of ``user`` in ``course`` (current version),
    given their ``enrolment`` in its family.

    Reads only: the completion shown is evaluated, never stored (the actions that change the
    facts store it).
    """
    if enrolment is None:
        empty = AttemptSummary()
        return CourseState(
            None,
            [ModuleState(m, NOT_STARTED, empty, outline.attempts_allowed(m)) for m in modules],
        )
    progress = services.progress_rows(user.id, [course.family])[course.family]
    summaries = attempt_summaries(user.id, course.family)
    viewed = set(enrolment.viewed_modules or ())
    states = []
    for m in modules:
        summary = summaries.get(m.slug, AttemptSummary())
        status = module_status(m, progress.get(m.slug), summary, m.slug in viewed)
        states.append(ModuleState(m, status, summary, outline.attempts_allowed(m)))
    completion = None
    if course.current_version is not None:
        # Judged against this page's course, which may be a translation of the one followed.
        if enrolment.course_id == course.id:
            survey = next((m.slug for m in modules if m.kind == ModuleKind.SURVEY), None)
            facts = judging.facts_with_progress(enrolment, progress.values(), survey)
        else:
            facts = judging.build_facts([enrolment])[enrolment.id]
        completion = evaluate(outline.rules_for(course.current_version.settings, modules), facts)
    resume = resume_module(modules, progress, enrolment.last_module_slug)
    return CourseState(enrolment, states, completion, resume)


def dashboard(user: User) -> list[DashboardEntry]:
    """Each active enrolment with its completion and resume point, in five queries."""
    enrolments = list(
        db.session.scalars(
            select(Enrolment)
            .options(joinedload(Enrolment.course).joinedload(Course.current_version))
            .where(
                Enrolment.user_id == user.id,
                Enrolment.status == EnrolmentStatus.ACTIVE.value,
            )
            .order_by(Enrolment.enrolled_at.desc())
        )
    )
    version_ids = [e.course.current_version_id for e in enrolments if e.course.current_version_id]
    modules_by_version = courses.outlines(version_ids)
    progress = services.progress_rows(user.id, [e.family for e in enrolments])
    found = judging.verdicts(
        enrolments, {e.course_id: e.course for e in enrolments}, modules_by_version
    )
    entries = []
    for enrolment in enrolments:
        course = enrolment.course
        modules = modules_by_version.get(course.current_version_id, [])
        resume = resume_module(modules, progress[enrolment.family], enrolment.last_module_slug)
        entries.append(DashboardEntry(enrolment, course, modules, found.get(enrolment.id), resume))
    return entries
