"""Finding the `::: quiz` block in a module body, and reading its settings lines.

The questions themselves are read by quizsyntax.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .messages import Msg, msg
from .spec import (
    LATE_POLICIES,
    MAX_ATTEMPTS,
    MAX_TIME_LIMIT_MINUTES,
    REVEAL_POLICIES,
    Problem,
    QuizSettings,
)
from .text import parse_number, unknown_hint

OPEN_RE = re.compile(r"^:::\s*quiz\s*$")
CLOSE_RE = re.compile(r"^:::\s*$")
SETTING_RE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)\s*:\s*(.*?)\s*$")
# The words of a quiz block -> the QuizSettings fields they set.
SETTING_FIELDS = {
    "pass": "pass_percent",
    "attempts": "attempts",
    "shuffle": "shuffle",
    "time-limit": "time_limit_minutes",
    "late": "late",
    "reveal": "reveal",
    "anonymous": "anonymous",
}
SETTING_KEYS = tuple(SETTING_FIELDS)
_YES = ("yes", "true")
_NO = ("no", "false")


@dataclass(frozen=True)
class Line:
    number: int  # in the module file
    text: str
    in_code: bool  # inside a fenced code block


@dataclass(frozen=True)
class Block:
    open_line: int
    lines: tuple[Line, ...]  # between `::: quiz` and `:::`, both excluded


def find_quiz_block(lines: list[Line], path: str) -> tuple[list[Line], Block | None, list[Problem]]:
    """Split a body into (lines outside the block, the block, problems).

    Only the first block is kept: "two quiz blocks" is reported, and guessing how to merge
    them would hide the mistake.
    """
    outside: list[Line] = []
    block: Block | None = None
    problems: list[Problem] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.in_code or not OPEN_RE.match(line.text):
            outside.append(line)
            index += 1
            continue
        end = index + 1
        while end < len(lines) and (lines[end].in_code or not CLOSE_RE.match(lines[end].text)):
            if not lines[end].in_code and OPEN_RE.match(lines[end].text):
                break
            end += 1
        closed = end < len(lines) and CLOSE_RE.match(lines[end].text) is not None
        if not closed:
            problems.append(Problem(path, line.number, msg("quiz-not-closed")))
        if block is None:
            block = Block(line.number, tuple(lines[index + 1 : end]))
        else:
            problems.append(
                Problem(path, line.number, msg("quiz-block-twice", line=block.open_line))
            )
        index = end + 1 if closed else end
    return outside, block, problems


def read_settings(
    block: Block, path: str, problems: list[Problem]
) -> tuple[QuizSettings, dict[str, int], int]:
    """Read the settings lines that open the block.

    Returns the settings, the line of each key that was written, and the index in
    block.lines where the questions start.
    """
    values: dict[str, object] = {}
    lines_of: dict[str, int] = {}
    index = 0
    while index < len(block.lines):
        line = block.lines[index]
        match = SETTING_RE.match(line.text)
        if match is None or line.text.startswith("?"):
            break
        index += 1
        key, raw = match.group(1), match.group(2)
        if key not in SETTING_KEYS:
            hint = unknown_hint(key, SETTING_KEYS)
            problems.append(
                Problem(path, line.number, msg("unknown-quiz-setting", word=key, hint=hint))
            )
        elif key in lines_of:
            problems.append(
                Problem(path, line.number, msg("quiz-setting-twice", key=key, line=lines_of[key]))
            )
        else:
            lines_of[key] = line.number
            value, error = _setting_value(key, raw)
            if error:
                problems.append(Problem(path, line.number, error))
            else:
                values[key] = value
    # A setting left out keeps QuizSettings' default, the one definition of the defaults.
    settings = QuizSettings(**{SETTING_FIELDS[key]: value for key, value in values.items()})
    # Only settings that were understood: a wrong value is reported once, not again by
    # the rules that depend on the module's kind.
    return settings, {k: v for k, v in lines_of.items() if k in values}, index


def _setting_value(key: str, raw: str) -> tuple[object, Msg | None]:
    """(typed value, None) or (None, what is wrong and how to write it)."""
    word = raw.strip().lower()
    if key == "pass":
        number = parse_number(word.removesuffix("%").strip())
        if number is None or not 0 <= number <= 100:
            return None, msg("pass-invalid", value=raw)
        return number, None
    if key in ("attempts", "time-limit"):
        unlimited = "unlimited" if key == "attempts" else "none"
        if word == unlimited:
            return None, None
        most = MAX_ATTEMPTS if key == "attempts" else MAX_TIME_LIMIT_MINUTES
        # Short ASCII digits only: int() refuses superscripts and numbers of 4,300 digits.
        if word.isascii() and word.isdigit() and len(word) < 10 and 0 < int(word) <= most:
            return int(word), None
        code = "attempts-invalid" if key == "attempts" else "time-limit-invalid"
        return None, msg(code, value=raw, most=most)
    if key in ("shuffle", "anonymous"):
        if word in _YES:
            return True, None
        if word in _NO:
            return False, None
        return None, msg("yes-or-no", key=key, value=raw)
    options = LATE_POLICIES if key == "late" else REVEAL_POLICIES
    if word in options:
        return word, None
    hint = unknown_hint(raw, options)
    return None, msg("quiz-setting-value-unknown", key=key, word=raw, hint=hint)
