"""Scoring a quiz: pure, over the stored quiz JSON and the answers as posted.

``grade(quiz, answers)`` never raises on what a participant sends: an unknown choice key, a
word where a number was expected or a value for a question that does not exist is simply a
wrong (or ignored) answer. Survey questions (scales and free text) are recorded, never scored.

Scoring, per question of ``points`` points:

- single choice and true/false: all or nothing;
- multiple choice: partial credit, max(0, (right chosen - wrong chosen) / number right) x points;
  a key that is not one of the question's choices counts as a wrong choice;
- short text: right when the answer, normalised like the accepted answers (case, accents and
  spaces folded), equals one of them;
- numeric: right when the number lies in any accepted [low, high]; a decimal comma is read as
  a decimal point ("3,5" is 3.5), there are no thousands separators.

The pass mark is judged on the unrounded score; the percentage shown is rounded down to two
decimals, so a score shown under the pass mark never passes and one shown at it always does.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from trainer.courses.spec import quiz_settings
from trainer.courses.text import normalise_answer

SURVEY_TYPES = ("scale", "free_text")
_NUMBER_RE = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
# Floating-point slack when comparing a percentage with the pass mark.
_EPSILON = 1e-9


@dataclass(frozen=True)
class QuestionResult:
    id: str
    type: str
    answered: bool
    points: float | None  # None for survey questions
    max_points: float | None

    @property
    def is_graded(self) -> bool:
        return self.max_points is not None

    @property
    def is_correct(self) -> bool | None:
        if self.points is None or self.max_points is None:
            return None
        return self.points >= self.max_points - _EPSILON

    @property
    def is_partly_correct(self) -> bool:
        return bool(self.points) and not self.is_correct


@dataclass(frozen=True)
class GradeResult:
    questions: tuple[QuestionResult, ...]
    points: float
    max_points: float
    percent: float | None  # None when the quiz has no graded question
    passed: bool | None

    def question(self, question_id: str) -> QuestionResult | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def points_by_question(self) -> dict[str, float | None]:
        return {q.id: q.points for q in self.questions}


def grade(quiz: Mapping, answers: Mapping[str, object]) -> GradeResult:
    """Score ``answers`` ({question id: posted value or list of values}) against ``quiz``."""
    results = []
    exact_points = 0.0
    for question in quiz.get("questions", ()):
        values = _values(answers.get(question["id"]))
        result, exact = _grade_question(question, values)
        results.append(result)
        exact_points += exact
    points = round(exact_points, 4)
    max_points = round(sum(r.max_points or 0.0 for r in results), 4)
    if max_points <= 0:
        return GradeResult(tuple(results), 0.0, 0.0, None, None)
    # Judged on the unrounded score, and shown rounded *down*: 69.996 % is 69.99 % and fails
    # a pass mark of 70 (rounding first would have shown and passed it as 70 %).
    exact_percent = 100.0 * exact_points / max_points
    percent = math.floor((exact_percent + _EPSILON) * 100) / 100
    pass_percent = float(quiz_settings(quiz)["pass_percent"])
    return GradeResult(
        tuple(results), points, max_points, percent, exact_percent + _EPSILON >= pass_percent
    )


def parse_decimal(text: str) -> float | None:
    """A number as people type it: "3.5", "3,5", "-2", ",5"; anything else is None."""
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if len(text) > 40 or not _NUMBER_RE.match(text):
        return None
    return float(text.replace(",", "."))


def scale_value(question: Mapping, text: str) -> int | None:
    """The chosen point of a scale question, or None when it is not one of its points."""
    scale = question.get("scale") or {}
    text = text.strip()
    if not text.isdecimal() or len(text) > 3:
        return None
    value = int(text)
    return value if scale.get("low", 1) <= value <= scale.get("high", 5) else None


def _values(raw: object) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, Sequence):
        return []
    return [v for v in raw if isinstance(v, str) and v.strip()]


def _grade_question(question: Mapping, values: list[str]) -> tuple[QuestionResult, float]:
    """The question's result (points rounded for storage) and its unrounded points."""
    kind = question.get("type", "")
    answered = bool(values)
    if kind in SURVEY_TYPES:
        if kind == "scale":
            answered = len(values) == 1 and scale_value(question, values[0]) is not None
        return QuestionResult(question["id"], kind, answered, None, None), 0.0
    points = float(question.get("points", 1.0))
    share = _share(question, kind, values) if values else 0.0
    exact = share * points
    return QuestionResult(question["id"], kind, answered, round(exact, 4), points), exact


def _share(question: Mapping, kind: str, values: list[str]) -> float:
    """The fraction of the question's points earned, between 0 and 1."""
    if kind == "multiple":
        return _multiple_share(question, values)
    if len(values) != 1:
        return 0.0
    value = values[0]
    if kind == "single":
        keys = {c["key"] for c in question.get("choices", ()) if c.get("is_correct")}
        return 1.0 if value in keys else 0.0
    if kind == "true_false":
        expected = "true" if question.get("answer") else "false"
        return 1.0 if value.strip().lower() == expected else 0.0
    if kind == "short_text":
        given = normalise_answer(value)
        accepted = {normalise_answer(a) for a in question.get("accepted", ())}
        return 1.0 if given and given in accepted else 0.0
    if kind == "numeric":
        number = parse_decimal(value)
        if number is None:
            return 0.0
        ranges = question.get("numeric", ())
        return 1.0 if any(r["low"] <= number <= r["high"] for r in ranges) else 0.0
    return 0.0


def _multiple_share(question: Mapping, values: list[str]) -> float:
    right = {c["key"] for c in question.get("choices", ()) if c.get("is_correct")}
    chosen = set(values)
    if not right:
        return 1.0 if not chosen else 0.0
    right_chosen = len(chosen & right)
    wrong_chosen = len(chosen - right)
    return max(0.0, (right_chosen - wrong_chosen) / len(right))
