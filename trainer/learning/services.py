"""Enrolment and progress: the writes of a participant's journey.

Every function takes the participant explicitly, flushes and never commits: the view commits
once. Progress rows are written with an INSERT ... ON CONFLICT (SQLite and PostgreSQL), so two
tabs opening the same module at once can never break the one-row-per-module rule.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from trainer.auth.models import User
from trainer.completion import Completion, Facts, evaluate
from trainer.courses.models import Course, ModuleVersion
from trainer.courses.spec import ModuleKind
from trainer.dbtypes import UTCDateTime, utcnow
from trainer.extensions import db
from trainer.learning import outline as course_outline
from trainer.learning.models import Enrolment, EnrolmentStatus, ModuleProgress
from trainer.learning.signals import enrolment_completed


class LearningError(ValueError):
    """The participant cannot do this now; the message says why, in their language."""


def find_enrolment(user: User, family: str) -> Enrolment | None:
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.family == family)
    )


def enrol(user: User, course: Course) -> Enrolment:
    """Enrol ``user`` in the course's family following ``course``; idempotent.

    Already enrolled: switches to this course (language), keeping all progress. Withdrawn:
    enrols again, keeping all progress and the first enrolment date. Permission is the
    caller's (policy.can_enrol).
    """
    enrolment = find_enrolment(user, course.family)
    if enrolment is None:
        enrolment = Enrolment(user_id=user.id, family=course.family, course_id=course.id)
        try:
            with db.session.begin_nested():
                db.session.add(enrolment)
        except IntegrityError:
            # The same participant enrolled from another tab a moment ago.
            enrolment = find_enrolment(user, course.family)
            if enrolment is None:
                raise
    enrolment.course_id = course.id
    if not enrolment.is_active:
        enrolment.status = EnrolmentStatus.ACTIVE.value
        enrolment.withdrawn_at = None
    db.session.flush()
    return enrolment


def withdraw(enrolment: Enrolment, *, now: datetime | None = None) -> None:
    """Leave the course; views, completions and attempts are kept for a later return."""
    if enrolment.is_active:
        enrolment.status = EnrolmentStatus.WITHDRAWN.value
        enrolment.withdrawn_at = now or utcnow()
        db.session.flush()


def record_view(user: User, family: str, module_slug: str, *, now: datetime | None = None) -> None:
    """First and last view of a module, in one statement whatever the history."""
    _touch(user.id, family, module_slug, now or utcnow(), viewed=True)


def mark_complete(
    user: User, enrolment: Enrolment, module: ModuleVersion, *, now: datetime | None = None
) -> None:
    """Complete a lesson without a quiz (idempotent), then judge the enrolment's completion.

    Lessons with a quiz complete by passing it: LearningError.
    """
    if module.quiz is not None:
        raise LearningError(_("This module is completed by its quiz, not by a button."))
    now = now or utcnow()
    _touch(user.id, enrolment.family, module.slug, now, completed=True)
    refresh_completion(enrolment, now=now)


def record_quiz_done(
    user_id: int, family: str, module_slug: str, *, passed: bool, now: datetime
) -> None:
    """A quiz submitted that completes its module (passed, or needing no pass)."""
    _touch(user_id, family, module_slug, now, completed=True, passed=passed)


def _touch(
    user_id: int,
    family: str,
    module_slug: str,
    now: datetime,
    *,
    viewed: bool = False,
    completed: bool = False,
    passed: bool = False,
) -> None:
    table = ModuleProgress.__table__
    at = literal(now, UTCDateTime())
    flags = {
        "first_viewed_at": viewed,
        "last_viewed_at": viewed,
        "completed_at": completed,
        "quiz_passed_at": passed,
    }
    values = {column: (now if flag else None) for column, flag in flags.items()}
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    updates = {
        # Only the last view moves; every "first" time is kept once set.
        column: at if column == "last_viewed_at" else func.coalesce(table.c[column], at)
        for column, flag in flags.items()
        if flag
    }
    statement = insert(table).values(
        user_id=user_id, family=family, module_slug=module_slug, **values
    )
    statement = statement.on_conflict_do_update(
        index_elements=["user_id", "family", "module_slug"], set_=updates
    )
    db.session.execute(statement)


def progress_rows(user_id: int, families: list[str]) -> dict[str, dict[str, ModuleProgress]]:
    """{family: {module slug: progress}} for several families, in one query."""
    found: dict[str, dict[str, ModuleProgress]] = {family: {} for family in families}
    if not families:
        return found
    for row in db.session.scalars(
        select(ModuleProgress)
        .where(ModuleProgress.user_id == user_id, ModuleProgress.family.in_(families))
        # Progress is written with INSERT ... ON CONFLICT, behind the ORM's back.
        .execution_options(populate_existing=True)
    ):
        found[row.family][row.module_slug] = row
    return found


def facts_for(outline: list[ModuleVersion], progress: dict[str, ModuleProgress]) -> Facts:
    """A participant's facts for the completion rules.

    Attendance is None: enrolments do not come through cohorts yet, so the attendance rule
    does not apply (see trainer.completion). Cohorts will supply the rate here.
    """
    completed = frozenset(slug for slug, row in progress.items() if row.completed_at)
    passed = frozenset(slug for slug, row in progress.items() if row.quiz_passed_at)
    survey = next((m.slug for m in outline if m.kind == ModuleKind.SURVEY), None)
    return Facts(
        completed_modules=completed,
        passed_quizzes=passed,
        survey_answered=survey is not None and survey in completed,
        attendance_percent=None,
    )


def judge(
    enrolment: Enrolment,
    settings: dict,
    outline: list[ModuleVersion],
    progress: dict[str, ModuleProgress],
    *,
    now: datetime | None = None,
) -> Completion:
    """Evaluate the completion rules; the first time they are met, store and announce it.

    ``settings`` and ``outline`` are those of the course's *current* version. Sends
    ``enrolment_completed`` inside the transaction (see trainer.learning.signals).
    """
    rules = course_outline.rules_for(settings, outline)
    completion = evaluate(rules, facts_for(outline, progress))
    if completion.complete and enrolment.completed_at is None and enrolment.is_active:
        _record_completion(enrolment, completion, now or utcnow())
    return completion


def _record_completion(enrolment: Enrolment, completion: Completion, now: datetime) -> None:
    # A conditional UPDATE, like submitting an attempt: of two requests completing the
    # course at the same moment, only the one that changed the row announces it.
    statement = (
        update(Enrolment)
        .where(Enrolment.id == enrolment.id, Enrolment.completed_at.is_(None))
        .values(completed_at=now)
        .execution_options(synchronize_session=False)
    )
    if db.session.execute(statement).rowcount == 1:
        set_committed_value(enrolment, "completed_at", now)
        enrolment_completed.send(enrolment, completion=completion)


def refresh_completion(enrolment: Enrolment, *, now: datetime | None = None) -> Completion:
    """Judge an enrolment after its facts changed (a module completed, a quiz passed)."""
    course = db.session.get(Course, enrolment.course_id)
    version = course.current_version if course else None
    if version is None:
        return evaluate(course_outline.rules_for({}, []), Facts())
    outline = course_outline.light_modules(course)
    progress = progress_rows(enrolment.user_id, [enrolment.family])[enrolment.family]
    return judge(enrolment, version.settings, outline, progress, now=now)
