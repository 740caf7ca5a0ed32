"""One module file: front matter, Markdown body, optional quiz block, links."""

from __future__ import annotations

import re
from collections.abc import Collection

from .fields import Fields
from .links import check_links
from .markdowncost import markdown_cost
from .messages import msg
from .quizblock import Line, find_quiz_block
from .quizsyntax import parse_quiz
from .spec import (
    KINDS_NEEDING_QUIZ,
    MAX_MODULE_MINUTES,
    MODULE_KINDS,
    ModuleKind,
    ModuleSpec,
    Problem,
)
from .text import control_character, fenced_lines, split_lines
from .yamlmap import read_yaml

MODULE_FILE_RE = re.compile(r"^(\d+)-(.*)\.md$")
MAX_TITLE_LENGTH = 300  # the database's limit for module titles
FRONT_MATTER_KEYS = ("title", "minutes", "kind")
REQUIRED_FRONT_MATTER_KEYS = ("title", "minutes")
_FENCE = "---"


def parse_module(
    text: str,
    path: str,
    *,
    slug: str,
    number: int,
    position: int,
    content_hash: str,
    asset_names: Collection[str],
) -> tuple[ModuleSpec, list[Problem]]:
    """Parse a module file's text; `path` is how problems name the file.

    A module is returned even when it has problems, so that course-level checks (completion
    rules, translations) do not also complain that it is missing.
    """
    lines = split_lines(text)
    problems: list[Problem] = []
    control = control_character(text)
    if control is not None:
        line, code = control
        problems.append(Problem(path, line, msg("control-character", code=f"{code:#x}")))
    title, minutes, kind, key_lines, body_start = _front_matter(lines, path, problems)
    # body_start lines precede the body: body line N is file line N + body_start.
    body = lines[body_start:]
    in_code = fenced_lines(body)
    numbered = [
        Line(body_start + i + 1, t, c) for i, (t, c) in enumerate(zip(body, in_code, strict=True))
    ]
    outside, block, block_problems = find_quiz_block(numbered, path)
    problems += block_problems
    quiz = None
    if block is not None:
        quiz, quiz_problems = parse_quiz(block, path, kind)
        problems += quiz_problems
    elif kind in KINDS_NEEDING_QUIZ:
        problems.append(Problem(path, key_lines.get("kind", 1), msg("quiz-needed", kind=kind)))
    problems += check_links(numbered, path, asset_names)
    cost = markdown_cost((line.number, line.text) for line in numbered if not line.in_code)
    if cost.too_costly:
        problems.append(Problem(path, cost.line, msg("markdown-too-costly", count=cost.openers)))
    module = ModuleSpec(
        slug=slug,
        position=position,
        number=number,
        title=title,
        minutes=minutes,
        kind=kind,
        body_markdown=_join(outside),
        quiz=quiz,
        source_path=path,
        source_line_offset=body_start,
        content_hash=content_hash,
        front_matter_lines=key_lines,
    )
    return module, problems


def _front_matter(
    lines: list[str], path: str, problems: list[Problem]
) -> tuple[str, int, str, dict[str, int], int]:
    """(title, minutes, kind, line of each key, number of lines before the body)."""
    if not lines or lines[0].strip() != _FENCE:
        problems.append(Problem(path, 1, msg("front-matter-missing")))
        return "", 0, ModuleKind.LESSON.value, {}, 0
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == _FENCE), None)
    if end is None:
        problems.append(Problem(path, 1, msg("front-matter-not-closed")))
        return "", 0, ModuleKind.LESSON.value, {}, len(lines)
    document, yaml_problems = read_yaml("\n".join(lines[1:end]), path, first_line=2)
    problems += yaml_problems
    if document is None:
        return "", 0, ModuleKind.LESSON.value, {}, end + 1
    if not isinstance(document.data, dict):
        problems.append(Problem(path, 2, msg("front-matter-not-a-mapping")))
        return "", 0, ModuleKind.LESSON.value, {}, end + 1
    fields = Fields(document, path, problems)
    fields.check_keys(FRONT_MATTER_KEYS, REQUIRED_FRONT_MATTER_KEYS)
    title = fields.text("title", max_length=MAX_TITLE_LENGTH)
    minutes = (
        fields.number("minutes", 0, low=1, high=MAX_MODULE_MINUTES, integer=True)
        if "minutes" in fields.data
        else 0
    )
    kind = fields.choice("kind", MODULE_KINDS, ModuleKind.LESSON.value)
    key_lines = {str(k[0]): v for k, v in document.lines.items() if len(k) == 1}
    return title, minutes, kind, key_lines, end + 1


def _join(lines: list[Line]) -> str:
    text = "\n".join(line.text for line in lines).rstrip()
    return text + "\n" if text else ""
