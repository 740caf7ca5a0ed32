"""Converted GIFT questions appended to a module's quiz block (made if the module has none)."""

from __future__ import annotations

from .gift import GiftResult, convert_gift
from .module import parse_module
from .quizblock import CLOSE_RE, OPEN_RE
from .text import fenced_lines, split_lines

__all__ = ["add_gift_to_module", "append_questions"]


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
