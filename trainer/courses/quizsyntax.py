"""Reading the questions of a quiz block: a line-based state machine.

A question is its `? ` line, then question text, then answer lines (which decide the
type), then optional `> ` feedback. Each question is finished (typed and checked) as soon
as the next one starts, so its problems point at its own lines.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .questions import ChoiceDraft, QuestionDraft, finish_questions
from .quizblock import SETTING_KEYS, SETTING_RE, Block, Line, read_settings
from .spec import Problem, QuizSpec
from .text import ID_RE, normalise_answer, parse_number, unknown_word

__all__ = ["normalise_answer", "parse_quiz"]

QUESTION_RE = re.compile(r"^\?(?:\s+(.*?))?\s*$")
ATTRIBUTES_RE = re.compile(r"\s*\{([^{}]*)\}$")
CHOICE_RE = re.compile(r"^-\s*([(\[])\s*([xX]?)\s*([)\]])\s*(.*?)\s*$")
VALUE_RE = re.compile(r"^=(?!=)\s*(.*?)\s*$")
TILDE_RE = re.compile(r"^~(?!~)\s*(.*?)\s*$")
FEEDBACK_RE = re.compile(r"^>\s?(.*?)\s*$")
CHOICE_FEEDBACK_RE = re.compile(r"^\s+>\s?(.*?)\s*$")
ATTRIBUTES = ("id", "points")


def parse_quiz(block: Block, path: str, kind: str) -> tuple[QuizSpec, list[Problem]]:
    """Parse a quiz block of a module of the given kind (lesson, pre-test, ...)."""
    problems: list[Problem] = []
    settings, setting_lines, start = read_settings(block, path, problems)
    drafts: list[QuestionDraft] = []
    for line in block.lines[start:]:
        _read_line(line, drafts, path, problems)
    questions = finish_questions(drafts, path, problems)
    if not drafts:
        problems.append(
            Problem(
                path,
                block.open_line,
                "this quiz has no questions: start each question with a line `? question text`",
            )
        )
    quiz = QuizSpec(settings=settings, questions=tuple(questions), line=block.open_line)
    return _apply_kind(quiz, kind, setting_lines, path, problems), problems


def _read_line(line: Line, drafts: list[QuestionDraft], path: str, problems: list[Problem]) -> None:
    text = line.text
    draft = drafts[-1] if drafts else None
    question = None if line.in_code else QUESTION_RE.match(text)
    if question is not None:
        drafts.append(_start(line, question.group(1) or "", path, problems))
        return
    if draft is None:
        if text.strip():
            problems.append(Problem(path, line.number, _stray_before_questions(text)))
        return
    if not draft.has_answers and (line.in_code or not _is_answer(text)):
        draft.text.append(text)  # question text may span lines, lists, code...
        return
    if line.in_code:
        _fail(
            draft,
            problems,
            path,
            line.number,
            "code blocks belong in the question text, above the answers",
        )
        return
    if not text.strip():
        draft.after_choice = False
        if draft.in_feedback:
            draft.feedback.append("")
        return
    choice_feedback = CHOICE_FEEDBACK_RE.match(text)
    if choice_feedback and draft.choices and draft.after_choice and not draft.in_feedback:
        draft.choices[-1].feedback.append(choice_feedback.group(1))
        return
    feedback = FEEDBACK_RE.match(text.lstrip())
    if feedback is not None:
        if choice_feedback and draft.choices and not draft.in_feedback:
            _fail(
                draft,
                problems,
                path,
                line.number,
                "choice feedback (`  > ...`) must sit directly under its choice line",
            )
            return
        draft.in_feedback = True
        draft.after_choice = False
        draft.feedback.append(feedback.group(1))
        return
    if _is_answer(text):
        if draft.in_feedback:
            _fail(
                draft,
                problems,
                path,
                line.number,
                "answer line after the question's feedback: put the feedback (`> ...`) "
                "below the last answer",
            )
            return
        _add_answer(draft, line, path, problems)
        return
    _fail(draft, problems, path, line.number, _stray_in_question(text))


def _is_answer(text: str) -> bool:
    return any(r.match(text) for r in (CHOICE_RE, VALUE_RE, TILDE_RE))


def _stray_before_questions(text: str) -> str:
    setting = SETTING_RE.match(text)
    if setting and setting.group(1) in SETTING_KEYS:
        return (
            "quiz settings must come right after the `::: quiz` line, with no blank "
            "line before them"
        )
    return (
        f"`{text.strip()}` is neither a quiz setting (`key: value`) nor a question: "
        "start each question with `? `"
    )


def _stray_in_question(text: str) -> str:
    if text.lstrip().startswith("-"):
        return (
            "choice without a marker: write `- (x) right` / `- ( ) wrong` for one right "
            "answer, or `- [x]` / `- [ ]` for several"
        )
    if text.startswith((" ", "\t")):
        return (
            "unexpected indented line: a choice is a single line; put explanations in its "
            "feedback (`  > ...`) or in the question text"
        )
    return (
        "unexpected line after the answers: answers are `- ( )`, `- [ ]`, `= ...` or `~ ...` "
        "lines, feedback starts with `> `, and a new question with `? `"
    )


def _fail(
    draft: QuestionDraft, problems: list[Problem], path: str, line: int, message: str
) -> None:
    draft.broken = True
    problems.append(Problem(path, line, message))


def _start(line: Line, rest: str, path: str, problems: list[Problem]) -> QuestionDraft:
    draft = QuestionDraft(line=line.number, text=[])
    attributes = ATTRIBUTES_RE.search(rest)
    if attributes is not None:
        rest = rest[: attributes.start()]
        _read_attributes(draft, attributes.group(1), path, problems)
    draft.text.append(rest)
    return draft


def _read_attributes(draft: QuestionDraft, raw: str, path: str, problems: list[Problem]) -> None:
    seen: set[str] = set()
    for token in raw.split():
        key, equals, value = token.partition("=")
        value = value.strip("\"'")
        if key not in ATTRIBUTES:
            _fail(
                draft,
                problems,
                path,
                draft.line,
                unknown_word("question attribute", key, ATTRIBUTES)
                + "; write attributes as {id=my-id points=2}",
            )
        elif not equals or not value:
            _fail(
                draft,
                problems,
                path,
                draft.line,
                f"question attribute `{key}` has no value: write `{key}=...` without spaces",
            )
        elif key in seen:
            _fail(draft, problems, path, draft.line, f"question attribute `{key}` is set twice")
        elif key == "id" and not ID_RE.match(value):
            _fail(
                draft,
                problems,
                path,
                draft.line,
                f"question id `{value}` may use only lowercase letters, digits and `-`",
            )
        elif key == "id":
            draft.explicit_id = value
        else:
            points = parse_number(value)
            if points is None or points <= 0:
                _fail(
                    draft,
                    problems,
                    path,
                    draft.line,
                    f"`points` must be a number above 0 (got `{value}`)",
                )
            else:
                draft.points = points
        seen.add(key)


def _add_answer(draft: QuestionDraft, line: Line, path: str, problems: list[Problem]) -> None:
    choice = CHOICE_RE.match(line.text)
    if choice is not None:
        opening, mark, closing, text = choice.groups()
        if (opening == "(") != (closing == ")"):
            _fail(
                draft,
                problems,
                path,
                line.number,
                f"choice marker `{opening}{mark}{closing}` "
                "mixes brackets: write `(x)`, `( )`, `[x]` "
                "or `[ ]`",
            )
            return
        multiple = opening == "["
        if draft.choices and draft.choices[0].multiple != multiple:
            _fail(
                draft,
                problems,
                path,
                line.number,
                "this question mixes `( )` (one right answer) and `[ ]` (several right "
                "answers): use the same kind of marker on every choice",
            )
        draft.choices.append(ChoiceDraft(line.number, multiple, bool(mark), text))
        draft.after_choice = True
        return
    draft.after_choice = False
    value = VALUE_RE.match(line.text)
    if value is not None:
        draft.values.append((line.number, value.group(1)))
    else:
        tilde = TILDE_RE.match(line.text)
        if tilde is not None:  # always: _is_answer() matched one of the three
            draft.tildes.append((line.number, tilde.group(1)))


def _apply_kind(
    quiz: QuizSpec, kind: str, setting_lines: dict[str, int], path: str, problems: list[Problem]
) -> QuizSpec:
    """Rules that depend on the module's kind; a pre-test always allows one attempt."""
    for question in quiz.questions:
        if kind == "survey" and question.is_graded:
            problems.append(
                Problem(
                    path,
                    question.line,
                    "a survey asks only scale (`~ scale 1-5`) and free-text "
                    "(`~ text`) questions: move this graded question to a lesson "
                    "or the post-test",
                )
            )
        elif kind != "survey" and not question.is_graded:
            problems.append(
                Problem(
                    path,
                    question.line,
                    "scale and free-text questions belong in the survey module "
                    "(`kind: survey`): move this question there",
                )
            )
    if quiz.settings.anonymous and kind != "survey":
        problems.append(
            Problem(
                path,
                setting_lines["anonymous"],
                "`anonymous` applies only to surveys: remove it from this quiz",
            )
        )
    if kind == "pre-test":
        if "attempts" in setting_lines and quiz.settings.attempts != 1:
            problems.append(
                Problem(
                    path,
                    setting_lines["attempts"],
                    "a pre-test allows exactly one attempt (it measures what "
                    "participants knew before the course): remove `attempts`",
                )
            )
        return replace(quiz, settings=replace(quiz.settings, attempts=1))
    return quiz
