"""Reading the questions of a quiz block: a line-based state machine.

A question is its `? ` line, then question text, then answer lines (which decide the
type), then optional `> ` feedback. The lines are read here; questions.py then types and
checks each question as a whole, so its problems point at its own lines.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .messages import Msg, msg
from .questions import ChoiceDraft, QuestionDraft, finish_questions
from .quizblock import SETTING_KEYS, SETTING_RE, Block, Line, read_settings
from .spec import MAX_POINTS, ModuleKind, Problem, QuizSpec
from .text import ID_RE, normalise_answer, parse_number, unknown_hint

__all__ = ["normalise_answer", "parse_quiz"]

QUESTION_RE = re.compile(r"^\?(?:\s+(.*?))?\s*$")
ATTRIBUTES_RE = re.compile(r"\s*\{([^{}]*)\}$")
CHOICE_RE = re.compile(r"^-\s*([(\[])\s*([xX]?)\s*([)\]])\s*(.*?)\s*$")
VALUE_RE = re.compile(r"^=(?!=)\s*(.*?)\s*$")  # not a `===` heading underline
TILDE_RE = re.compile(r"^~(?!~)\s*(.*?)\s*$")  # not a `~~~` code fence
FEEDBACK_RE = re.compile(r"^>\s?(.*?)\s*$")
CHOICE_FEEDBACK_RE = re.compile(r"^\s+>\s?(.*?)\s*$")
ATTRIBUTES = ("id", "points")


def parse_quiz(block: Block, path: str, kind: str) -> tuple[QuizSpec, list[Problem]]:
    """Parse a quiz block of a module of the given kind (lesson, pre-test, ...)."""
    problems: list[Problem] = []
    settings, setting_lines, start = read_settings(block, path, problems)
    reader = _Reader(path, problems)
    for line in block.lines[start:]:
        reader.read(line)
    if not reader.drafts:
        problems.append(Problem(path, block.open_line, msg("quiz-no-questions")))
    questions = finish_questions(reader.drafts, path, problems)
    quiz = QuizSpec(settings=settings, questions=tuple(questions), line=block.open_line)
    return _apply_kind(quiz, kind, setting_lines, path, problems), problems


class _Reader:
    """Feeds lines into the question being read; the state lives on the QuestionDraft."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        self.drafts: list[QuestionDraft] = []

    def fail(self, line: int, message: Msg) -> None:
        # A question with a broken line is not typed: guessing would only add noise.
        self.drafts[-1].broken = True
        self.problems.append(Problem(self.path, line, message))

    def read(self, line: Line) -> None:
        text = line.text
        question = None if line.in_code else QUESTION_RE.match(text)
        if question is not None:
            self._start(line.number, question.group(1) or "")
            return
        if not self.drafts:
            if text.strip():
                self.problems.append(Problem(self.path, line.number, _stray_before(text)))
            return
        draft = self.drafts[-1]
        if not draft.has_answers and (line.in_code or not _is_answer(text)):
            draft.text.append(text)  # question text may span lines, lists, code...
        elif line.in_code:
            self.fail(line.number, msg("code-below-answers"))
        elif not text.strip():
            draft.after_choice = False
            if draft.in_feedback:
                draft.feedback.append("")
        elif CHOICE_FEEDBACK_RE.match(text) and draft.choices and not draft.in_feedback:
            if not draft.after_choice:
                self.fail(line.number, msg("choice-feedback-misplaced"))
            else:
                draft.choices[-1].feedback.append(_feedback(text))
        elif FEEDBACK_RE.match(text.lstrip()):
            draft.in_feedback = True
            draft.after_choice = False
            draft.feedback.append(_feedback(text))
        elif not _is_answer(text):
            self.fail(line.number, _stray_after_answers(text))
        elif draft.in_feedback:
            self.fail(line.number, msg("answer-after-feedback"))
        else:
            self._answer(draft, line.number, text)

    def _start(self, number: int, rest: str) -> None:
        self.drafts.append(QuestionDraft(line=number, text=[]))
        attributes = ATTRIBUTES_RE.search(rest)
        if attributes is not None:
            rest = rest[: attributes.start()]
            self._attributes(number, attributes.group(1))
        self.drafts[-1].text.append(rest)

    def _attributes(self, number: int, raw: str) -> None:
        draft = self.drafts[-1]
        seen: set[str] = set()
        for token in raw.split():
            key, equals, value = token.partition("=")
            value = value.strip("\"'")
            if key not in ATTRIBUTES:
                hint = unknown_hint(key, ATTRIBUTES)
                self.fail(number, msg("unknown-question-attribute", word=key, hint=hint))
            elif not equals or not value:
                self.fail(number, msg("attribute-without-value", key=key))
            elif key in seen:
                self.fail(number, msg("attribute-twice", key=key))
            elif key == "id" and not ID_RE.match(value):
                self.fail(number, msg("question-id-invalid", id=value))
            elif key == "id":
                draft.explicit_id = value
            else:
                points = parse_number(value)
                if points is None or not 0 < points <= MAX_POINTS:
                    self.fail(number, msg("points-invalid", value=value, most=MAX_POINTS))
                else:
                    draft.points = points
            seen.add(key)

    def _answer(self, draft: QuestionDraft, number: int, text: str) -> None:
        draft.after_choice = False
        choice = CHOICE_RE.match(text)
        value = VALUE_RE.match(text)
        if choice is not None:
            opening, mark, closing, choice_text = choice.groups()
            multiple = opening == "["
            if multiple != (closing == "]"):
                marker = f"{opening}{mark}{closing}"
                self.fail(number, msg("choice-brackets-mixed", marker=marker))
                return
            if draft.choices and draft.choices[0].multiple != multiple:
                self.fail(number, msg("choice-markers-mixed"))
            draft.choices.append(ChoiceDraft(number, multiple, bool(mark), choice_text))
            draft.after_choice = True
        elif value is not None:
            draft.values.append((number, value.group(1)))
        else:
            tilde = TILDE_RE.match(text)
            if tilde is not None:  # always: _is_answer() matched one of the three
                draft.tildes.append((number, tilde.group(1)))


def _is_answer(text: str) -> bool:
    return any(r.match(text) for r in (CHOICE_RE, VALUE_RE, TILDE_RE))


def _feedback(text: str) -> str:
    match = FEEDBACK_RE.match(text.lstrip())
    return match.group(1) if match else ""


def _stray_before(text: str) -> Msg:
    setting = SETTING_RE.match(text)
    if setting and setting.group(1) in SETTING_KEYS:
        return msg("settings-after-blank-line")
    return msg("neither-setting-nor-question", text=text.strip())


def _stray_after_answers(text: str) -> Msg:
    if text.lstrip().startswith("-"):
        return msg("choice-without-marker")
    if text.startswith((" ", "\t")):
        return msg("unexpected-indented-line")
    return msg("unexpected-line")


def _apply_kind(
    quiz: QuizSpec, kind: str, setting_lines: dict[str, int], path: str, problems: list[Problem]
) -> QuizSpec:
    """Rules that depend on the module's kind; a pre-test always allows one attempt."""
    for question in quiz.questions:
        if kind == ModuleKind.SURVEY and question.is_graded:
            problems.append(Problem(path, question.line, msg("survey-graded-question")))
        elif kind != ModuleKind.SURVEY and question.type == "scale":
            problems.append(Problem(path, question.line, msg("scale-outside-survey")))
    if quiz.settings.anonymous and kind != ModuleKind.SURVEY:
        problems.append(Problem(path, setting_lines["anonymous"], msg("anonymous-outside-survey")))
    if kind != ModuleKind.PRE_TEST:
        return quiz
    if "attempts" in setting_lines and quiz.settings.attempts != 1:
        problems.append(Problem(path, setting_lines["attempts"], msg("pre-test-attempts")))
    return replace(quiz, settings=replace(quiz.settings, attempts=1))
