"""Completion facts for many enrolments at once, and judging them where the facts change.

``build_facts`` gathers what the completion rules need about a list of enrolments in a fixed
number of queries whatever their number: one for the modules completed or passed, one for the
survey module of each course, and a fixed few per attendance source (cohorts: at most three).
Pages evaluate those facts and only show the verdict; they never store it. The actions that
change facts call ``judge`` in their own transaction (a module completed, an attempt
submitted, the language switched, a new course version, attendance recorded, a session
cancelled or rescheduled, a membership begun or ended): it stores a completion the first
time the rules are met and announces it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime

from sqlalchemy import and_, select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from trainer.completion import AttendanceRates, Completion, Facts, evaluate
from trainer.courses import services as courses
from trainer.courses.models import Course, ModuleVersion
from trainer.courses.spec import ModuleKind
from trainer.dbtypes import utcnow
from trainer.extensions import db
from trainer.learning import outline
from trainer.learning.models import Enrolment, EnrolmentStatus, ModuleProgress
from trainer.learning.signals import enrolment_completed

# {enrolment id: attendance rates} for the enrolments whose participant is in a cohort.
AttendanceSource = Callable[[Sequence[Enrolment]], Mapping[int, AttendanceRates]]

# Where attendance comes from: the cohorts source, added by trainer.learning.init_app, answers
# for a whole list of enrolments in a fixed number of queries. An enrolment it leaves out has
# its participant in no cohort of the family: a course asking for attendance shows them its
# requirement unmet, "join a cohort" (trainer.completion.rules).
_attendance_sources: list[AttendanceSource] = []

# Enrolments judged per batch by judge_family: bounded IN lists on every database.
BATCH = 1000


def add_attendance_source(source: AttendanceSource) -> AttendanceSource:
    if source not in _attendance_sources:
        _attendance_sources.append(source)
    return source


def build_facts(enrolments: Sequence[Enrolment]) -> dict[int, Facts]:
    """{enrolment id: its facts}, in two queries plus a fixed number per attendance source."""
    if not enrolments:
        return {}
    ids = [enrolment.id for enrolment in enrolments]
    completed: dict[int, set[str]] = {enrolment_id: set() for enrolment_id in ids}
    passed: dict[int, set[str]] = {enrolment_id: set() for enrolment_id in ids}
    progress = db.session.execute(
        select(
            Enrolment.id,
            ModuleProgress.module_slug,
            ModuleProgress.completed_at,
            ModuleProgress.quiz_passed_at,
        )
        .join(
            ModuleProgress,
            and_(
                ModuleProgress.user_id == Enrolment.user_id,
                ModuleProgress.family == Enrolment.family,
            ),
        )
        .where(Enrolment.id.in_(ids))
    )
    for enrolment_id, slug, completed_at, passed_at in progress:
        if completed_at is not None:
            completed[enrolment_id].add(slug)
        if passed_at is not None:
            passed[enrolment_id].add(slug)
    surveys = _survey_slugs({enrolment.course_id for enrolment in enrolments})
    attendance: dict[int, AttendanceRates] = {}
    for source in _attendance_sources:
        attendance.update(source(enrolments))
    return {
        enrolment.id: Facts(
            completed_modules=frozenset(completed[enrolment.id]),
            passed_quizzes=frozenset(passed[enrolment.id]),
            survey_answered=surveys.get(enrolment.course_id) in completed[enrolment.id],
            attendance=attendance.get(enrolment.id),
        )
        for enrolment in enrolments
    }


def facts_with_progress(
    enrolment: Enrolment, rows: Iterable[ModuleProgress], survey_slug: str | None
) -> Facts:
    """The facts of one enrolment whose progress rows, and the survey module of its course's
    current version, the caller has loaded already: only attendance is read (a fixed few
    queries). The same facts as ``build_facts``."""
    attendance: dict[int, AttendanceRates] = {}
    for source in _attendance_sources:
        attendance.update(source([enrolment]))
    rows = list(rows)
    completed = frozenset(row.module_slug for row in rows if row.completed_at is not None)
    return Facts(
        completed_modules=completed,
        passed_quizzes=frozenset(row.module_slug for row in rows if row.quiz_passed_at),
        survey_answered=survey_slug in completed,
        attendance=attendance.get(enrolment.id),
    )


def _survey_slugs(course_ids: set[int]) -> dict[int, str]:
    """{course id: slug of the survey module of its current version}, in one query."""
    rows = db.session.execute(
        select(Course.id, ModuleVersion.slug)
        .join(ModuleVersion, ModuleVersion.course_version_id == Course.current_version_id)
        .where(Course.id.in_(course_ids), ModuleVersion.kind == ModuleKind.SURVEY.value)
    )
    return {course_id: slug for course_id, slug in rows}


def verdicts(
    enrolments: Sequence[Enrolment],
    courses_by_id: Mapping[int, Course],
    modules_by_version: Mapping[int, list[ModuleVersion]],
) -> dict[int, Completion]:
    """{enrolment id: verdict} against each course's current version; reads only.

    An enrolment whose course has no current version gets no verdict.
    """
    facts = build_facts(enrolments)
    found = {}
    for enrolment in enrolments:
        course = courses_by_id[enrolment.course_id]
        version = course.current_version
        if version is None:
            continue
        rules = outline.rules_for(version.settings, modules_by_version.get(version.id, []))
        found[enrolment.id] = evaluate(rules, facts[enrolment.id])
    return found


def judge(enrolments: Sequence[Enrolment], *, now: datetime | None = None) -> dict[int, Completion]:
    """Judge enrolments whose facts changed; the first time an active one meets the rules,
    store the completion and send ``enrolment_completed`` (inside the transaction).

    A fixed number of queries whatever the number of enrolments. The completion is stored
    by one conditional UPDATE, so of two requests completing the same enrolment at once only
    one announces it. Flushes, never commits.
    """
    if not enrolments:
        return {}
    courses_by_id = {
        course.id: course
        for course in db.session.scalars(
            select(Course)
            .options(joinedload(Course.current_version))
            .where(Course.id.in_({enrolment.course_id for enrolment in enrolments}))
        )
    }
    version_ids = [c.current_version_id for c in courses_by_id.values() if c.current_version_id]
    found = verdicts(enrolments, courses_by_id, courses.outlines(version_ids))
    newly = [
        enrolment
        for enrolment in enrolments
        if enrolment.id in found
        and found[enrolment.id].complete
        and enrolment.is_active
        and enrolment.completed_at is None
    ]
    if newly:
        _record_completions(newly, found, now or utcnow())
    return found


def _record_completions(
    enrolments: list[Enrolment], found: Mapping[int, Completion], now: datetime
) -> None:
    statement = (
        update(Enrolment)
        .where(
            Enrolment.id.in_([enrolment.id for enrolment in enrolments]),
            Enrolment.completed_at.is_(None),
            Enrolment.status == EnrolmentStatus.ACTIVE.value,
        )
        .values(completed_at=now)
        .returning(Enrolment.id)
        .execution_options(synchronize_session=False)
    )
    won = set(db.session.execute(statement).scalars())
    for enrolment in enrolments:
        if enrolment.id in won:
            set_committed_value(enrolment, "completed_at", now)
            enrolment_completed.send(enrolment, completion=found[enrolment.id])


def judge_new_version(course: Course, **_extra) -> None:
    """A new version of ``course``: its family's enrolments are judged against it now."""
    judge_family(course.family)


def judge_family(family: str, *, now: datetime | None = None) -> int:
    """Judge every active, not yet complete enrolment of a course family (after a new
    version), BATCH at a time; returns how many were judged."""
    ids = list(
        db.session.scalars(
            select(Enrolment.id)
            .where(
                Enrolment.family == family,
                Enrolment.status == EnrolmentStatus.ACTIVE.value,
                Enrolment.completed_at.is_(None),
            )
            .order_by(Enrolment.id)
        )
    )
    for start in range(0, len(ids), BATCH):
        batch = db.session.scalars(
            select(Enrolment).where(Enrolment.id.in_(ids[start : start + BATCH]))
        ).all()
        judge(batch, now=now)
    return len(ids)
