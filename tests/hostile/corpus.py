"""Hostile course files, generated small: each breaks one bound, at a known line.

Every case is a course folder that differs from a valid one in one file. The tests feed
them through `courses check`, `courses import`, the editor's preview and a draft save, and
expect the message at `file:line` in well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

COURSE_YML = """\
title: Hostile input
summary: A course whose files try to exhaust the server.
language: en
version: "1"
owners: [owner@example.org]
"""

MODULE = """\
---
title: Introduction
minutes: 20
---
## A heading

Some text with a [link](https://example.org).

::: quiz
? Is this a question? {id=q1}
- (x) Yes
- ( ) No
:::
"""

# "Billion laughs": nine lists of nine aliases of the one before, 9^9 strings once expanded.
ALIAS_BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
)


@dataclass(frozen=True)
class Case:
    id: str
    file: str  # "course.yml" or "01-intro.md"
    text: str
    line: int  # where the message must point
    fragment: str  # part of the message

    @property
    def slug(self) -> str:
        return f"hostile-{self.id}"


def _course_yml(extra: str) -> str:
    return COURSE_YML + extra


def _module(front: str = "title: Introduction\nminutes: 20\n", body: str = "Text.\n") -> str:
    return f"---\n{front}---\n{body}"


CASES = [
    # YAML: aliases, anchors, tags, depth, size.
    Case("alias-bomb", "course.yml", _course_yml(ALIAS_BOMB), 6, "YAML anchor"),
    Case(
        "front-matter-bomb",
        "01-intro.md",
        _module(front="title: Introduction\nminutes: 20\n" + ALIAS_BOMB),
        4,
        "YAML anchor",
    ),
    Case("alias", "course.yml", _course_yml("co_authors: *people\n"), 6, "YAML alias"),
    Case(
        "tag", "course.yml", _course_yml("audience: !!python/object:os.system x\n"), 6, "YAML tag"
    ),
    Case(
        "deep-flow", "course.yml", _course_yml("completion: " + "[" * 5000 + "]" * 5000), 6, "deep"
    ),
    Case(
        "deep-block",
        "course.yml",
        _course_yml("completion:\n  modules:\n    " + "- " * 5000 + "x\n"),
        8,
        "deep",
    ),
    Case(
        "deep-front-matter",
        "01-intro.md",
        _module(front="title: Introduction\nminutes: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n"),
        3,
        "deep",
    ),
    Case(
        "many-values",
        "course.yml",
        _course_yml("co_authors: [" + "1, " * 3000 + "]\n"),
        6,
        "more than 2000 values",
    ),
    # Numbers beyond what the database holds.
    Case(
        "huge-minutes",
        "01-intro.md",
        _module(front="title: Introduction\nminutes: 99999999999999999999999\n"),
        3,
        "`minutes` must be a whole number from 1 to",
    ),
    Case(
        "endless-minutes",
        "01-intro.md",
        _module(front="title: Introduction\nminutes: " + "9" * 5000 + "\n"),
        3,
        "this number has 5000 characters",
    ),
    Case(
        "huge-validity",
        "course.yml",
        _course_yml("certificate:\n  validity_months: 99999999999999999999999\n"),
        7,
        "`certificate.validity_months` must be a whole number from 1 to",
    ),
    Case(
        "infinite-hours", "course.yml", _course_yml("estimated_hours: .inf\n"), 6, "estimated_hours"
    ),
    Case(
        "huge-attempts",
        "01-intro.md",
        _module(body="::: quiz\nattempts: 99999999999999999999999\n? Q {id=q1}\n= 1\n:::\n"),
        6,
        "`attempts` must be a number of attempts",
    ),
    Case(
        "huge-time-limit",
        "01-intro.md",
        _module(body="::: quiz\ntime-limit: " + "9" * 5000 + "\n? Q {id=q1}\n= 1\n:::\n"),
        6,
        "`time-limit` must be a number of minutes",
    ),
    Case(
        "huge-points",
        "01-intro.md",
        _module(body="::: quiz\n? Q {id=q1 points=1" + "0" * 400 + "}\n= 1\n:::\n"),
        6,
        "`points` must be a number above 0 and at most",
    ),
    Case(
        "huge-numeric-answer",
        "01-intro.md",
        _module(body="::: quiz\n? Q {id=q1}\n= 9" + "9" * 400 + "\n:::\n"),
        7,
        "numbers in answers",
    ),
    Case(
        "huge-scale",
        "01-survey.md",
        _module(
            front="title: Survey\nminutes: 5\nkind: survey\n",
            body="::: quiz\n? How? {id=q1}\n~ scale 1-" + "9" * 5000 + "\n:::\n",
        ),
        8,
        "a scale has at most",
    ),
    # NUL and other control characters.
    Case("nul-body", "01-intro.md", _module(body="Text.\n\nA\x00B\n"), 7, "code 0x0"),
    Case("nul-yml", "course.yml", _course_yml("co_authors: [a\x00@example.org]\n"), 6, "code 0x0"),
    Case("nul-title", "01-intro.md", _module(front="title: A\x00B\nminutes: 20\n"), 2, "code 0x0"),
    Case(
        "control-in-quiz",
        "01-intro.md",
        _module(body="::: quiz\n? Q\x1b[31m {id=q1}\n= 1\n:::\n"),
        6,
        "code 0x1b",
    ),
    # Markdown that Python-Markdown reads in quadratic time.
    Case("brackets", "01-intro.md", _module(body="Text.\n\n" + "[" * 20000 + "\n"), 7, "`[`"),
    Case("image-brackets", "01-intro.md", _module(body="![" * 10000 + "\n"), 5, "`[`"),
    Case("nested-brackets", "01-intro.md", _module(body="[" * 3000 + "]" * 3000 + "\n"), 5, "`[`"),
    Case("open-links", "01-intro.md", _module(body="[a](" * 5000 + "\n"), 5, "`](`"),
    Case("reference-links", "01-intro.md", _module(body="[a][" * 5000 + "\n"), 5, "`[`"),
    Case("footnote-refs", "01-intro.md", _module(body="[^" * 10000 + "\n"), 5, "`[`"),
    Case("html-openers", "01-intro.md", _module(body="x\n" + "<a " * 10000 + "\n"), 6, "`<`"),
    Case("autolinks", "01-intro.md", _module(body="<http://" * 5000 + "\n"), 5, "`<`"),
    Case(
        "backtick-runs",
        "01-intro.md",
        _module(body=" ".join("`" * n for n in range(1, 500)) + "\n"),
        5,
        "backquotes",
    ),
    Case(
        "brackets-in-question",
        "01-intro.md",
        _module(body="::: quiz\n? " + "[" * 20000 + " {id=q1}\n= 1\n:::\n"),
        6,
        "`[`",
    ),
    Case(
        "brackets-in-feedback",
        "01-intro.md",
        _module(body="::: quiz\n? Q {id=q1}\n- (x) a\n  > " + "[" * 20000 + "\n- ( ) b\n:::\n"),
        8,
        "`[`",
    ),
]


def write_case(root: Path, case: Case) -> Path:
    """The case as a course folder root/<slug>/; returns the folder."""
    folder = root / case.slug
    (folder / "assets").mkdir(parents=True)
    files = {"course.yml": COURSE_YML, "01-intro.md": MODULE}
    if case.file != "01-intro.md" and case.file.endswith(".md"):
        del files["01-intro.md"]
    files[case.file] = case.text
    for name, text in files.items():
        (folder / name).write_bytes(text.encode("utf-8"))
    return folder
