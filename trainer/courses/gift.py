"""Moodle GIFT quizzes turned into our quiz syntax: a pure converter, no Flask, no database.

What maps to what (docs/authoring.md, "Importing Moodle GIFT questions"):
- `{=right ~wrong}` -> single choice `- (x)` / `- ( )`; two or more `=` -> multiple choice.
- Weighted choices (`~%50%a ~%-100%b`): multiple choice `- [x]` / `- [ ]`, every answer with a
  positive weight marked right. Our choice questions have no partial credit.
- `{T}` `{TRUE}` `{F}` `{FALSE}` -> `= true` / `= false`.
- `{=a =b}` -> short text `= a` / `= b` (answers with a weight of 0 or less are dropped).
- `{#3.14:0.01}` `{#1..5}` `{#=3:1 =%50%4:1}` -> `= 3.14 +- 0.01`, `= 1..5`, one `=` per
  answer with a positive weight.
- Per-answer feedback (`#...`) -> `  > ...` under the choice; for true/false, short text
  and numeric questions (which have no per-answer feedback here) it joins the question
  feedback, after the general feedback (`####...`), which becomes `> ...`.
- `::title::` -> the question id (`{id=...}`, made unique); `// ...` lines are dropped.
- `[markdown]` is kept, `[plain]` is escaped, `[html]` and `[moodle]` (the default) become
  Markdown: paragraphs, line breaks, bold, italics, code, links, images and lists; other
  tags are dropped.
Matching, essay (`{}`), missing-word (text after the braces) and description-only items are
reported with their line and reason, never guessed at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser

from .module import parse_module
from .quizblock import CLOSE_RE, OPEN_RE
from .text import ID_RE, fenced_lines, split_lines, suggest_slug

__all__ = ["GiftQuestion", "GiftResult", "GiftSkip", "add_gift_to_module", "convert_gift"]

# Escaped characters are swapped for private-use ones while the structure is read.
_ESCAPABLE = "~=#{}:\\"
_HIDE = {c: chr(0xE000 + i) for i, c in enumerate(_ESCAPABLE)}
_SHOW = {v: k for k, v in _HIDE.items()}
_ESCAPE_RE = re.compile(r"\\([~=#{}:\\n])")
TITLE_RE = re.compile(r"^\s*::(.*?)::", re.DOTALL)
FORMAT_RE = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
WEIGHT_RE = re.compile(r"^\s*%(-?\d+(?:\.\d+)?)%")
TRUE_FALSE_RE = re.compile(r"^(T|F|TRUE|FALSE)\s*(#.*)?$", re.IGNORECASE | re.DOTALL)
# Lines of question text that our quiz reader would take for syntax get a leading space.
_SYNTAX_LINE_RE = re.compile(r"^(?:[?=~]|:::|-\s*[(\[])")


@dataclass(frozen=True)
class GiftQuestion:
    line: int  # where the question starts in the GIFT file
    id: str
    markdown: str  # in our quiz syntax, from `? ` to its last line


@dataclass(frozen=True)
class GiftSkip:
    line: int
    reason: str


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
    pass


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
        except _Unsupported as reason:
            skipped.append(GiftSkip(line, str(reason)))
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


def _hide_escapes(text: str) -> str:
    return _ESCAPE_RE.sub(lambda m: "\n" if m.group(1) == "n" else _HIDE[m.group(1)], text)


def _show(text: str) -> str:
    return "".join(_SHOW.get(c, c) for c in text)


def _question(item: str) -> tuple[str, list[str]]:
    """(title, lines in our syntax without the id) or _Unsupported with the reason."""
    rest = _hide_escapes(item)
    title = ""
    match = TITLE_RE.match(rest)
    if match:
        title, rest = _show(match.group(1)).strip(), rest[match.end() :]
    text_format = "moodle"
    match = FORMAT_RE.match(rest)
    if match:
        text_format, rest = match.group(1).lower(), rest[match.end() :]
    opening = rest.find("{")
    if opening < 0:
        raise _Unsupported("description (text without answers): nothing to convert")
    closing = rest.find("}", opening)
    if closing < 0 or "{" in rest[opening + 1 : closing]:
        raise _Unsupported("the answers' `{` is never closed by `}`")
    if rest[closing + 1 :].strip():
        raise _Unsupported(
            "missing-word question (text after the answers): not supported, rewrite the "
            "question so that the answers come last"
        )
    text = _convert(rest[:opening], text_format) or _convert(title, "plain")
    if not text:
        raise _Unsupported("the question has no text")
    answers, _, general = rest[opening + 1 : closing].partition("####")
    body = _answer_lines(answers.strip(), text_format)
    general_feedback = _convert(general, text_format)
    lines = _protect(text.split("\n"))
    lines += body.lines
    feedback = _join_feedback([general_feedback, *body.extra_feedback])
    lines += [f"> {line}".rstrip() for line in feedback.split("\n")] if feedback else []
    return title, lines


@dataclass
class _Body:
    lines: list[str]
    extra_feedback: list[str]


def _answer_lines(answers: str, text_format: str) -> _Body:
    if not answers:
        raise _Unsupported("essay question (`{}`): free-text answers are not graded here")
    if answers.startswith("#"):
        return _numeric(answers[1:], text_format)
    true_false = TRUE_FALSE_RE.match(answers)
    if true_false:
        value = true_false.group(1).upper() in ("T", "TRUE")
        parts = (true_false.group(2) or "").split("#")
        wrong = _convert(parts[1], text_format) if len(parts) > 1 else ""
        right = _convert(parts[2], text_format) if len(parts) > 2 else ""
        return _Body([f"= {'true' if value else 'false'}"], [right, wrong])
    parsed = _split_answers(answers, text_format)
    if any(a.marker == "=" and "->" in a.text for a in parsed):
        raise _Unsupported("matching question: there is no matching type here")
    if any(a.marker == "~" for a in parsed):
        return _choices(parsed)
    accepted = [a for a in parsed if a.is_right]
    if not accepted:
        raise _Unsupported("short-answer question without an answer of positive weight")
    return _Body(
        [f"= {_one_line(a.text)}" for a in accepted], [a.feedback for a in parsed if a.feedback]
    )


def _split_answers(answers: str, text_format: str) -> list[_Answer]:
    parts = re.split(r"([=~])", answers)
    if parts[0].strip():
        raise _Unsupported("the answers must each start with `=` or `~`")
    result = []
    for marker, raw in zip(parts[1::2], parts[2::2], strict=True):
        weight = None
        match = WEIGHT_RE.match(raw)
        if match:
            weight, raw = float(match.group(1)), raw[match.end() :]
        text, _, feedback = raw.partition("#")
        if not text.strip():
            raise _Unsupported("an answer has no text")
        result.append(
            _Answer(marker, weight, _convert(text, text_format), _convert(feedback, text_format))
        )
    return result


def _choices(answers: list[_Answer]) -> _Body:
    right = [a for a in answers if a.is_right]
    if not right:
        raise _Unsupported("multiple-choice question without a right answer")
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
        raise _Unsupported("numeric answers after the first must each start with `=`")
    lines, feedback = [], []
    for entry in entries:
        weight = None
        match = WEIGHT_RE.match(entry)
        if match:
            weight, entry = float(match.group(1)), entry[match.end() :]
        value, _, entry_feedback = entry.partition("#")
        if entry_feedback.strip():
            feedback.append(_convert(entry_feedback, text_format))
        if weight is not None and weight <= 0:
            continue
        lines.append(f"= {_number_answer(_show(value).strip())}")
    if not lines:
        raise _Unsupported("numeric question without an answer of positive weight")
    return _Body(lines, feedback)


def _number_answer(text: str) -> str:
    if ".." in text:
        low, _, high = text.partition("..")
        low_number, high_number = _decimal(low), _decimal(high)
        if low_number > high_number:
            raise _Unsupported(f"numeric range `{text}` goes from high to low")
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
        raise _Unsupported(f"`{text.strip()}` is not a number")
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


def _convert(text: str, text_format: str) -> str:
    """GIFT text (escapes hidden) in its format -> Markdown, escapes restored."""
    if text_format == "markdown":
        result = _show(text)
    elif text_format == "plain":
        result = _escape_markdown(_show(text))
    else:
        keep_breaks = text_format == "moodle"
        result = _HtmlToMarkdown.convert(_show(text), keep_breaks=keep_breaks)
    result = re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in result.split("\n")))
    return result.strip()


def _escape_markdown(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = re.sub(r"([\\`*_\[\]])", r"\\\1", text)
    return re.sub(r"(?m)^(\s*)([#>])", r"\1\\\2", text)


class _HtmlToMarkdown(HTMLParser):
    """The handful of tags quiz text uses, as Markdown; every other tag is dropped."""

    _INLINE = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`"}
    _BLOCKS = {"p", "div", "ul", "ol", "table", "tr", "blockquote", "pre"}

    def __init__(self, keep_breaks: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.keep_breaks = keep_breaks
        self.out: list[str] = []
        self.links: list[str] = []

    @classmethod
    def convert(cls, text: str, *, keep_breaks: bool) -> str:
        parser = cls(keep_breaks)
        parser.feed(text)
        parser.close()
        return "".join(parser.out)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag in self._INLINE:
            self.out.append(self._INLINE[tag])
        elif tag == "br":
            self.out.append("\n")
        elif tag in self._BLOCKS or re.fullmatch(r"h[1-6]", tag):
            self.out.append("\n\n" + ("### " if tag.startswith("h") else ""))
        elif tag == "li":
            self.out.append("\n- ")
        elif tag == "a":
            self.out.append("[")
            self.links.append(values.get("href", ""))
        elif tag == "img":
            alt = _escape_markdown(values.get("alt", ""))
            self.out.append(f"![{alt}]({values.get('src', '')})")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._INLINE:
            self.out.append(self._INLINE[tag])
        elif tag in self._BLOCKS or re.fullmatch(r"h[1-6]", tag):
            self.out.append("\n\n")
        elif tag == "a" and self.links:
            self.out.append(f"]({self.links.pop()})")

    def handle_data(self, data: str) -> None:
        if not self.keep_breaks:
            data = re.sub(r"\s+", " ", data)
        self.out.append(_escape_markdown(data))


def add_gift_to_module(module_text: str, gift_text: str) -> tuple[str, GiftResult]:
    """The module with the converted questions appended to its quiz block (made if absent).

    The caller must still validate the result in its course (asset links, module kind).
    """
    module, _ = parse_module(
        module_text,
        "module.md",
        slug="module",
        number=1,
        position=1,
        content_hash="",
        asset_names=(),
    )
    taken = set(module.quiz.question_ids) if module.quiz else set()
    result = convert_gift(gift_text, taken)
    if not result.questions:
        return module_text, result
    return append_questions(module_text, result.markdown), result


def append_questions(module_text: str, questions: str) -> str:
    """Insert quiz-syntax questions before the end of the module's quiz block."""
    lines = split_lines(module_text)
    in_code = fenced_lines(lines)
    opening = next(
        (i for i, line in enumerate(lines) if not in_code[i] and OPEN_RE.match(line)), None
    )
    closing = None
    if opening is not None:
        closing = next(
            (
                i
                for i in range(opening + 1, len(lines))
                if not in_code[i] and CLOSE_RE.match(lines[i])
            ),
            None,
        )
    new = questions.split("\n")
    if opening is None:
        head = _trim_end(lines)
        return "\n".join([*head, *([""] if head else []), "::: quiz", *new, ":::"]) + "\n"
    end = closing if closing is not None else len(lines)
    head = _trim_end(lines[:end])
    return "\n".join([*head, "", *new, *lines[end:]]) + "\n"


def _trim_end(lines: list[str]) -> list[str]:
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    return lines[:end]
