"""Each answer of an attempt as reports group it: pure, over the quiz, the answers and the grade.

A value is normalised so that answers graded alike group together, per question type:

- single and multiple choice: the chosen choice keys, without repeats, sorted and joined by
  commas ("b", "a,c"): one key for a single-choice answer, so each choice can be counted;
- true/false: "true" or "false", as the grader reads it (trimmed, lower-cased);
- short text: folded as the grader folds it before comparing (case, accents and spaces,
  ``normalise_answer``): "  Ciudad de MÉXICO " and "ciudad de mexico" group together;
- numeric: the number written plainly ("3,50" -> "3.5", "10.0" -> "10", "-0" -> "0"), and
  kept in ``number``; what is not a number is kept as typed, trimmed;
- scale: the point chosen ("4", also in ``number``), when it is one of the scale's points;
- free text: the text as written, trimmed, line ends as "\\n": it is read, not grouped.

Several values for a question that takes one (a forged form) are joined like choices, so
they never group with a real answer. A question left unanswered has no value. Scores are
the grader's, rounded as the attempt stores them; survey questions have none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from trainer.courses.text import normalise_answer
from trainer.learning.grading import GradeResult, parse_decimal, scale_value

CHOICE_TYPES = ("single", "multiple")
# Numbers written plainly up to this size; beyond it (or with a fraction) repr() decides.
_PLAIN_INTEGER = 10**15


@dataclass(frozen=True)
class AnswerFact:
    question_id: str
    question_type: str
    value: str | None
    number: float | None
    score: float | None
    max_score: float | None
    is_correct: bool | None


def answer_facts(
    quiz: Mapping, answers: Mapping[str, object], result: GradeResult
) -> list[AnswerFact]:
    """One fact per question of ``quiz``, in the quiz's order, answered or not."""
    facts = []
    for question in quiz.get("questions", ()):
        graded = result.question(question["id"])
        value, number = normalised(question, _values(answers.get(question["id"])))
        facts.append(
            AnswerFact(
                question_id=question["id"],
                question_type=question.get("type", ""),
                value=value,
                number=number,
                score=graded.points if graded else None,
                max_score=graded.max_points if graded else None,
                is_correct=graded.is_correct if graded else None,
            )
        )
    return facts


def normalised(question: Mapping, values: Sequence[str]) -> tuple[str | None, float | None]:
    """(value, number) of one question's answer, as the module docstring says."""
    values = [v.strip() for v in values if v.strip()]
    if not values:
        return None, None
    kind = question.get("type", "")
    if kind in CHOICE_TYPES or len(values) > 1:
        return ",".join(sorted(set(values))), None
    value = values[0]
    if kind == "true_false":
        return value.lower(), None
    if kind == "short_text":
        return normalise_answer(value) or None, None
    if kind == "numeric":
        number = parse_decimal(value)
        return (plain_number(number), number) if number is not None else (value, None)
    if kind == "scale":
        point = scale_value(question, value)
        return (str(point), float(point)) if point is not None else (value, None)
    return value.replace("\r\n", "\n").replace("\r", "\n"), None


def plain_number(number: float) -> str:
    """3.5 -> "3.5", 10.0 -> "10", -0.0 -> "0": one spelling per number."""
    if number.is_integer() and abs(number) < _PLAIN_INTEGER:
        return str(int(number))
    return repr(number)


def _values(raw: object) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw]
    if not isinstance(raw, Sequence):
        return []
    return [v for v in raw if isinstance(v, str)]
