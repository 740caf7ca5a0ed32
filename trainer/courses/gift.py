"""Moodle GIFT quizzes turned into our quiz syntax: a pure converter, no Flask, no database.

What maps to what (docs/authoring.md, "Importing Moodle GIFT questions"):
- `{=right ~wrong}` -> single choice `- (x)` / `- ( )`; two or more `=` -> multiple choice.
- Weighted choices (`~%50%a ~%-100%b`): multiple choice `- [x]` / `- [ ]`, every answer with a
  positive weight marked right (our multiple choice gives partial credit per right choice).
- `{T}` `{TRUE}` `{F}` `{FALSE}` -> `= true` / `= false`.
- `{=a =b}` -> short text `= a` / `= b` (answers with a weight of 0 or less are dropped).
- `{#3.14:0.01}` `{#1..5}` `{#=3:1 =%50%4:1}` -> `= 3.14 +- 0.01`, `= 1..5`, one `=` per
  answer with a positive weight.
- Missing word (`Grant is {~buried =entombed} in Grant's tomb.`): the answers are read as
  above and the question text gets a blank `_____` where the braces stood, the text after
  them kept. A bare `.` (or `?` `!`) after the braces of a question that already ends its
  sentence is dropped instead.
- Essay `{}` -> an ungraded free-text question `~ text`: recorded, never scored (Moodle grades
  essays by hand; nobody grades here).
- Per-answer feedback (`#...`) -> `  > ...` under the choice; for true/false, short text
  and numeric questions (which have no per-answer feedback here) it joins the question
  feedback, after the general feedback (`####...`), which becomes `> ...`.
- `::title::` -> the question id (`{id=...}`, made unique); `// ...` and `$CATEGORY:` lines
  are dropped; text formats and escapes: gifttext.py; appending to a module: giftmodule.py.
Matching and description-only items are reported with their line and reason, never guessed
at. Each reason is an English message marked for translation (N_, as the checker's messages
are) with its parameters: the command line prints it in English, the editor renders it in the
reader's language.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .gifttext import convert, hide_escapes, show
from .messages import N_
from .text import ID_RE, split_lines, suggest_slug

__all__ = ["GiftQuestion", "GiftResult", "GiftSkip", "convert_gift"]

TITLE_RE = re.compile(r"^\s*::(.*?)::", re.DOTALL)
FORMAT_RE = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
WEIGHT_RE = re.compile(r"^\s*%(-?\d+(?:\.\d+)?)%")
TRUE_FALSE_RE = re.compile(r"^(T|F|TRUE|FALSE)\s*(#.*)?$", re.IGNORECASE | re.DOTALL)
# What may follow the answers of a question that is not a missing-word one.
_CLOSING_PUNCTUATION = (".", "?", "!")
_SENTENCE_ENDS = (".", "?", "!", ":")
# Where the answers of a missing-word question stood; escaped so Markdown shows underscores.
BLANK = r"\_\_\_\_\_"
_BLANK_MARK = "\ue0ff"
# Lines of question text that our quiz reader would take for syntax get a leading space.
_SYNTAX_LINE_RE = re.compile(r"^(?:[?=~]|:::|-\s*[(\[])")


@dataclass(frozen=True)
class GiftQuestion:
    line: int  # where the question starts in the GIFT file
    id: str
    markdown: str  # in our quiz syntax, from `? ` to its last line


def _english(text: str) -> str:
    return text


@dataclass(frozen=True)
class GiftSkip:
    """An item not converted: `message` is English with %(name)s parameters from `params`."""

    line: int
    message: str
    params: dict[str, str] = field(default_factory=dict)

    def render(self, translate: Callable[[str], str] = _english) -> str:
        """The reason in the language `translate` (a gettext) gives; English by default."""
        template = translate(self.message)
        return template % self.params if self.params else template

    @property
    def reason(self) -> str:
        return self.render()


@dataclass(frozen=True)
class GiftResult:
    questions: tuple[GiftQuestion, ...]
    skipped: tuple[GiftSkip, ...]

    @property
    def markdown(self) -> str:
        return "\n\n".join(q.markdown for q in self.questions)


@dataclass(frozen=True)
class _Answer:
    marker: str  # "=" or "~"
    weight: float | None
    text: str
    feedback: str

    @property
    def is_right(self) -> bool:
        return self.weight > 0 if self.weight is not None else self.marker == "="


class _Unsupported(Exception):
    def __init__(self, message: str, **params: str) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


def convert_gift(text: str, taken_ids: set[str] | frozenset[str] = frozenset()) -> GiftResult:
    """Convert every question of a GIFT file; ids avoid `taken_ids` and each other."""
    taken = set(taken_ids)
    questions: list[GiftQuestion] = []
    skipped: list[GiftSkip] = []
    for line, item in _items(text):
        if item.lstrip().startswith("$CATEGORY:"):
            continue  # Moodle's question bank folders mean nothing here
        try:
            title, body = _question(item)
        except _Unsupported as problem:
            skipped.append(GiftSkip(line, problem.message, problem.params))
            continue
        question_id = _unique_id(title, len(questions) + 1, taken)
        taken.add(question_id)
        questions.append(GiftQuestion(line, question_id, _first_line(body, question_id)))
    return GiftResult(tuple(questions), tuple(skipped))


def _items(text: str) -> list[tuple[int, str]]:
    """(first line, text) of each blank-line separated item, comment lines dropped."""
    items: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(split_lines(text.removeprefix("\ufeff")), start=1):
        if line.strip().startswith("//"):
            continue
        if not line.strip():
            if current:
                items.append((start, "\n".join(current)))
            current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        items.append((start, "\n".join(current)))
    return items


def _question(item: str) -> tuple[str, list[str]]:
    """(title, lines in our syntax without the id) or _Unsupported with the reason."""
    rest = hide_escapes(item)
    title = ""
    match = TITLE_RE.match(rest)
    if match:
        title, rest = show(match.group(1)).strip(), rest[match.end() :]
    text_format = "moodle"
    match = FORMAT_RE.match(rest)
    if match:
        text_format, rest = match.group(1).lower(), rest[match.end() :]
    opening = rest.find("{")
    if opening < 0:
        raise _Unsupported(N_("description (text without answers): nothing to convert"))
    closing = rest.find("}", opening)
    if closing < 0 or "{" in rest[opening + 1 : closing]:
        raise _Unsupported(N_("the answers' `{` is never closed by `}`"))
    if "{" in rest[closing + 1 :]:
        raise _Unsupported(
            N_("several answer blocks `{...}` in one question: split it into one per block")
        )
    text = _question_text(rest[:opening], rest[closing + 1 :], text_format)
    text = text or convert(title, "plain")
    if not text:
        raise _Unsupported(N_("the question has no text"))
    answers, _, general = rest[opening + 1 : closing].partition("####")
    body = _answer_lines(answers.strip(), text_format)
    general_feedback = convert(general, text_format)
    lines = _protect(text.split("\n"))
    lines += body.lines
    feedback = _join_feedback([general_feedback, *body.extra_feedback])
    lines += [f"> {line}".rstrip() for line in feedback.split("\n")] if feedback else []
    return title, lines


def _question_text(before: str, after: str, text_format: str) -> str:
    """The text, with a blank where the answers stood when text follows them (missing word).

    A lone `.`, `?` or `!` after the braces closes the sentence of a question that asks
    before its answers ("What is pi? {#3.14}."): dropped. After an unfinished sentence
    ("Two plus two equals {=four}.") it is a missing word: "... equals _____."
    """
    if not after.strip():
        return convert(before, text_format)
    asked = show(before).rstrip()
    if after.strip() in _CLOSING_PUNCTUATION and (not asked or asked.endswith(_SENTENCE_ENDS)):
        return convert(before, text_format)
    spaced_before = before if not before.strip() or before[-1:].isspace() else before + " "
    text = convert(spaced_before + _BLANK_MARK + after, text_format)
    return text.replace(_BLANK_MARK, BLANK)


@dataclass
class _Body:
    lines: list[str]
    extra_feedback: list[str]


def _answer_lines(answers: str, text_format: str) -> _Body:
    if not answers:
        return _Body(["~ text"], [])
    if answers.startswith("#"):
        return _numeric(answers[1:], text_format)
    true_false = TRUE_FALSE_RE.match(answers)
    if true_false:
        value = true_false.group(1).upper() in ("T", "TRUE")
        parts = (true_false.group(2) or "").split("#")
        wrong = convert(parts[1], text_format) if len(parts) > 1 else ""
        right = convert(parts[2], text_format) if len(parts) > 2 else ""
        return _Body([f"= {'true' if value else 'false'}"], [right, wrong])
    parsed = _split_answers(answers, text_format)
    if any(a.marker == "=" and "->" in a.text for a in parsed):
        raise _Unsupported(N_("matching question: there is no matching type here"))
    if any(a.marker == "~" for a in parsed):
        return _choices(parsed)
    accepted = [a for a in parsed if a.is_right]
    if not accepted:
        raise _Unsupported(N_("short-answer question without an answer of positive weight"))
    return _Body(
        [f"= {_one_line(a.text)}" for a in accepted], [a.feedback for a in parsed if a.feedback]
    )


def _split_answers(answers: str, text_format: str) -> list[_Answer]:
    parts = re.split(r"([=~])", answers)
    if parts[0].strip():
        raise _Unsupported(N_("the answers must each start with `=` or `~`"))
    result = []
    for marker, raw in zip(parts[1::2], parts[2::2], strict=True):
        weight = None
        match = WEIGHT_RE.match(raw)
        if match:
            weight, raw = float(match.group(1)), raw[match.end() :]
        text, _, feedback = raw.partition("#")
        if not text.strip():
            raise _Unsupported(N_("an answer has no text"))
        result.append(
            _Answer(marker, weight, convert(text, text_format), convert(feedback, text_format))
        )
    return result


def _choices(answers: list[_Answer]) -> _Body:
    right = [a for a in answers if a.is_right]
    if not right:
        raise _Unsupported(N_("multiple-choice question without a right answer"))
    weighted = any(a.weight is not None for a in answers)
    multiple = weighted or len(right) > 1
    lines = []
    for answer in answers:
        mark = "x" if answer.is_right else " "
        marker = f"[{mark}]" if multiple else f"({mark})"
        lines.append(f"- {marker} {_one_line(answer.text)}")
        lines += [f"  > {line}".rstrip() for line in answer.feedback.split("\n") if answer.feedback]
    return _Body(lines, [])


def _numeric(answers: str, text_format: str) -> _Body:
    entries = answers.split("=")[1:] if answers.lstrip().startswith("=") else [answers]
    if "=" in answers and not answers.lstrip().startswith("="):
        raise _Unsupported(N_("numeric answers after the first must each start with `=`"))
    lines, feedback = [], []
    for entry in entries:
        weight = None
        match = WEIGHT_RE.match(entry)
        if match:
            weight, entry = float(match.group(1)), entry[match.end() :]
        value, _, entry_feedback = entry.partition("#")
        if entry_feedback.strip():
            feedback.append(convert(entry_feedback, text_format))
        if weight is not None and weight <= 0:
            continue
        lines.append(f"= {_number_answer(show(value).strip())}")
    if not lines:
        raise _Unsupported(N_("numeric question without an answer of positive weight"))
    return _Body(lines, feedback)


def _number_answer(text: str) -> str:
    if ".." in text:
        low, _, high = text.partition("..")
        low_number, high_number = _decimal(low), _decimal(high)
        if low_number > high_number:
            raise _Unsupported(N_("numeric range `%(range)s` goes from high to low"), range=text)
        return f"{_plain_number(low_number)}..{_plain_number(high_number)}"
    value, colon, tolerance = text.partition(":")
    number = _plain_number(_decimal(value))
    if not colon or _decimal(tolerance) == 0:
        return number
    return f"{number} +- {_plain_number(abs(_decimal(tolerance)))}"


def _decimal(text: str) -> Decimal:
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise _Unsupported(N_("`%(text)s` is not a number"), text=text.strip())
    return number


def _plain_number(number: Decimal) -> str:
    """1E+2 -> 100, 3.140 -> 3.14: the forms our numeric answers accept."""
    text = format(number.normalize(), "f")
    return "0" if text == "-0" else text


def _first_line(lines: list[str], question_id: str) -> str:
    return "\n".join([f"? {lines[0]} {{id={question_id}}}", *lines[1:]])


def _unique_id(title: str, position: int, taken: set[str]) -> str:
    base = suggest_slug(title)[:70].strip("-")
    if not ID_RE.match(base):
        base = f"gift-{position}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _protect(lines: list[str]) -> list[str]:
    return [f" {line}" if _SYNTAX_LINE_RE.match(line) else line for line in lines]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _join_feedback(parts: list[str]) -> str:
    unique = list(dict.fromkeys(p for p in parts if p))
    return "\n\n".join(unique)
