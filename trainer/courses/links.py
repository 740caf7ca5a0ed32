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

from .messages import Msg, msg
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


def link_problem(target: str, asset_names: Collection[str]) -> Msg | None:
    """What is wrong with a link target, or None if it is fine."""
    if not target or target.startswith("#"):
        return None
    scheme = SCHEME_RE.match(target)
    if scheme is not None:
        name = scheme.group(1).lower()
        if name in EXTERNAL_SCHEMES:
            return None
        if name == "file" or len(name) == 1:  # file:///C:/... or C:\Users\...
            return msg("link-local-file", target=target)
        return msg("link-scheme", scheme=name)
    if target.startswith("//"):
        return msg("link-no-scheme", target=target)
    if target.startswith("/"):
        return msg("link-absolute-path", target=target)
    relative = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if "\\" in relative:
        return msg("link-backslash", fixed=relative.replace("\\", "/"))
    normal = posixpath.normpath(relative)
    if normal == ".." or normal.startswith("../"):
        return msg("link-leaves-course", target=target)
    if not normal.startswith("assets/"):
        return msg("link-not-in-assets", target=target)
    name = normal.removeprefix("assets/")
    if name in asset_names:
        return None
    hint = did_you_mean(normal, [f"assets/{n}" for n in asset_names])
    return msg("link-asset-missing", target=target, hint=hint)
