"""Finding the links and images of a module and checking where they point.

A course must be self-contained: participants on a blocked network can still open every
file, and nothing on the server outside the course folder can ever be reached through a
link. So relative links may only name files in the course's assets/ folder.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection, Iterable
from urllib.parse import unquote

from .quizblock import Line
from .spec import Problem
from .text import did_you_mean

INLINE_RE = re.compile(r"\]\(\s*(<[^>]*>|[^)\s]*)")  # [text](url) and ![alt](url)
REFERENCE_RE = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:\s*(<[^>]*>|\S+)")  # [x]: url, not [^1]:
HTML_RE = re.compile(r"""\b(?:src|href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
CODE_SPAN_RE = re.compile(r"(`+)(.+?)\1")
SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
EXTERNAL_SCHEMES = ("http", "https", "mailto")


def find_links(lines: Iterable[Line]) -> list[tuple[int, str]]:
    """(line number, target) of every link, image and raw src=/href= outside code."""
    found: list[tuple[int, str]] = []
    for line in lines:
        if line.in_code:
            continue
        # Blank out inline code so that `[x](../y)` shown as an example is not a link.
        text = CODE_SPAN_RE.sub(lambda m: " " * len(m.group(0)), line.text)
        targets = [m.group(1) for m in INLINE_RE.finditer(text)]
        targets += [m.group(1) for m in REFERENCE_RE.finditer(text)]
        targets += [next(g for g in m.groups() if g is not None) for m in HTML_RE.finditer(text)]
        found += [(line.number, t.strip().removeprefix("<").removesuffix(">")) for t in targets]
    return found


def check_links(lines: Iterable[Line], path: str, asset_names: Collection[str]) -> list[Problem]:
    """Problems with the links of a module; asset_names are the files found under assets/."""
    problems = []
    for number, target in find_links(lines):
        message = link_problem(target, asset_names)
        if message is not None:
            problems.append(Problem(path, number, message))
    return problems


def link_problem(target: str, asset_names: Collection[str]) -> str | None:
    """What is wrong with a link target, or None if it is fine."""
    if not target or target.startswith("#"):
        return None
    scheme = SCHEME_RE.match(target)
    if scheme is not None:
        name = scheme.group(1).lower()
        if name in EXTERNAL_SCHEMES:
            return None
        if name == "file" or len(name) == 1:  # file:///C:/... or C:\Users\...
            return (
                f"`{target}` points to a file on your own computer, which participants "
                "cannot open: copy the file into assets/ and link `assets/<name>`"
            )
        return (
            f"`{name}:` links are not allowed: link to web pages with https://, to e-mail "
            "addresses with mailto:, and to course files with `assets/<name>`"
        )
    if target.startswith("//"):
        return f"write the full address: `https:{target}`"
    if target.startswith("/"):
        return (
            f"`{target}` is an absolute path, outside the course: copy the file into "
            "assets/ and link `assets/<name>`"
        )
    relative = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if "\\" in relative:
        return f"use `/` rather than `\\` in links: `{relative.replace(chr(92), '/')}`"
    normal = posixpath.normpath(relative)
    if normal == ".." or normal.startswith("../"):
        return (
            f"`{target}` leaves the course folder: copy the file into assets/ and link "
            "`assets/<name>`"
        )
    if not normal.startswith("assets/"):
        return (
            f"`{target}` is not in assets/: a course links only to web pages (https://...) "
            "and to its own files as `assets/<name>`"
        )
    name = normal.removeprefix("assets/")
    if name in asset_names:
        return None
    return (
        f"`{target}` does not exist: add the file to the course's assets/ folder or fix the "
        f"name{did_you_mean(normal, [f'assets/{n}' for n in asset_names])}"
    )
