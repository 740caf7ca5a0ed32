"""What the dashboard and the drill-down know about the participants of one course family,
loaded in a fixed number of queries whatever their number.

Every statement is narrowed by ``scope.people_in_scope`` (the in-scope people are a
subquery, never a list of ids), so a coordinator's figures only ever count their own
institution's people and a cohort's trainers their cohort. The rest is plain Python over the
loaded facts: the pure ``completion.evaluate`` and ``completion.attendance_rates``, never a
query per participant.

Each statement reads only the columns the figures need, aggregated per person in the database
where a person has many rows (module progress, quiz attempts), and returns plain rows rather
than ORM entities: what a report of thousands of people costs is rows read and rows handed to
Python, so neither is spent on anything the dashboard does not show.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from sqlalchemy import Row, Select, case, func, select
from sqlalchemy.orm import joinedload

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
from trainer.reports import firsts
from trainer.reports.scope import (
    ReportFilter,
    join_active_cohort,
    narrows_by_cohort,
    people_in_scope,
)


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
    # Learning gain's scores (``reports.gain``), unrounded: the first closed pre-test
    # attempt's and the best scored post-test attempt's, in %.
    pre: float | None = None
    post: float | None = None


@dataclass(frozen=True, slots=True)
class Session:
    """One session of the family's cohorts, with its cohort's name and time zone: what the
    reports show and count of it (``cohorts.sessions.member_rates`` reads it like a
    ``TrainingSession``)."""

    id: int
    cohort_id: int
    cohort: str
    timezone: str
    starts_at: datetime
    ends_at: datetime
    place: str
    online_url: str
    is_cancelled: bool


@dataclass(frozen=True)
class CourseOutline:
    course: Course
    modules: list[ModuleVersion]
    rules: Rules

    # Cached: asked once per participant of the course.
    @cached_property
    def survey_slug(self) -> str | None:
        return next((m.slug for m in self.modules if m.kind == ModuleKind.SURVEY), None)

    @cached_property
    def attendance_percent(self) -> float | None:
        """The attendance the course's completion rules ask for, if any."""
        return next(
            (r.required_percent for r in self.rules.requirements if r.kind == "attendance"), None
        )


@dataclass
class FamilyFacts:
    people: list[Person]
    outlines: dict[int, CourseOutline]  # by course id
    sessions: list[Session]  # of the family's cohorts (the filter's cohort only)
    marks: dict[tuple[int, int], str]  # (session id, user id) -> status
    quizzes: list[QuizFigures]

    def outline_of(self, person: Person) -> CourseOutline | None:
        return self.outlines.get(person.course_id)

    def sessions_by_cohort(self) -> dict[int, list[Session]]:
        found: dict[int, list[Session]] = defaultdict(list)
        for session in self.sessions:
            found[session.cohort_id].append(session)
        return found


def scoped_people(actor: User, report: ReportFilter) -> Select:
    """The ids of the people the actor may see in the family's reports (a subquery). It
    leaves their enrolment out: every statement it narrows reads rows of the family only,
    and joining all the family's enrolments to find a few people's would cost more than
    the statement itself."""
    statement = select(User.id)
    if narrows_by_cohort(actor, report):
        statement = join_active_cohort(statement, report.family)
    return people_in_scope(actor, statement, report)


def load(actor: User, report: ReportFilter) -> FamilyFacts:
    """Everything the dashboard counts, learning gain's scores included: seven queries
    whatever the number of people."""
    people = _people(actor, report)
    by_user = {person.user_id: person for person in people}
    in_scope = scoped_people(actor, report)
    _add_progress(by_user, report, in_scope)
    quizzes = _add_attempts(by_user, report, in_scope)
    return FamilyFacts(
        people=people,
        outlines=course_outlines(report.family),
        sessions=_sessions(report, in_scope),
        marks=_marks(report, in_scope),
        quizzes=quizzes,
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
    sessions: list[Session] | list[TrainingSession],
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
        # In the order of Person's fields.
        select(
            Enrolment.user_id,
            User.full_name,
            User.email,
            User.institution_id,
            Institution.name,
            CohortMember.cohort_id,
            Cohort.name,
            CohortMember.joined_at,
            Enrolment.id,
            Enrolment.course_id,
            Enrolment.status,
            Enrolment.enrolled_at,
            Enrolment.completed_at,
            Enrolment.last_viewed_at,
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
    return [Person(*row) for row in _rows(statement)]


def _add_progress(by_user: dict[int, Person], report: ReportFilter, in_scope: Select) -> None:
    """Each person's completed modules, passed quizzes and latest completion or pass: one
    row per person, the module slugs (letters, digits and hyphens) joined by commas."""
    completed, passed = ModuleProgress.completed_at, ModuleProgress.quiz_passed_at
    slug = ModuleProgress.module_slug
    rows = _rows(
        select(
            ModuleProgress.user_id,
            func.aggregate_strings(case((completed.is_not(None), slug)), ","),
            func.aggregate_strings(case((passed.is_not(None), slug)), ","),
            func.max(completed),
            func.max(passed),
        )
        .where(ModuleProgress.family == report.family, ModuleProgress.user_id.in_(in_scope))
        .group_by(ModuleProgress.user_id)
    )
    for user_id, completed_slugs, passed_slugs, last_completed, last_passed in rows:
        person = by_user.get(user_id)
        if person is None:
            continue
        if completed_slugs:
            person.completed_modules = set(completed_slugs.split(","))
        if passed_slugs:
            person.passed_quizzes = set(passed_slugs.split(","))
        moments = [when for when in (last_completed, last_passed) if when is not None]
        person.last_completed_at = max(moments) if moments else None


def _add_attempts(
    by_user: dict[int, Person], report: ReportFilter, in_scope: Select
) -> list[QuizFigures]:
    """From one pass over the people's attempts, grouped per person and quiz: when each
    person last started one (activity), their learning-gain scores as ``reports.gain``
    defines them, and per quiz the people with a scored attempt and the mean of their best
    scores."""
    kind = ModuleVersion.kind
    closed = QuizAttempt.status.in_((AttemptStatus.SUBMITTED.value, AttemptStatus.EXPIRED.value))
    scored = QuizAttempt.status == AttemptStatus.SUBMITTED.value
    rows = _rows(
        select(
            QuizAttempt.user_id,
            QuizAttempt.module_slug,
            kind,
            func.max(QuizAttempt.started_at),
            func.min(
                case(
                    (
                        (kind == ModuleKind.PRE_TEST.value) & closed,
                        firsts.packed_percent(QuizAttempt.id, QuizAttempt.score_percent),
                    )
                )
            ),
            func.max(case((scored, QuizAttempt.score_percent))),
        )
        .join(ModuleVersion, ModuleVersion.id == QuizAttempt.module_version_id)
        .where(QuizAttempt.family == report.family, QuizAttempt.user_id.in_(in_scope))
        .group_by(QuizAttempt.user_id, QuizAttempt.module_slug, kind)
    )
    first_pre: dict[int, int] = {}
    best: dict[str, dict[int, float]] = defaultdict(dict)
    for user_id, slug, module_kind, started, pre_key, top in rows:
        person = by_user.get(user_id)
        if person is None:
            continue
        if person.last_attempt_at is None or started > person.last_attempt_at:
            person.last_attempt_at = started
        if pre_key is not None and (user_id not in first_pre or pre_key < first_pre[user_id]):
            first_pre[user_id] = pre_key
        if top is None:
            continue
        if module_kind == ModuleKind.POST_TEST.value and (person.post is None or top > person.post):
            person.post = top
        bests = best[slug]
        if user_id not in bests or top > bests[user_id]:
            bests[user_id] = top
    for user_id, key in first_pre.items():
        hundredths = key % firsts.SHIFT
        by_user[user_id].pre = None if hundredths == firsts.MISSING else hundredths / 100.0
    return [
        QuizFigures(slug, len(scores), _mean(scores.values()))
        for slug, scores in sorted(best.items())
    ]


def _mean(values) -> float | None:
    """Rounded to 2 decimals after dropping floating-point noise (as ``reports.gain``), so
    the order the values were added in never decides a tie."""
    values = list(values)
    return round(round(sum(values) / len(values), 9), 2) if values else None


def _sessions(report: ReportFilter, in_scope: Select) -> list[Session]:
    """The sessions of the cohorts the people in scope are active members of: a cohort
    that none of them belongs to is another institution's, and neither its sessions nor
    its name are the actor's to see."""
    cohorts_in_scope = select(CohortMember.cohort_id).where(
        CohortMember.family == report.family,
        CohortMember.left_at.is_(None),
        CohortMember.user_id.in_(in_scope),
    )
    statement = (
        select(
            TrainingSession.id,
            TrainingSession.cohort_id,
            Cohort.name,
            Cohort.timezone,
            TrainingSession.starts_at,
            TrainingSession.ends_at,
            TrainingSession.place,
            TrainingSession.online_url,
            TrainingSession.cancelled_at.is_not(None),
        )
        .join(Cohort, Cohort.id == TrainingSession.cohort_id)
        .where(Cohort.family == report.family, Cohort.id.in_(cohorts_in_scope))
        .order_by(Cohort.name, Cohort.id, TrainingSession.starts_at, TrainingSession.id)
    )
    if report.cohort_id is not None:
        statement = statement.where(Cohort.id == report.cohort_id)
    return [
        Session(id_, cohort_id, name, zone, starts, ends, place, url, bool(cancelled))
        for id_, cohort_id, name, zone, starts, ends, place, url, cancelled in _rows(statement)
    ]


def _marks(report: ReportFilter, in_scope: Select) -> dict[tuple[int, int], str]:
    statement = (
        select(AttendanceRecord.session_id, AttendanceRecord.user_id, AttendanceRecord.status)
        .join(TrainingSession, TrainingSession.id == AttendanceRecord.session_id)
        .join(Cohort, Cohort.id == TrainingSession.cohort_id)
        .where(Cohort.family == report.family, AttendanceRecord.user_id.in_(in_scope))
    )
    if report.cohort_id is not None:
        statement = statement.where(Cohort.id == report.cohort_id)
    return {(session_id, user_id): status for session_id, user_id, status in _rows(statement)}


def _rows(statement: Select) -> Sequence[Row]:
    """Plain rows of a statement of columns, run on the session's connection (in its
    transaction) without the ORM's per-row work: these statements load no entities. All
    fetched at once, which is far cheaper than row by row."""
    return db.session.connection().execute(statement).all()
