"""How long Python-Markdown would take on a text, estimated in linear time, before it runs.

Python-Markdown reads links character by character: from every `[` to the `]` that closes
it, and from every `](` to the `)` that closes it, or to the end of the paragraph when
nothing does. `<` followed by a letter (an HTML tag or `<https://...>`) is rescanned to the
end of its paragraph, and so is a run of backticks to the next run of the same length. Runs
of openers that never close therefore cost time quadratic in their length (upstream issue
#798: 20,000 `[` took 39 s). Everything else costs time linear in the text, which the size
limits of files already bound.

`paragraph_work` adds up those distances, pairing brackets the way Python-Markdown does,
over each paragraph (a run of non-blank lines: Markdown never reads inline text across a
blank line). benchmarks/markdown_cost.py measures about 0.5 µs per unit at worst, so a
paragraph within MAX_PARAGRAPH_WORK renders in about a tenth of a second whatever its
shape, and a whole text within its budget in little more than its plain reading takes.
The demo courses use at most 245 units in a paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

MAX_PARAGRAPH_WORK = 100_000
# A whole text may add this much to what its length costs anyway (2 units per character,
# where plain reading takes some 14 µs per character).
MAX_EXTRA_WORK = 100_000
WORK_PER_CHARACTER = 2
# `<` and backticks cost about a quarter of `[` per character rescanned.
CHEAP_SHARE = 4

# A backslash escape is one token (an escaped `[` costs nothing); `<` only opens a tag or
# an autolink when a letter, `/`, `!` or `?` follows.
_TOKEN_RE = re.compile(r"\\.|\[|\]\(|\]|\(|\)|<[A-Za-z/!?]|`+", re.DOTALL)


@dataclass(frozen=True)
class Paragraph:
    line: int  # of its first line in the file
    text: str


@dataclass(frozen=True)
class Cost:
    work: int  # the whole text's
    characters: int  # the whole text's
    worst: int  # the costliest paragraph's work
    line: int | None  # of the costliest opener of the costliest paragraph
    openers: int  # `[`, `](`, `<` and backtick runs in that paragraph

    @property
    def too_costly(self) -> bool:
        budget = MAX_EXTRA_WORK + WORK_PER_CHARACTER * self.characters
        return self.worst > MAX_PARAGRAPH_WORK or self.work > budget


def paragraphs(lines: Iterable[tuple[int, str]]) -> list[Paragraph]:
    """Runs of non-blank lines of (line number, text) pairs; pass only lines Markdown reads."""
    found: list[Paragraph] = []
    current: list[str] = []
    first = 0
    previous = None
    for number, text in lines:
        contiguous = previous is not None and number == previous + 1
        if current and (not text.strip() or not contiguous):
            found.append(Paragraph(first, "\n".join(current)))
            current = []
        if text.strip():
            if not current:
                first = number
            current.append(text)
        previous = number
    if current:
        found.append(Paragraph(first, "\n".join(current)))
    return found


def paragraph_work(text: str) -> tuple[int, int, int]:
    """(work units, openers, position of the costliest opener) of one paragraph."""
    end = len(text)
    costs: list[tuple[int, int]] = []  # (work, position of the opener), cheap ones shared
    openers = 0
    brackets: list[int] = []
    parens: list[tuple[int, bool]] = []  # (position, opens a link's address)
    angles: list[int] = []
    ticks: dict[int, int] = {}  # run length -> position of a run still waiting for its twin
    for match in _TOKEN_RE.finditer(text):
        mark, position = match.group(), match.start()
        if mark == "[":
            brackets.append(position)
            openers += 1
        elif mark[0] == "]":
            if brackets:
                start = brackets.pop()
                costs.append((position - start, start))
            if mark == "](":
                parens.append((position + 1, True))
                openers += 1
        elif mark == "(":
            parens.append((position, False))
        elif mark == ")":
            if parens:
                start, is_link = parens.pop()
                if is_link:
                    costs.append((position - start, start))
        elif mark[0] == "<":
            angles.append(position)
            openers += 1
        elif mark[0] == "`":
            opened = ticks.pop(len(mark), None)
            if opened is None:
                ticks[len(mark)] = position
                openers += 1
            else:
                costs.append(((position - opened) // CHEAP_SHARE, opened))
        # A backslash escape costs nothing.
    costs += [(end - start, start) for start in brackets]
    costs += [(end - start, start) for start, is_link in parens if is_link]
    cheap = [*angles, *ticks.values()]
    costs += [((end - start) // CHEAP_SHARE, start) for start in cheap]
    if not costs:
        return 0, 0, 0
    return sum(work for work, _ in costs), openers, max(costs)[1]


def markdown_cost(lines: Iterable[tuple[int, str]]) -> Cost:
    """The estimated cost of the Markdown in `lines` (line number, text), in work units."""
    total = characters = 0
    worst: tuple[int, int | None, int] = (0, None, 0)
    for paragraph in paragraphs(lines):
        work, openers, position = paragraph_work(paragraph.text)
        total += work
        characters += len(paragraph.text)
        if work > worst[0]:
            line = paragraph.line + paragraph.text.count("\n", 0, position)
            worst = (work, line, openers)
    return Cost(total, characters, *worst)


def text_cost(text: str) -> Cost:
    """The cost of a Markdown text on its own (a preview, a form field), lines from 1."""
    return markdown_cost(enumerate(text.split("\n"), start=1))
