"""Item analysis: how each question of a family's quizzes fares, and pre-test against
post-test.

- Which answers count: each participant's *first* scored attempt at each quiz, so that
  retries made after seeing the feedback do not weigh on a question. An unanswered question
  counts as answered wrong.
- Per question (of one module; a question id shared by the pre-test and the post-test gives
  one row for each): n, how many got it right, % correct, the mean points and the mean % of
  its points, and for choice questions how often each choice was picked (a multiple-choice
  answer picks each of its choices).
- A question is flagged as one most people miss when fewer than ``MISSED_BELOW_PERCENT``
  (50 %) got it right, out of at least ``MISSED_MIN_ANSWERS`` (5) answers: below five
  answers a percentage says more about chance than about the question.

Questions are recognised by their ``{id=...}``, which stays the same across versions and
translations of the course, so all of them count together. Percentages are rounded to 2
decimals, mean points to 4.

``item_statistics`` runs one SQL query whatever the number of participants; the pre/post
comparison pairs its results without another.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Select, case, func, select

from trainer.auth.models import User
from trainer.courses.models import ModuleVersion
from trainer.courses.spec import ModuleKind
from trainer.extensions import db
from trainer.learning.answer_facts import CHOICE_TYPES
from trainer.learning.models import AttemptAnswer, AttemptStatus, QuizAttempt
from trainer.reports import firsts
from trainer.reports.scope import ReportFilter, join_active_cohort, people_in_scope

MISSED_BELOW_PERCENT = 50.0
MISSED_MIN_ANSWERS = 5


@dataclass(frozen=True)
class ChoicePicks:
    key: str  # "a", "b", ...: the choice's position, stable while choices are reworded
    picked: int
    percent: float  # of the question's answers (n)


@dataclass(frozen=True)
class ItemStats:
    module_slug: str
    module_kind: str
    question_id: str
    question_type: str
    n: int
    n_correct: int
    percent_correct: float
    mean_points: float
    mean_percent: float  # mean share of the question's points, in %
    choices: tuple[ChoicePicks, ...]

    @property
    def choice_picks(self) -> str:
        """The picks in one cell, for exports: "a: 3; b: 1; c: 1"."""
        return "; ".join(f"{choice.key}: {choice.picked}" for choice in self.choices)

    @property
    def is_mostly_missed(self) -> bool:
        return self.n >= MISSED_MIN_ANSWERS and self.percent_correct < MISSED_BELOW_PERCENT


@dataclass(frozen=True)
class PrePostItem:
    """One question as answered in the pre-test and in the post-test (None where it is in
    only one of them)."""

    question_id: str
    pre: ItemStats | None
    post: ItemStats | None

    @property
    def change(self) -> float | None:
        """Post % correct - pre % correct, in percentage points."""
        if self.pre is None or self.post is None:
            return None
        return round(self.post.percent_correct - self.pre.percent_correct, 2)


def item_statistics(actor: User, report: ReportFilter) -> list[ItemStats]:
    """Every graded question of the family's quizzes that people in scope answered, by
    module then question id."""
    answers = _first_answers(actor, report).subquery()
    # One group per question, split by answer for choice questions only, whose distinct
    # answers are bounded by their choices (never by the number of participants).
    picked = case((answers.c.question_type.in_(CHOICE_TYPES), answers.c.value))
    question = (answers.c.module_slug, answers.c.module_kind, answers.c.question_id)
    rows = db.session.execute(
        select(
            *question,
            picked.label("picked"),
            func.max(answers.c.question_type).label("question_type"),
            func.count().label("n"),
            func.count(case((answers.c.is_correct.is_(True), 1))).label("n_correct"),
            func.sum(answers.c.score).label("points"),
            func.sum(answers.c.score / answers.c.max_score).label("shares"),
        )
        .group_by(*question, picked)
        .order_by(*question)
    ).all()
    return _fold(rows)


def _fold(rows) -> list[ItemStats]:
    """Add up each question's groups (rows arrive ordered by question)."""
    totals: dict[tuple, dict] = {}
    for row in rows:
        key = (row.module_slug, row.module_kind, row.question_id)
        total = totals.setdefault(
            key,
            {"type": row.question_type, "n": 0, "right": 0, "points": 0.0, "shares": 0.0},
        )
        total["n"] += row.n
        total["right"] += row.n_correct
        total["points"] += float(row.points or 0.0)
        total["shares"] += float(row.shares or 0.0)
        picks = total.setdefault("picks", defaultdict(int))
        # "a,c" was picked by row.n people: each of its choices was.
        for choice in row.picked.split(",") if row.picked else ():
            picks[choice] += row.n
    return [
        ItemStats(
            module_slug=slug,
            module_kind=kind,
            question_id=question_id,
            question_type=total["type"],
            n=total["n"],
            n_correct=total["right"],
            percent_correct=_percent(total["right"], total["n"]),
            mean_points=round(total["points"] / total["n"], 4),
            mean_percent=round(100 * total["shares"] / total["n"], 2),
            choices=tuple(
                ChoicePicks(choice, count, _percent(count, total["n"]))
                for choice, count in sorted(total["picks"].items())
            ),
        )
        for (slug, kind, question_id), total in totals.items()
    ]


def pre_post_items(actor: User, report: ReportFilter) -> list[PrePostItem]:
    """The pre-test's and post-test's questions side by side, by question id."""
    return pair_pre_post(item_statistics(actor, report))


def pair_pre_post(items: list[ItemStats]) -> list[PrePostItem]:
    """``item_statistics``' results paired by question id, pre-test against post-test."""
    paired: dict[str, dict[str, ItemStats]] = defaultdict(dict)
    for item in items:
        if item.module_kind in (ModuleKind.PRE_TEST, ModuleKind.POST_TEST):
            # A question in two pre-tests (a renamed module) keeps its first.
            paired[item.question_id].setdefault(item.module_kind, item)
    return [
        PrePostItem(question_id, kinds.get(ModuleKind.PRE_TEST), kinds.get(ModuleKind.POST_TEST))
        for question_id, kinds in sorted(paired.items())
    ]


def mostly_missed(items: list[ItemStats]) -> list[ItemStats]:
    """The flagged questions, the most missed first."""
    flagged = [item for item in items if item.is_mostly_missed]
    return sorted(flagged, key=lambda i: (i.percent_correct, -i.n, i.module_slug, i.question_id))


def _first_answers(actor: User, report: ReportFilter) -> Select:
    """The graded answers of each in-scope participant's first scored attempt at each quiz
    of the family, with the quiz's module slug and kind."""
    first = _first_attempts(actor, report).subquery()
    return (
        select(
            first.c.module_slug,
            ModuleVersion.kind.label("module_kind"),
            AttemptAnswer.question_id,
            AttemptAnswer.question_type,
            AttemptAnswer.value,
            AttemptAnswer.score,
            AttemptAnswer.max_score,
            AttemptAnswer.is_correct,
        )
        .join(ModuleVersion, ModuleVersion.id == firsts.value_of(first.c.first_key))
        .join(AttemptAnswer, AttemptAnswer.attempt_id == firsts.row_id_of(first.c.first_key))
        .where(AttemptAnswer.max_score > 0)
    )


def _first_attempts(actor: User, report: ReportFilter) -> Select:
    """Per person and quiz, the first scored attempt's id and module version, packed in one
    key (``trainer.reports.firsts``): read from the ``ix_quiz_attempt_reports`` index alone,
    never joined back to the attempts' wide rows."""
    statement = (
        select(
            QuizAttempt.module_slug,
            func.min(firsts.packed(QuizAttempt.id, QuizAttempt.module_version_id)).label(
                "first_key"
            ),
        )
        .join(User, User.id == QuizAttempt.user_id)
        .where(
            QuizAttempt.family == report.family,
            QuizAttempt.status == AttemptStatus.SUBMITTED.value,
        )
        .group_by(QuizAttempt.user_id, QuizAttempt.module_slug)
    )
    statement = join_active_cohort(statement, report.family)
    return people_in_scope(actor, statement, report)


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 2) if whole else 0.0
