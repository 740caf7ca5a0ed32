"""Enrolment and progress: the writes of a participant's journey.

Every function takes the participant explicitly, flushes and never commits: the view commits
once. Progress rows are written with an INSERT ... ON CONFLICT (SQLite and PostgreSQL), so two
tabs completing the same module at once can never break the one-row-per-module rule. Each
write that changes what the completion rules look at judges the enrolment in the same
transaction (trainer.learning.judging).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from trainer.auth.models import User
from trainer.courses.models import Course, ModuleVersion
from trainer.dbtypes import UTCDateTime, utcnow
from trainer.extensions import db
from trainer.learning import judging
from trainer.learning.models import Enrolment, EnrolmentStatus, ModuleProgress

# A module page records the view (the one write a page makes) when the participant opens
# another module, or comes back to the same one after this long.
VIEW_INTERVAL = timedelta(minutes=5)


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

    Already enrolled: switches to this course (language), keeping all progress, and judges
    completion against the new course's rules. Withdrawn: enrols again, keeping all progress
    and the first enrolment date. Permission is the caller's (policy.can_enrol).
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
    judging.judge([enrolment])
    return enrolment


def withdraw(enrolment: Enrolment, *, now: datetime | None = None) -> None:
    """Leave the course; views, completions and attempts are kept for a later return."""
    if enrolment.is_active:
        enrolment.status = EnrolmentStatus.WITHDRAWN.value
        enrolment.withdrawn_at = now or utcnow()
        db.session.flush()


def view_is_due(enrolment: Enrolment, module_slug: str, now: datetime) -> bool:
    """Whether opening this module now should be recorded (see VIEW_INTERVAL)."""
    if enrolment.last_module_slug != module_slug:
        return True
    if module_slug not in (enrolment.viewed_modules or ()):
        return True
    return enrolment.last_viewed_at is None or now - enrolment.last_viewed_at >= VIEW_INTERVAL


def record_view(enrolment: Enrolment, module_slug: str, *, now: datetime | None = None) -> None:
    """The last module viewed, when, and the modules ever viewed: one UPDATE of the enrolment.

    The one write a page makes; the view runs it in its own short transaction. Two tabs
    opening two new modules at the same moment may keep only one of them among the modules
    viewed: that list only decides a "Viewed" badge.
    """
    now = now or utcnow()
    viewed = list(enrolment.viewed_modules or ())
    if module_slug not in viewed:
        viewed.append(module_slug)
    db.session.execute(
        update(Enrolment)
        .where(Enrolment.id == enrolment.id)
        .values(last_module_slug=module_slug, last_viewed_at=now, viewed_modules=viewed)
        .execution_options(synchronize_session=False)
    )
    set_committed_value(enrolment, "last_module_slug", module_slug)
    set_committed_value(enrolment, "last_viewed_at", now)
    set_committed_value(enrolment, "viewed_modules", viewed)


def mark_complete(
    user: User, enrolment: Enrolment, module: ModuleVersion, *, now: datetime | None = None
) -> None:
    """Complete a lesson without a quiz (idempotent), then judge the enrolment's completion.

    Lessons with a quiz complete by passing it: LearningError.
    """
    if module.quiz is not None:
        raise LearningError(_("This module is completed by its quiz, not by a button."))
    now = now or utcnow()
    _touch(user.id, enrolment.family, module.slug, now, passed=False)
    judging.judge([enrolment], now=now)


def record_quiz_done(
    user_id: int, family: str, module_slug: str, *, passed: bool, now: datetime
) -> None:
    """A quiz submitted that completes its module (passed, or needing no pass)."""
    _touch(user_id, family, module_slug, now, passed=passed)


def _touch(user_id: int, family: str, module_slug: str, now: datetime, *, passed: bool) -> None:
    """The module completed (and its quiz passed), in one statement whatever the history."""
    table = ModuleProgress.__table__
    at = literal(now, UTCDateTime())
    columns = ["completed_at", "quiz_passed_at"] if passed else ["completed_at"]
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table).values(
        user_id=user_id,
        family=family,
        module_slug=module_slug,
        completed_at=now,
        quiz_passed_at=now if passed else None,
    )
    statement = statement.on_conflict_do_update(
        index_elements=["user_id", "family", "module_slug"],
        # Every "first" time is kept once set.
        set_={column: func.coalesce(table.c[column], at) for column in columns},
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
