"""URL helpers shared by blueprints: safe redirects and the converters every route uses."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask
from werkzeug.routing import IntegerConverter, PathConverter, UnicodeConverter

from trainer.text import has_control_characters

# Ids are 32-bit INTEGER columns on PostgreSQL; a larger number can name nothing.
MAX_ID = 2**31 - 1


def safe_next(target: str | None) -> str | None:
    """Return ``target`` only when it is a path on this site: an open redirect helps phishing,
    and a CR/LF or other control character could split the Location header."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if has_control_characters(target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target:
        return None
    return target


def digits_up_to(limit: int) -> str:
    """A regex matching the decimal numbers 0..limit (leading zeros allowed), nothing more.

    The bound lives in the pattern, not in ``to_python``: a rule that fails only its
    conversion still counts as a path match, and werkzeug answers 405 instead of 404.
    """
    text = str(limit)
    width = len(text)
    choices = [f"0*[0-9]{{1,{width - 1}}}"] if width > 1 else []
    for i, digit in enumerate(map(int, text)):
        lowest = 1 if i == 0 and width > 1 else 0
        if digit > lowest:
            choices.append(f"0*{text[:i]}[{lowest}-{digit - 1}][0-9]{{{width - i - 1}}}")
    choices.append(f"0*{text}")
    return "(?:" + "|".join(choices) + ")"


class BoundedIntegerConverter(IntegerConverter):
    """``<int:...>`` that matches only ids a column can hold: larger numbers are a 404."""

    regex = digits_up_to(MAX_ID)

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


_PLAIN = r"\x00-\x1f\x7f-\x9f"


class PlainStringConverter(UnicodeConverter):
    """The default converter, minus control characters: a NUL in a slug is a 404."""

    def __init__(self, map, *args, **kwargs) -> None:
        super().__init__(map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", f"[^/{_PLAIN}]", 1)


class PlainPathConverter(PathConverter):
    """``<path:...>`` (asset names) minus control characters."""

    regex = f"[^/{_PLAIN}][^{_PLAIN}]*?"


def init_converters(app: Flask) -> None:
    """Install the bounded converters under the standard names, for every route at once."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.url_map.converters["default"] = PlainStringConverter
    app.url_map.converters["string"] = PlainStringConverter
    app.url_map.converters["path"] = PlainPathConverter
