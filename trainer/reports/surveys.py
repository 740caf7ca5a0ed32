"""Satisfaction survey results: each scale question's distribution and mean, and the
free-text answers, by institution and cohort, never for a group small enough to point at
people.

- Which responses count: every submitted response to a survey module of the family, with
  the institution and cohort it belongs to. An anonymous survey's response keeps the
  institution and cohort the respondent had when answering (``SurveyResponse``); a named
  survey's answers (``AttemptAnswer``) count with the person's institution and current
  cohort of the family, like every other report.
- Scope: an anonymous response names nobody, so it is scoped by its institution, through
  ``auth.policy.scope_institutions`` (admins see every response, programme coordinators
  those of every institution, a coordinator their own institution's); a cohort's trainers
  see their cohorts' (``trainer.cohorts.policy.trained_cohort_ids``). Named answers go
  through ``people_in_scope`` like the other reports, which agrees.
- The minimum group: a group (institution, cohort) with fewer than ``SURVEY_MIN_GROUP``
  responses (a setting, 5 by default) is never shown on its own: such groups are merged
  into "other", and "other" itself is left out while it is still under the minimum. Only
  how many responses were left out is said. The overall figures add up the groups shown,
  so that nothing left out can be worked out by subtracting the groups from the total.
- Free-text answers are shown only within groups that are shown, sorted alphabetically so
  their order says nothing about who answered first.

``survey_results`` runs two SQL queries whatever the number of responses: the family's
survey versions (the questions' wording, and which versions are named), then one statement
that reads the answers once for the groups, the scale counts and the free-text answers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from flask import current_app
from markupsafe import Markup
from sqlalchemy import Float, Select, String, cast, func, literal, null, select, union_all

from trainer.auth.models import Institution, User
from trainer.auth.policy import is_admin, is_trainer, scope_institutions
from trainer.cohorts.models import Cohort, CohortMember
from trainer.cohorts.policy import trained_cohort_ids
from trainer.courses.models import Course, CourseVersion, ModuleVersion
from trainer.courses.spec import ModuleKind, quiz_settings
from trainer.extensions import db
from trainer.learning.models import (
    AttemptAnswer,
    AttemptStatus,
    QuizAttempt,
    SurveyAnswer,
    SurveyResponse,
)
from trainer.reports.scope import ReportFilter, join_active_cohort, people_in_scope

DEFAULT_MIN_GROUP = 5
SCALE = "scale"
TEXT = "free_text"
GROUP = "group"


@dataclass(frozen=True)
class SurveyQuestion:
    id: str
    type: str  # "scale" or "free_text"
    text_html: str  # sanitised when the course was imported
    low: int | None = None
    high: int | None = None
    low_label: str | None = None
    high_label: str | None = None

    @property
    def text(self) -> str:
        """The wording as plain text (PDFs, exports)."""
        # text_html was sanitised by bleach at import; Markup only strips its tags here.
        return Markup(self.text_html).striptags() or self.id  # noqa: S704

    @property
    def points(self) -> tuple[int, ...]:
        if self.low is None or self.high is None:
            return ()
        return tuple(range(self.low, self.high + 1))


@dataclass(frozen=True)
class ScaleSummary:
    question_id: str
    n: int
    mean: float | None  # rounded to 2 decimals
    counts: tuple[tuple[int, int], ...]  # (point, how many chose it), every point listed

    def percent(self, count: int) -> float:
        return round(100 * count / self.n, 1) if self.n else 0.0


@dataclass(frozen=True)
class SurveyGroup:
    """One institution and cohort, or "other" (``is_other``), or everything shown
    (``is_overall``). Names are None for responses kept without one."""

    institution_id: int | None
    institution: str | None
    cohort_id: int | None
    cohort: str | None
    responses: int
    scales: tuple[ScaleSummary, ...]
    texts: tuple[tuple[str, tuple[str, ...]], ...]  # (question id, answers)
    is_other: bool = False
    is_overall: bool = False

    def scale(self, question_id: str) -> ScaleSummary | None:
        return next((s for s in self.scales if s.question_id == question_id), None)

    def answers(self, question_id: str) -> tuple[str, ...]:
        return next((texts for qid, texts in self.texts if qid == question_id), ())


@dataclass(frozen=True)
class SurveyResults:
    min_group: int
    questions: tuple[SurveyQuestion, ...]
    groups: tuple[SurveyGroup, ...]  # by institution then cohort; "other" last
    overall: SurveyGroup | None  # the groups shown, together; None when none is shown
    responses_left_out: int  # in groups too small to show, even merged

    @property
    def scale_questions(self) -> tuple[SurveyQuestion, ...]:
        return tuple(q for q in self.questions if q.type == SCALE)

    @property
    def text_questions(self) -> tuple[SurveyQuestion, ...]:
        return tuple(q for q in self.questions if q.type == TEXT)


class _GroupRow(NamedTuple):
    institution_id: int | None
    cohort_id: int | None
    institution: str | None
    cohort: str | None
    responses: int


class _SurveyVersion(NamedTuple):
    id: int
    slug: str
    language: str
    position: int
    quiz: dict | None
    is_current: bool


def min_group() -> int:
    """The smallest number of responses shown as a group (``SURVEY_MIN_GROUP``), never
    below 1."""
    return max(1, int(current_app.config.get("SURVEY_MIN_GROUP", DEFAULT_MIN_GROUP)))


def survey_results(
    actor: User,
    report: ReportFilter,
    *,
    language: str | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> SurveyResults:
    """The family's survey results the actor may see, by institution and cohort.

    ``language`` picks the wording of the questions (the family's course in that language
    when there is one); ``starts_on`` and ``ends_on`` keep the responses of those days
    (anonymous responses keep only their day, so the range is by day for all).
    """
    smallest = min_group()
    versions = _survey_versions(report.family)
    named = [v.id for v in versions if not quiz_settings(v.quiz or {})["anonymous"]]
    answers = _answers(actor, report, starts_on, ends_on, named).cte("answers")
    key = (answers.c.institution_id, answers.c.cohort_id)
    no_text, no_number = cast(null(), String), cast(null(), Float)
    # One statement, the answers read once: per group the responses, per group, question
    # and scale point the count, and the free-text answers as they are.
    groups = (
        select(
            literal(GROUP).label("part"),
            *key,
            Institution.name.label("institution"),
            Cohort.name.label("cohort"),
            no_text.label("question_id"),
            no_number.label("number"),
            no_text.label("value"),
            func.count(func.distinct(answers.c.response_key)).label("n"),
        )
        .outerjoin(Institution, Institution.id == answers.c.institution_id)
        .outerjoin(Cohort, Cohort.id == answers.c.cohort_id)
        .group_by(*key, Institution.name, Cohort.name)
    )
    scales = (
        select(
            literal(SCALE),
            *key,
            no_text,
            no_text,
            answers.c.question_id,
            answers.c.number,
            no_text,
            func.count(),
        )
        .where(answers.c.question_type == SCALE, answers.c.number.is_not(None))
        .group_by(*key, answers.c.question_id, answers.c.number)
    )
    texts = select(
        literal(TEXT),
        *key,
        no_text,
        no_text,
        answers.c.question_id,
        no_number,
        answers.c.value,
        literal(1),
    ).where(answers.c.question_type == TEXT, answers.c.value.is_not(None))
    parts: dict[str, list] = {GROUP: [], SCALE: [], TEXT: []}
    for row in db.session.execute(union_all(groups, scales, texts)):
        parts[row.part].append(row)
    group_rows = [
        _GroupRow(r.institution_id, r.cohort_id, r.institution, r.cohort, r.n) for r in parts[GROUP]
    ]
    scale_rows, text_rows = parts[SCALE], parts[TEXT]
    questions = _with_unworded(_questions(report.family, versions, language), scale_rows, text_rows)
    return _assemble(smallest, questions, group_rows, scale_rows, text_rows)


def _assemble(smallest, questions, group_rows, scale_rows, text_rows) -> SurveyResults:
    """Merge the small groups into "other", drop "other" if still small, add up."""
    shown = {(r.institution_id, r.cohort_id): r for r in group_rows if r.responses >= smallest}
    small = [r for r in group_rows if r.responses < smallest]
    other_size = sum(r.responses for r in small)
    show_other = other_size >= smallest
    left_out = 0 if show_other else other_size

    def target(institution_id, cohort_id):
        """Where a (institution, cohort) counts: itself, "other", or nowhere (None)."""
        if (institution_id, cohort_id) in shown:
            return (institution_id, cohort_id)
        return "other" if show_other else None

    counts: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for row in scale_rows:
        where = target(row.institution_id, row.cohort_id)
        if where is not None:
            counts[where][row.question_id][int(row.number)] += row.n
    texts: dict = defaultdict(lambda: defaultdict(list))
    for row in text_rows:
        where = target(row.institution_id, row.cohort_id)
        if where is not None:
            texts[where][row.question_id].append(row.value)

    ordered = sorted(
        shown.values(),
        key=lambda r: (
            r.institution is None,
            r.institution or "",
            r.cohort is None,
            r.cohort or "",
        ),
    )
    groups = [
        _group(
            questions,
            counts[(r.institution_id, r.cohort_id)],
            texts[(r.institution_id, r.cohort_id)],
            institution_id=r.institution_id,
            institution=r.institution,
            cohort_id=r.cohort_id,
            cohort=r.cohort,
            responses=r.responses,
        )
        for r in ordered
    ]
    if show_other:
        groups.append(
            _group(questions, counts["other"], texts["other"], responses=other_size, is_other=True)
        )
    overall = None
    if groups:
        overall_counts: dict = defaultdict(lambda: defaultdict(int))
        overall_texts: dict = defaultdict(list)
        for where in [*shown, *(["other"] if show_other else [])]:
            for question_id, points in counts[where].items():
                for point, n in points.items():
                    overall_counts[question_id][point] += n
            for question_id, values in texts[where].items():
                overall_texts[question_id].extend(values)
        overall = _group(
            questions,
            overall_counts,
            overall_texts,
            responses=sum(g.responses for g in groups),
            is_overall=True,
        )
    return SurveyResults(
        min_group=smallest,
        questions=questions,
        groups=tuple(groups),
        overall=overall,
        responses_left_out=left_out,
    )


def _group(questions, counts, texts, **extra) -> SurveyGroup:
    """One group's summaries, in the questions' order; scale points outside the current
    wording's range (an older version's scale) still count."""
    scales = []
    for question in questions:
        if question.type != SCALE:
            continue
        chosen = counts.get(question.id, {})
        points = sorted(set(question.points) | set(chosen))
        n = sum(chosen.values())
        total = sum(point * count for point, count in chosen.items())
        scales.append(
            ScaleSummary(
                question_id=question.id,
                n=n,
                mean=round(total / n, 2) if n else None,
                counts=tuple((point, chosen.get(point, 0)) for point in points),
            )
        )
    answered = tuple(
        (question.id, tuple(sorted(texts[question.id], key=str.casefold)))
        for question in questions
        if question.type == TEXT and texts.get(question.id)
    )
    fields = {"institution_id": None, "institution": None, "cohort_id": None, "cohort": None}
    fields.update(extra)
    return SurveyGroup(scales=tuple(scales), texts=answered, **fields)


def _with_unworded(questions, scale_rows, text_rows) -> tuple[SurveyQuestion, ...]:
    """The questions, then any answered question that the current wording no longer has
    (shown by its id), so that no answer silently drops out."""
    known = {q.id for q in questions}
    extra: dict[str, SurveyQuestion] = {}
    for kind, rows in ((SCALE, scale_rows), (TEXT, text_rows)):
        for row in rows:
            if row.question_id not in known and row.question_id not in extra:
                extra[row.question_id] = SurveyQuestion(row.question_id, kind, "")
    return (*questions, *sorted(extra.values(), key=lambda q: q.id))


def _answers(
    actor: User,
    report: ReportFilter,
    starts_on: date | None,
    ends_on: date | None,
    named_versions: list[int],
) -> Select:
    """Every survey answer in scope, anonymous or named, as (response key, institution,
    cohort, question id, type, value, number). Named answers are looked for only in the
    attempts at ``named_versions`` (the family's survey versions that are not anonymous),
    so a programme whose surveys are all anonymous reads no attempt at all."""
    anonymous = (
        select(
            SurveyResponse.id.label("response_key"),
            SurveyResponse.institution_id.label("institution_id"),
            SurveyResponse.cohort_id.label("cohort_id"),
            SurveyAnswer.question_id,
            SurveyAnswer.question_type,
            SurveyAnswer.value,
            SurveyAnswer.number,
        )
        .join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
        .where(SurveyResponse.family == report.family)
    )
    anonymous = _scope_responses(actor, anonymous, report)
    if starts_on is not None:
        anonymous = anonymous.where(SurveyResponse.submitted_on >= starts_on)
    if ends_on is not None:
        anonymous = anonymous.where(SurveyResponse.submitted_on <= ends_on)

    if not named_versions:
        return anonymous
    named = (
        select(
            (literal("a") + cast(QuizAttempt.id, String)).label("response_key"),
            User.institution_id.label("institution_id"),
            CohortMember.cohort_id.label("cohort_id"),
            AttemptAnswer.question_id,
            AttemptAnswer.question_type,
            AttemptAnswer.value,
            AttemptAnswer.number,
        )
        .select_from(QuizAttempt)
        .join(User, User.id == QuizAttempt.user_id)
        .join(AttemptAnswer, AttemptAnswer.attempt_id == QuizAttempt.id)
        .where(
            QuizAttempt.module_version_id.in_(named_versions),
            QuizAttempt.family == report.family,
            QuizAttempt.status == AttemptStatus.SUBMITTED.value,
        )
    )
    named = people_in_scope(actor, join_active_cohort(named, report.family), report)
    if starts_on is not None:
        named = named.where(func.date(QuizAttempt.submitted_at) >= starts_on)
    if ends_on is not None:
        named = named.where(func.date(QuizAttempt.submitted_at) <= ends_on)
    return union_all(anonymous, named)


def _scope_responses(actor: User, statement: Select, report: ReportFilter) -> Select:
    """Anonymous responses the actor may see, narrowed as the filter asks (see the module
    docstring)."""
    if is_trainer(actor):
        statement = statement.where(SurveyResponse.cohort_id.in_(trained_cohort_ids(actor)))
    elif not is_admin(actor):
        visible = scope_institutions(actor, select(Institution.id))
        statement = statement.where(SurveyResponse.institution_id.in_(visible))
    if report.institution_id is not None:
        statement = statement.where(SurveyResponse.institution_id == report.institution_id)
    if report.cohort_id is not None:
        statement = statement.where(SurveyResponse.cohort_id == report.cohort_id)
    return statement


def _survey_versions(family: str) -> list[_SurveyVersion]:
    """Every version of the family's survey modules, current or not, with its course's
    slug and language (one query): the current ones word the questions, and the named
    (not anonymous) ones are where named answers are."""
    rows = db.session.execute(
        select(
            ModuleVersion.id,
            Course.slug,
            Course.language,
            ModuleVersion.position,
            ModuleVersion.quiz,
            (Course.current_version_id == ModuleVersion.course_version_id).label("current"),
        )
        .join(CourseVersion, CourseVersion.id == ModuleVersion.course_version_id)
        .join(Course, Course.id == CourseVersion.course_id)
        .where(Course.family == family, ModuleVersion.kind == ModuleKind.SURVEY.value)
        .order_by(Course.id, ModuleVersion.position, ModuleVersion.id)
    ).all()
    return [_SurveyVersion(*row[:5], bool(row[5])) for row in rows]


def _questions(
    family: str, versions: list[_SurveyVersion], language: str | None
) -> tuple[SurveyQuestion, ...]:
    """The scale and free-text questions of the family's survey, worded as the current
    version of its course in ``language`` has them (else the family's original course,
    else any of its translations)."""
    rows = [version for version in versions if version.is_current]
    if not rows:
        return ()
    preferred = sorted(rows, key=lambda r: (r.language != language, r.slug != family))[0]
    chosen = [r for r in rows if r.slug == preferred.slug]
    questions: dict[str, SurveyQuestion] = {}
    for row in chosen:
        for question in (row.quiz or {}).get("questions", ()):
            if question.get("type") not in (SCALE, TEXT) or question["id"] in questions:
                continue
            scale = question.get("scale") or {}
            questions[question["id"]] = SurveyQuestion(
                id=question["id"],
                type=question["type"],
                text_html=question.get("text_html", ""),
                low=scale.get("low") if question["type"] == SCALE else None,
                high=scale.get("high") if question["type"] == SCALE else None,
                low_label=scale.get("low_label"),
                high_label=scale.get("high_label"),
            )
    return tuple(questions.values())
