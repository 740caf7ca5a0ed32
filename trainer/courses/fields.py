"""Typed reading of a YAML mapping (course.yml, front matter) with located problems.

Each reader method returns a usable value even when the input is wrong (the default), so
that one run reports every problem of a file instead of stopping at the first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .spec import Problem
from .text import EMAIL_RE, ID_RE, did_you_mean, unknown_word
from .yamlmap import Key, YamlDocument

_MISSING = object()


class Fields:
    def __init__(
        self, document: YamlDocument, path: str, problems: list[Problem], prefix: Key = ()
    ) -> None:
        self.document = document
        self.path = path
        self.problems = problems
        self.prefix = prefix
        data: Any = document.data
        for part in prefix:
            data = data[part]
        self.data: dict[Any, Any] = data if isinstance(data, dict) else {}

    def where(self, key: str | None = None) -> str:
        """How a key is named in messages: `completion.modules` rather than `modules`."""
        parts = [str(p) for p in self.prefix if isinstance(p, str)]
        if key is not None:
            parts.append(key)
        return ".".join(parts)

    def line(self, *key: str | int) -> int | None:
        return self.document.line((*self.prefix, *key))

    def report(self, key: str | int | None, message: str) -> None:
        line = self.line() if key is None else self.line(key)
        self.problems.append(Problem(self.path, line, message))

    def check_keys(self, allowed: Sequence[str], required: Sequence[str] = ()) -> None:
        inside = f" in `{self.where()}`" if self.prefix else ""
        for key in self.data:
            if key not in allowed:
                self.report(str(key), unknown_word("key", key, allowed, inside))
        for key in required:
            if key not in self.data:
                self.report(None, f"`{key}` is missing{inside}: add a line `{key}: ...`")

    def nested(self, key: str) -> Fields | None:
        """The mapping under `key`; None (reported) if it is something else."""
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.report(
                key,
                f"`{self.where(key)}` must be a group of settings (key: value "
                "lines indented under it)",
            )
            return None
        return Fields(self.document, self.path, self.problems, (*self.prefix, key))

    def text(
        self, key: str, default: str = "", *, optional: bool = False, max_length: int | None = None
    ) -> str:
        value = self.data.get(key, _MISSING)
        if value is _MISSING or (value is None and optional):
            return default
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self.report(
                key, f'`{self.where(key)}` must be text; put it in quotes: {key}: "{value}"'
            )
            return default
        if not isinstance(value, str) or not value.strip():
            self.report(key, f"`{self.where(key)}` must be non-empty text")
            return default
        value = value.strip()
        if max_length is not None and len(value) > max_length:
            self.report(
                key,
                f"`{self.where(key)}` is {len(value)} characters long; shorten it to at most "
                f"{max_length}",
            )
            return value[:max_length]
        return value

    def choice(self, key: str, options: Sequence[str], default: str) -> str:
        value = self.data.get(key, _MISSING)
        if value is _MISSING:
            return default
        if not isinstance(value, str) or value not in options:
            hint = did_you_mean(str(value), options)
            self.report(
                key,
                f"`{self.where(key)}` must be one of {', '.join(options)} (got `{value}`){hint}",
            )
            return default
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key, _MISSING)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self.report(key, f"`{self.where(key)}` must be true or false")
            return default
        return value

    def number(
        self,
        key: str,
        default: Any,
        *,
        low: float,
        high: float | None = None,
        integer: bool = False,
        nullable: bool = False,
        above_low: bool = False,
    ) -> Any:
        value = self.data.get(key, _MISSING)
        if value is _MISSING or (value is None and nullable):
            return default
        kind = "a whole number" if integer else "a number"
        if above_low:
            span = f"greater than {low:g}"
        else:
            span = f"from {low:g} to {high:g}" if high is not None else f"at least {low:g}"
        ok_type = isinstance(value, int) if integer else isinstance(value, (int, float))
        in_range = (
            ok_type
            and not isinstance(value, bool)
            and ((value > low if above_low else value >= low) and (high is None or value <= high))
        )
        if not in_range:
            null = " or null" if nullable else ""
            self.report(key, f"`{self.where(key)}` must be {kind} {span}{null} (got `{value}`)")
            return default
        return value

    def strings(self, key: str, *, what: str, pattern: str = "text") -> tuple[str, ...] | None:
        """A list of `what`s (e-mails, slugs); None if the key is absent or not a list."""
        value = self.data.get(key, _MISSING)
        if value is _MISSING or value is None:
            return None
        if not isinstance(value, list):
            self.report(
                key,
                f"`{self.where(key)}` must be a list of {what}s, e.g. {key}: [{_example(pattern)}]",
            )
            return None
        good: list[str] = []
        for index, item in enumerate(value):
            if not _valid(item, pattern):
                self.report_item(
                    key,
                    index,
                    f"`{item}` in `{self.where(key)}` is not a valid "
                    f"{what}; write it like {_example(pattern)}",
                )
            elif item in good:
                self.report_item(
                    key, index, f"`{item}` is listed twice in `{self.where(key)}`; remove one"
                )
            else:
                good.append(item)
        return tuple(good)

    def report_item(self, key: str, index: int, message: str) -> None:
        self.problems.append(Problem(self.path, self.line(key, index), message))


def _valid(item: object, pattern: str) -> bool:
    if not isinstance(item, str):
        return False
    if pattern == "email":
        return EMAIL_RE.match(item) is not None
    if pattern == "slug":
        return ID_RE.match(item) is not None
    return bool(item.strip())


def _example(pattern: str) -> str:
    return {"email": "ana.trainer@example.org", "slug": "min-labour"}.get(pattern, "...")
