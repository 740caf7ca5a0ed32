"""The evaluation report for funders, per course family or per cohort: enrolment and
completion by institution, attendance, learning gain, satisfaction and the five weakest
questions, for the page and the PDF alike (``evaluation_report`` is the one query function
both render).

- Enrolment and completion: every enrolment in the family of the people in scope (withdrawn
  ones too: PRODUCT.md's completion rate is completed enrolments / enrolments), by their
  institution.
- Attendance, by cohort: PRODUCT.md's rate so far, pooled over the cohort's members in scope
  (present + late over the sessions held less the excused, each member's own sessions), and
  the members whose own rate meets the course's ``completion.attendance_percent``.
- Learning gain (``gain``), satisfaction (``surveys``, groups of at least SURVEY_MIN_GROUP
  only) and item analysis (``items``): the five questions with the lowest % correct (each
  participant's first scored attempt), with their wording.

Scope is every report's (``scope.people_in_scope``): admins and programme coordinators see
every institution, a coordinator their own, a cohort's trainers their cohort. A fixed number
of queries (fifteen), whatever the number of participants; the per-member attendance is
worked out in Python over facts already loaded (``cohorts.sessions.current_rates``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import case, func, select

from trainer.auth.models import Institution, User
from trainer.cohorts.models import Cohort, CohortMember
from trainer.cohorts.sessions import current_rates
from trainer.courses.models import Course, CourseVersion, ModuleVersion
from trainer.extensions import db
from trainer.learning.models import Enrolment
from trainer.reports import gain, items, surveys
from trainer.reports.scope import ReportFilter, join_active_cohort, people_in_scope

WEAKEST = 5


@dataclass(frozen=True)
class InstitutionCompletion:
    name: str | None  # None: people of no institution (seen by admins only)
    enrolled: int
    withdrawn: int
    completed: int

    @property
    def completion_rate(self) -> float | None:
        return round(100 * self.completed / self.enrolled, 1) if self.enrolled else None


@dataclass(frozen=True)
class CohortAttendance:
    name: str
    members: int  # in scope, active members of the cohort
    attended: int  # present or late, over their sessions held
    expected: int  # their sessions held, less the excused
    meeting: int  # members whose own rate toward completion meets the course's threshold
    threshold: float | None

    @property
    def rate(self) -> float | None:
        return round(100 * self.attended / self.expected, 1) if self.expected else None


@dataclass(frozen=True)
class WeakQuestion:
    module_title: str
    question: str  # the wording, plain text
    n: int
    percent_correct: float


@dataclass(frozen=True)
class EvaluationReport:
    family: str
    course_title: str
    cohort: str | None
    completion: tuple[InstitutionCompletion, ...]
    total: InstitutionCompletion
    attendance: tuple[CohortAttendance, ...]
    gain_by_institution: tuple[gain.GroupGain, ...]
    gain_by_cohort: tuple[gain.GroupGain, ...]
    satisfaction: surveys.SurveyResults
    weakest: tuple[WeakQuestion, ...]


def evaluation_report(
    actor: User, report: ReportFilter, *, language: str | None = None, cohort: Cohort | None = None
) -> EvaluationReport:
    """Everything the evaluation report shows, for the people the actor may see."""
    completion = _completion(actor, report)
    total = InstitutionCompletion(
        name=None,
        enrolled=sum(row.enrolled for row in completion),
        withdrawn=sum(row.withdrawn for row in completion),
        completed=sum(row.completed for row in completion),
    )
    all_items = items.item_statistics(actor, report)
    return EvaluationReport(
        family=report.family,
        course_title=_course_title(report.family, language),
        cohort=cohort.name if cohort is not None else None,
        completion=tuple(completion),
        total=total,
        attendance=tuple(_attendance(actor, report)),
        gain_by_institution=tuple(gain.institution_gains(actor, report)),
        gain_by_cohort=tuple(gain.cohort_gains(actor, report)),
        satisfaction=surveys.survey_results(actor, report, language=language),
        weakest=tuple(_weakest(report.family, language, all_items)),
    )


def _completion(actor: User, report: ReportFilter) -> list[InstitutionCompletion]:
    statement = (
        select(
            Institution.name,
            func.count(Enrolment.id).label("enrolled"),
            func.count(case((Enrolment.withdrawn_at.is_not(None), 1))).label("withdrawn"),
            func.count(Enrolment.completed_at).label("completed"),
        )
        .select_from(Enrolment)
        .join(User, User.id == Enrolment.user_id)
        .outerjoin(Institution, Institution.id == User.institution_id)
        .where(Enrolment.family == report.family)
        .group_by(Institution.id, Institution.name)
        .order_by(Institution.name.is_(None), Institution.name)
    )
    statement = people_in_scope(actor, join_active_cohort(statement, report.family), report)
    return [
        InstitutionCompletion(row.name, row.enrolled, row.withdrawn, row.completed)
        for row in db.session.execute(statement)
    ]


def _attendance(actor: User, report: ReportFilter) -> list[CohortAttendance]:
    """Per cohort: one query for the members in scope, three for their rates
    (``current_rates``), one for the cohorts' thresholds."""
    statement = (
        select(User.id, CohortMember.cohort_id)
        .select_from(Enrolment)
        .join(User, User.id == Enrolment.user_id)
        .where(Enrolment.family == report.family)
    )
    statement = people_in_scope(actor, join_active_cohort(statement, report.family), report)
    members = [(row.id, row.cohort_id) for row in db.session.execute(statement)]
    members = [(user_id, cohort_id) for user_id, cohort_id in members if cohort_id is not None]
    if not members:
        return []
    rates = current_rates({(user_id, report.family) for user_id, _cohort in members})
    cohorts = {
        row.id: (row.name, _threshold(row.settings))
        for row in db.session.execute(
            select(Cohort.id, Cohort.name, _settings_of_current_version())
            .join(Course, Course.id == Cohort.course_id)
            .where(Cohort.id.in_({cohort_id for _user, cohort_id in members}))
        )
    }
    totals: dict[int, dict] = defaultdict(
        lambda: {"members": 0, "attended": 0, "expected": 0, "meeting": 0}
    )
    for user_id, cohort_id in members:
        found = rates.get((user_id, report.family))
        total = totals[cohort_id]
        total["members"] += 1
        if found is None:
            continue
        total["attended"] += found.attended
        total["expected"] += max(found.held - found.excused, 0)
        threshold = cohorts[cohort_id][1]
        if threshold and (found.toward_completion or 0) + 1e-9 >= threshold:
            total["meeting"] += 1
    return sorted(
        (
            CohortAttendance(name=cohorts[cohort_id][0], threshold=cohorts[cohort_id][1], **total)
            for cohort_id, total in totals.items()
        ),
        key=lambda row: row.name,
    )


def _settings_of_current_version():
    return (
        select(CourseVersion.settings)
        .where(CourseVersion.id == Course.current_version_id)
        .scalar_subquery()
        .label("settings")
    )


def _threshold(settings: dict | None) -> float | None:
    completion = (settings or {}).get("completion") or {}
    value = completion.get("attendance_percent")
    return float(value) if value else None


def _course_title(family: str, language: str | None) -> str:
    rows = db.session.execute(
        select(Course.slug, Course.language, Course.title).where(Course.family == family)
    ).all()
    if not rows:
        return family
    return sorted(rows, key=lambda r: (r.language != language, r.slug != family))[0].title


def _weakest(family: str, language: str | None, stats: list[items.ItemStats]) -> list[WeakQuestion]:
    """The questions with the lowest % correct (more answers first on a tie), worded as the
    course in ``language`` words them: one query."""
    weakest = sorted(
        (item for item in stats if item.n),
        key=lambda i: (i.percent_correct, -i.n, i.module_slug, i.question_id),
    )[:WEAKEST]
    if not weakest:
        return []
    rows = db.session.execute(
        select(
            Course.slug,
            Course.language,
            ModuleVersion.slug.label("module"),
            ModuleVersion.title,
            ModuleVersion.quiz,
        )
        .join(ModuleVersion, ModuleVersion.course_version_id == Course.current_version_id)
        .where(
            Course.family == family,
            ModuleVersion.slug.in_({item.module_slug for item in weakest}),
        )
    ).all()
    rows.sort(key=lambda r: (r.language != language, r.slug != family), reverse=True)
    wording: dict[tuple[str, str], tuple[str, str]] = {}
    for row in rows:  # the preferred course last, so its wording wins
        for question in (row.quiz or {}).get("questions", ()):
            text = Markup(question.get("text_html", "")).striptags()  # noqa: S704 (bleached)
            wording[(row.module, question["id"])] = (row.title, text or question["id"])
    return [
        WeakQuestion(
            module_title=wording.get((item.module_slug, item.question_id), (item.module_slug,))[0],
            question=wording.get((item.module_slug, item.question_id), ("", item.question_id))[1],
            n=item.n,
            percent_correct=item.percent_correct,
        )
        for item in weakest
    ]
