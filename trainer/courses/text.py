"""Small text helpers shared by the course parser and the quiz grader."""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence

from .messages import Msg, msg

# Course and module slugs (spec: lowercase a-z, 0-9 and -, 3..80 characters).
SLUG_RE = re.compile(r"^[a-z0-9-]{3,80}$")
# Question ids and institution slugs: same alphabet; `q1` must be writable, so no minimum.
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
EMAIL_RE = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>.]+$")
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
# Invisible control characters: PostgreSQL cannot store NUL, and no course needs the others.
# Tab, line ends and form feed are ordinary text.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def normalise_answer(text: str) -> str:
    """Fold a short-text answer so that "  Ciudad de MÉXICO " == "ciudad de mexico".

    Casefold first: some characters casefold into a base letter plus a combining mark
    ("İ" -> "i̇"), which the accent stripping then removes.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(without_accents.split())


def is_slug(text: object) -> bool:
    return isinstance(text, str) and SLUG_RE.match(text) is not None


def suggest_slug(text: str) -> str:
    """What a slug probably meant: "Intro to GCM" -> "intro-to-gcm"."""
    folded = normalise_answer(text).replace("_", "-").replace(" ", "-")
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9-]", "", folded)).strip("-")


def did_you_mean(word: str, options: Iterable[str]) -> Msg | str:
    """A " (did you mean `pass`?)" hint, or "", for a message about an unknown word."""
    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return msg("hint-did-you-mean", word=matches[0]) if matches else ""


def unknown_hint(word: object, options: Sequence[str]) -> Msg:
    """What to write instead of an unknown word: the close one, else every option."""
    return did_you_mean(str(word), options) or msg("hint-use-one-of", options=", ".join(options))


def decode_utf8(data: bytes) -> tuple[str | None, int | None]:
    """(text, None), or (None, line of the first byte that is not UTF-8). A BOM is dropped."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        return None, data[: error.start].count(b"\n") + 1


def control_character(text: str) -> tuple[int, int] | None:
    """(line, code) of the first control character a course file may not hold, or None."""
    match = _CONTROL_RE.search(text)
    if match is None:
        return None
    before = text[: match.start()].replace("\r\n", "\n").replace("\r", "\n")
    return before.count("\n") + 1, ord(match.group())


def split_lines(text: str) -> list[str]:
    """Lines as an editor numbers them.

    str.splitlines() would also split on form feeds and U+2028, which editors do not show
    as line breaks, and every reported line number would drift after them.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    return text.split("\n") if text else []


def fenced_lines(lines: Sequence[str]) -> list[bool]:
    """For each line, whether it belongs to a fenced code block (fence lines included).

    Code blocks show syntax rather than use it: a `::: quiz` or a `../` link inside one
    is an example for the reader, not part of the course.
    """
    mask: list[bool] = []
    fence: str | None = None
    for line in lines:
        match = _FENCE_RE.match(line)
        if fence is None:
            # A backtick fence's info string cannot contain backticks (CommonMark).
            opens = match is not None and not (match.group(1)[0] == "`" and "`" in match.group(2))
            if opens and match is not None:
                fence = match.group(1)
            mask.append(opens)
            continue
        mask.append(True)
        if (
            match is not None
            and match.group(1)[0] == fence[0]
            and len(match.group(1)) >= len(fence)
            and not match.group(2).strip()
        ):
            fence = None
    return mask


def parse_number(text: str) -> float | None:
    """A finite number written in `text`, or None."""
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
