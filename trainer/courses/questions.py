"""Turning a question's lines, once read, into a typed QuestionSpec.

The answer lines decide the type (spec: "The answer lines decide the type"), so typing and
checking happen only when the whole question has been read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .messages import msg
from .spec import (
    MAX_ANSWER_NUMBER,
    MAX_SCALE_POINTS,
    ChoiceSpec,
    NumericAnswer,
    Problem,
    QuestionSpec,
    ScaleSpec,
)
from .text import unknown_hint

SCALE_RE = re.compile(r"^scale\s+(-?\d+)\s*(?:-|\.\.)\s*(-?\d+)\s*(?::\s*(.*))?$", re.IGNORECASE)
_NUMBER = r"[-+]?\d+(?:\.\d+)?"
EXACT_RE = re.compile(rf"^({_NUMBER})(?:\s*(?:\+-|\+/-|±)\s*({_NUMBER}))?$")
RANGE_RE = re.compile(rf"^({_NUMBER})\s*\.\.\s*({_NUMBER})$")


@dataclass
class ChoiceDraft:
    line: int
    multiple: bool  # written with [ ] rather than ( )
    correct: bool
    text: str
    feedback: list[str] = field(default_factory=list)


@dataclass
class QuestionDraft:
    """A question while its lines are being read (quizsyntax.py fills it in)."""

    line: int
    text: list[str]
    explicit_id: str | None = None
    points: float = 1.0
    choices: list[ChoiceDraft] = field(default_factory=list)
    values: list[tuple[int, str]] = field(default_factory=list)
    tildes: list[tuple[int, str]] = field(default_factory=list)
    feedback: list[str] = field(default_factory=list)
    in_feedback: bool = False
    # The last line was a choice or its feedback, so an indented `>` belongs to that choice.
    after_choice: bool = False
    broken: bool = False

    @property
    def has_answers(self) -> bool:
        return bool(self.choices or self.values or self.tildes)


def finish_questions(
    drafts: list[QuestionDraft], path: str, problems: list[Problem]
) -> list[QuestionSpec]:
    """Give each question its id (explicit, else q1, q2... by position), type and checks."""
    questions: list[QuestionSpec] = []
    first_use: dict[str, int] = {}
    for position, draft in enumerate(drafts, start=1):
        question_id = draft.explicit_id or f"q{position}"
        if question_id in first_use:
            how = msg("hint-automatic-id", position=position, id=question_id)
            if draft.explicit_id:
                how = ""
            message = msg("question-id-taken", id=question_id, line=first_use[question_id], how=how)
            problems.append(Problem(path, draft.line, message))
        else:
            first_use[question_id] = draft.line
        question = _finish(draft, question_id, path, problems)
        if question is not None:
            questions.append(question)
    return questions


def _finish(
    draft: QuestionDraft, question_id: str, path: str, problems: list[Problem]
) -> QuestionSpec | None:
    text = "\n".join(draft.text).strip()
    problems_before = len(problems)
    if not text:
        problems.append(Problem(path, draft.line, msg("question-without-text")))
    kinds = [
        k for k, v in (("choice", draft.choices), ("=", draft.values), ("~", draft.tildes)) if v
    ]
    if not kinds:
        problems.append(Problem(path, draft.line, msg("question-without-answers")))
    elif len(kinds) > 1:
        problems.append(Problem(path, draft.line, msg("question-answers-mixed")))
    if draft.broken or len(problems) > problems_before:
        return None
    base = {
        "id": question_id,
        "text_markdown": text,
        "line": draft.line,
        "points": draft.points,
        "feedback_markdown": "\n".join(draft.feedback).strip(),
        "has_explicit_id": draft.explicit_id is not None,
    }
    if kinds == ["choice"]:
        return _choice_question(draft, base, path, problems)
    if kinds == ["="]:
        return _value_question(draft, base, path, problems)
    return _tilde_question(draft, base, path, problems)


def _choice_question(
    draft: QuestionDraft, base: dict[str, Any], path: str, problems: list[Problem]
) -> QuestionSpec | None:
    multiple = draft.choices[0].multiple
    correct = [c for c in draft.choices if c.correct]
    before = len(problems)
    if len(draft.choices) < 2:
        problems.append(Problem(path, draft.line, msg("choices-too-few")))
    if not correct:
        mark = "[x]" if multiple else "(x)"
        problems.append(Problem(path, draft.line, msg("no-correct-choice", mark=mark)))
    elif not multiple and len(correct) > 1:
        lines = ", ".join(str(c.line) for c in correct)
        message = msg("single-choice-several-correct", count=len(correct), lines=lines)
        problems.append(Problem(path, draft.line, message))
    for choice in draft.choices:
        if not choice.text:
            problems.append(Problem(path, choice.line, msg("choice-without-text")))
    if len(problems) > before:
        return None
    choices = tuple(
        ChoiceSpec(
            key=_choice_key(index),
            text_markdown=c.text,
            is_correct=c.correct,
            feedback_markdown="\n".join(c.feedback).strip(),
            line=c.line,
        )
        for index, c in enumerate(draft.choices)
    )
    return QuestionSpec(type="multiple" if multiple else "single", choices=choices, **base)


def _choice_key(index: int) -> str:
    """a, b, ..., z, aa, ab, ...: derived from the position, so rewording keeps the key."""
    key = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        key = chr(ord("a") + rest) + key
    return key


def _value_question(
    draft: QuestionDraft, base: dict[str, Any], path: str, problems: list[Problem]
) -> QuestionSpec | None:
    for line, value in draft.values:
        if not value:
            problems.append(Problem(path, line, msg("answer-empty")))
            return None
    words = [value.lower() for _, value in draft.values]
    if set(words) <= {"true", "false"}:
        if len(words) > 1:
            problems.append(Problem(path, draft.line, msg("true-false-twice")))
            return None
        return QuestionSpec(type="true_false", true_false=words[0] == "true", **base)
    for line, value in draft.values:
        if _too_large(value):
            limit = f"{MAX_ANSWER_NUMBER:,}"
            problems.append(
                Problem(path, line, msg("answer-number-too-large", value=value[:40], limit=limit))
            )
            return None
    numeric = [_numeric(value) for _, value in draft.values]
    if all(n is not None for n in numeric):
        return QuestionSpec(type="numeric", numeric=tuple(n for n in numeric if n), **base)
    for (line, value), parsed in zip(draft.values, numeric, strict=True):
        if parsed is None and (".." in value or "+-" in value or "±" in value):
            problems.append(Problem(path, line, msg("number-invalid", value=value)))
            return None
    return QuestionSpec(type="short_text", accepted=tuple(v for _, v in draft.values), **base)


def _too_large(text: str) -> bool:
    """Whether a numeric answer holds a number that floats and JSON cannot keep exactly."""
    match = EXACT_RE.match(text) or RANGE_RE.match(text)
    return match is not None and any(
        abs(float(number)) > MAX_ANSWER_NUMBER for number in match.groups() if number
    )


def _numeric(text: str) -> NumericAnswer | None:
    exact = EXACT_RE.match(text)
    if exact is not None:
        value = float(exact.group(1))
        tolerance = abs(float(exact.group(2))) if exact.group(2) else 0.0
        # Rounded so that binary floating point cannot make `= 0.3 +- 0.1` refuse 0.2.
        low, high = round(value - tolerance, 9), round(value + tolerance, 9)
        return NumericAnswer(low=low, high=high, value=value, tolerance=tolerance)
    span = RANGE_RE.match(text)
    if span is not None and float(span.group(1)) <= float(span.group(2)):
        return NumericAnswer(low=float(span.group(1)), high=float(span.group(2)))
    return None


def _tilde_question(
    draft: QuestionDraft, base: dict[str, Any], path: str, problems: list[Problem]
) -> QuestionSpec | None:
    if len(draft.tildes) > 1:
        problems.append(Problem(path, draft.tildes[1][0], msg("tilde-twice")))
        return None
    line, text = draft.tildes[0]
    word = text.split(maxsplit=1)[0].lower() if text else ""
    if word == "text" and text.lower() == "text":
        return QuestionSpec(type="free_text", **base)
    if word == "scale":
        scale = _scale(text)
        if scale is None:
            problems.append(Problem(path, line, msg("scale-invalid")))
            return None
        if scale == "too-long":
            problems.append(Problem(path, line, msg("scale-too-long", most=MAX_SCALE_POINTS)))
            return None
        return QuestionSpec(type="scale", scale=scale, **base)
    hint = unknown_hint(f"~ {text}", ("~ scale 1-5", "~ text"))
    problems.append(Problem(path, line, msg("unknown-question-type", word=f"~ {text}", hint=hint)))
    return None


def _scale(text: str) -> ScaleSpec | str | None:
    """The scale, "too-long" when it has too many points, or None for the wrong syntax."""
    match = SCALE_RE.match(text)
    if match is None:
        return None
    if max(len(match.group(1)), len(match.group(2))) > 6:  # int() refuses 4,300 digits
        return "too-long"
    low, high, labels = int(match.group(1)), int(match.group(2)), match.group(3)
    if low >= high:
        return None
    if high - low + 1 > MAX_SCALE_POINTS:
        return "too-long"
    if labels is None:
        return ScaleSpec(low, high)
    low_label, bar, high_label = labels.partition("|")
    if not bar or not low_label.strip() or not high_label.strip():
        return None
    return ScaleSpec(low, high, low_label.strip(), high_label.strip())
