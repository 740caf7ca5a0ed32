"""What the dashboard and the drill-down know about the participants of one course family,
loaded in a fixed number of queries whatever their number.

Every statement is narrowed by ``scope.people_in_scope`` (the in-scope people are a
subquery, never a list of ids), so a coordinator's figures only ever count their own
institution's people and a cohort's trainers their cohort. The rest is plain Python over the
loaded facts: the pure ``completion.evaluate`` and ``completion.attendance_rates``, never a
query per participant.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import contains_eager, joinedload

from trainer.auth.models import Institution, User
from trainer.cohorts.models import AttendanceRecord, Cohort, CohortMember, TrainingSession
from trainer.cohorts.sessions import member_rates
from trainer.completion import Facts, Rules
from trainer.completion.attendance import AttendanceRates
from trainer.courses import services as courses
from trainer.courses.models import Course, ModuleVersion
from trainer.courses.spec import ModuleKind
from trainer.extensions import db
from trainer.learning import outline
from trainer.learning.models import AttemptStatus, Enrolment, ModuleProgress, QuizAttempt
from trainer.reports.scope import ReportFilter, join_active_cohort, people_in_scope


@dataclass(frozen=True)
class QuizFigures:
    """One quiz of the family among the people in scope: how many have a scored attempt at
    it, and the mean of their best scores (%)."""

    module_slug: str
    attempted: int
    mean_best: float | None


@dataclass
class Person:
    """One enrolment of the family, as loaded."""

    user_id: int
    name: str
    email: str
    institution_id: int | None
    institution: str | None
    cohort_id: int | None
    cohort: str | None
    joined_at: datetime | None
    enrolment_id: int
    course_id: int
    status: str
    enrolled_at: datetime
    completed_at: datetime | None
    last_viewed_at: datetime | None
    completed_modules: set[str] = field(default_factory=set)
    passed_quizzes: set[str] = field(default_factory=set)
    last_completed_at: datetime | None = None
    last_attempt_at: datetime | None = None


@dataclass(frozen=True)
class CourseOutline:
    course: Course
    modules: list[ModuleVersion]
    rules: Rules

    @property
    def survey_slug(self) -> str | None:
        return next((m.slug for m in self.modules if m.kind == ModuleKind.SURVEY), None)

    @property
    def attendance_percent(self) -> float | None:
        """The attendance the course's completion rules ask for, if any."""
        return next(
            (r.required_percent for r in self.rules.requirements if r.kind == "attendance"), None
        )


@dataclass
class FamilyFacts:
    people: list[Person]
    outlines: dict[int, CourseOutline]  # by course id
    sessions: list[TrainingSession]  # of the family's cohorts (the filter's cohort only)
    marks: dict[tuple[int, int], str]  # (session id, user id) -> status
    quizzes: list[QuizFigures]

    def outline_of(self, person: Person) -> CourseOutline | None:
        return self.outlines.get(person.course_id)

    def sessions_by_cohort(self) -> dict[int, list[TrainingSession]]:
        found: dict[int, list[TrainingSession]] = defaultdict(list)
        for session in self.sessions:
            found[session.cohort_id].append(session)
        return found


def scoped_people(actor: User, report: ReportFilter) -> Select:
    """The ids of the family's enrolled people the actor may see (a subquery)."""
    statement = (
        select(User.id)
        .select_from(Enrolment)
        .join(User, User.id == Enrolment.user_id)
        .where(Enrolment.family == report.family)
    )
    return people_in_scope(actor, join_active_cohort(statement, report.family), report)


def load(actor: User, report: ReportFilter) -> FamilyFacts:
    """Everything the dashboard counts: eight queries whatever the number of people."""
    people = _people(actor, report)
    by_user = {person.user_id: person for person in people}
    in_scope = scoped_people(actor, report)
    _add_progress(by_user, report, in_scope)
    _add_last_attempts(by_user, report, in_scope)
    sessions = _sessions(report)
    return FamilyFacts(
        people=people,
        outlines=course_outlines(report.family),
        sessions=sessions,
        marks=_marks(report, in_scope),
        quizzes=_quiz_figures(report, in_scope),
    )


def course_outlines(family: str) -> dict[int, CourseOutline]:
    """The current outline and completion rules of each course of the family (two queries)."""
    found = list(
        db.session.scalars(
            select(Course)
            .options(joinedload(Course.current_version))
            .where(Course.family == family)
            .order_by(Course.language, Course.id)
        )
    )
    modules = courses.outlines([c.current_version_id for c in found if c.current_version_id])
    outlines = {}
    for course in found:
        version = course.current_version
        if version is None:
            continue
        listed = modules.get(version.id, [])
        outlines[course.id] = CourseOutline(
            course, listed, outline.rules_for(version.settings, listed)
        )
    return outlines


def attendance_of(
    person: Person,
    sessions: list[TrainingSession],
    marks: dict[tuple[int, int], str],
    *,
    now: datetime,
) -> AttendanceRates | None:
    """The person's rates in their current cohort, over ``sessions`` (of that cohort)."""
    if person.cohort_id is None or person.joined_at is None:
        return None
    return member_rates(
        sessions,
        marks,
        person.user_id,
        joined_at=person.joined_at,
        now=now,
    )


def completion_facts(
    person: Person, outline_: CourseOutline | None, attendance: AttendanceRates | None
) -> Facts:
    survey = outline_.survey_slug if outline_ else None
    return Facts(
        completed_modules=frozenset(person.completed_modules),
        passed_quizzes=frozenset(person.passed_quizzes),
        survey_answered=survey is not None and survey in person.completed_modules,
        attendance=attendance,
    )


def one_person(actor: User, report: ReportFilter, user_id: int) -> Person | None:
    """The person's enrolment in the family, if the actor may see them there (one query)."""
    found = _people(actor, report, user_id=user_id)
    return found[0] if found else None


def _people(actor: User, report: ReportFilter, *, user_id: int | None = None) -> list[Person]:
    statement = (
        select(
            Enrolment.id.label("enrolment_id"),
            Enrolment.user_id,
            Enrolment.course_id,
            Enrolment.status,
            Enrolment.enrolled_at,
            Enrolment.completed_at,
            Enrolment.last_viewed_at,
            User.full_name,
            User.email,
            User.institution_id,
            Institution.name.label("institution"),
            CohortMember.cohort_id,
            CohortMember.joined_at,
            Cohort.name.label("cohort"),
        )
        .select_from(Enrolment)
        .join(User, User.id == Enrolment.user_id)
        .outerjoin(Institution, Institution.id == User.institution_id)
        .where(Enrolment.family == report.family)
    )
    statement = join_active_cohort(statement, report.family).outerjoin(
        Cohort, Cohort.id == CohortMember.cohort_id
    )
    statement = people_in_scope(actor, statement, report).order_by(User.full_name, User.id)
    if user_id is not None:
        statement = statement.where(User.id == user_id)
    return [
        Person(
            user_id=row.user_id,
            name=row.full_name,
            email=row.email,
            institution_id=row.institution_id,
            institution=row.institution,
            cohort_id=row.cohort_id,
            cohort=row.cohort,
            joined_at=row.joined_at,
            enrolment_id=row.enrolment_id,
            course_id=row.course_id,
            status=row.status,
            enrolled_at=row.enrolled_at,
            completed_at=row.completed_at,
            last_viewed_at=row.last_viewed_at,
        )
        for row in db.session.execute(statement)
    ]


def _add_progress(by_user: dict[int, Person], report: ReportFilter, in_scope: Select) -> None:
    rows = db.session.execute(
        select(
            ModuleProgress.user_id,
            ModuleProgress.module_slug,
            ModuleProgress.completed_at,
            ModuleProgress.quiz_passed_at,
        ).where(ModuleProgress.family == report.family, ModuleProgress.user_id.in_(in_scope))
    )
    for user_id, slug, completed_at, passed_at in rows:
        person = by_user.get(user_id)
        if person is None:
            continue
        for when in (completed_at, passed_at):
            if when is not None and (
                person.last_completed_at is None or when > person.last_completed_at
            ):
                person.last_completed_at = when
        if completed_at is not None:
            person.completed_modules.add(slug)
        if passed_at is not None:
            person.passed_quizzes.add(slug)


def _add_last_attempts(by_user: dict[int, Person], report: ReportFilter, in_scope: Select) -> None:
    """When each person last started a quiz attempt (activity)."""
    rows = db.session.execute(
        select(QuizAttempt.user_id, func.max(QuizAttempt.started_at))
        .where(QuizAttempt.family == report.family, QuizAttempt.user_id.in_(in_scope))
        .group_by(QuizAttempt.user_id)
    )
    for user_id, last in rows:
        person = by_user.get(user_id)
        if person is not None:
            person.last_attempt_at = last


def _quiz_figures(report: ReportFilter, in_scope: Select) -> list[QuizFigures]:
    """Per quiz, the people with a scored attempt and the mean of their best scores: the
    best per person, then the mean per quiz, both in SQL."""
    best = (
        select(
            QuizAttempt.module_slug,
            func.max(QuizAttempt.score_percent).label("best"),
        )
        .where(
            QuizAttempt.family == report.family,
            QuizAttempt.status == AttemptStatus.SUBMITTED.value,
            QuizAttempt.score_percent.is_not(None),
            QuizAttempt.user_id.in_(in_scope),
        )
        .group_by(QuizAttempt.user_id, QuizAttempt.module_slug)
        .subquery()
    )
    rows = db.session.execute(
        select(best.c.module_slug, func.count(), func.avg(best.c.best))
        .group_by(best.c.module_slug)
        .order_by(best.c.module_slug)
    )
    return [
        QuizFigures(slug, attempted, None if mean is None else round(float(mean), 2))
        for slug, attempted, mean in rows
    ]


def _sessions(report: ReportFilter) -> list[TrainingSession]:
    statement = (
        select(TrainingSession)
        .join(TrainingSession.cohort)
        .options(contains_eager(TrainingSession.cohort))
        .where(Cohort.family == report.family)
        .order_by(Cohort.name, Cohort.id, TrainingSession.starts_at, TrainingSession.id)
    )
    if report.cohort_id is not None:
        statement = statement.where(Cohort.id == report.cohort_id)
    return list(db.session.scalars(statement).unique())


def _marks(report: ReportFilter, in_scope: Select) -> dict[tuple[int, int], str]:
    statement = (
        select(AttendanceRecord.session_id, AttendanceRecord.user_id, AttendanceRecord.status)
        .join(TrainingSession, TrainingSession.id == AttendanceRecord.session_id)
        .join(Cohort, Cohort.id == TrainingSession.cohort_id)
        .where(Cohort.family == report.family, AttendanceRecord.user_id.in_(in_scope))
    )
    if report.cohort_id is not None:
        statement = statement.where(Cohort.id == report.cohort_id)
    return {
        (session_id, user_id): status
        for session_id, user_id, status in db.session.execute(statement)
    }
