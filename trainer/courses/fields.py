"""Typed reading of a YAML mapping (course.yml, front matter) with located problems.

Each reader method returns a usable value even when the input is wrong (the default), so
that one run reports every problem of a file instead of stopping at the first.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from .messages import Msg, msg
from .spec import MAX_INTEGER, Problem
from .text import EMAIL_RE, ID_RE, did_you_mean, unknown_hint
from .yamlmap import Key, YamlDocument

_MISSING = object()
# What a list holds, as (one, several) message ids.
THINGS = {
    "e-mail": ("thing-email", "things-emails"),
    "institution slug": ("thing-institution-slug", "things-institution-slugs"),
    "module slug": ("thing-module-slug", "things-module-slugs"),
    "certificate kind": ("thing-certificate-kind", "things-certificate-kinds"),
}


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

    def report(self, key: str | int | None, message: Msg) -> None:
        line = self.line() if key is None else self.line(key)
        self.problems.append(Problem(self.path, line, message))

    def check_keys(self, allowed: Sequence[str], required: Sequence[str] = ()) -> None:
        inside = msg("hint-in-group", group=self.where()) if self.prefix else ""
        for key in self.data:
            if key not in allowed:
                hint = unknown_hint(key, allowed)
                self.report(str(key), msg("unknown-key", word=key, where=inside, hint=hint))
        for key in required:
            if key not in self.data:
                self.report(None, msg("key-missing", key=key, where=inside))

    def nested(self, key: str) -> Fields | None:
        """The mapping under `key`; None (reported) if it is something else."""
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.report(key, msg("not-a-group", key=self.where(key)))
            return None
        return Fields(self.document, self.path, self.problems, (*self.prefix, key))

    def text(
        self, key: str, default: str = "", *, optional: bool = False, max_length: int | None = None
    ) -> str:
        value = self.data.get(key, _MISSING)
        if value is _MISSING or (value is None and optional):
            return default
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self.report(key, msg("text-needs-quotes", key=self.where(key), name=key, value=value))
            return default
        if not isinstance(value, str) or not value.strip():
            self.report(key, msg("text-empty", key=self.where(key)))
            return default
        value = value.strip()
        if max_length is not None and len(value) > max_length:
            self.report(
                key,
                msg("text-too-long", key=self.where(key), length=len(value), limit=max_length),
            )
            return value[:max_length]
        return value

    def choice(self, key: str, options: Sequence[str], default: str) -> str:
        value = self.data.get(key, _MISSING)
        if value is _MISSING:
            return default
        if not isinstance(value, str) or value not in options:
            hint = did_you_mean(str(value), options)
            message = msg(
                "not-one-of",
                key=self.where(key),
                options=", ".join(options),
                value=value,
                hint=hint,
            )
            self.report(key, message)
            return default
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key, _MISSING)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self.report(key, msg("not-true-or-false", key=self.where(key)))
            return default
        return value

    def number(
        self,
        key: str,
        default: Any,
        *,
        low: float,
        high: float,
        integer: bool = False,
        nullable: bool = False,
        above_low: bool = False,
    ) -> Any:
        """A number from `low` to `high`. Every number has an upper bound: those that reach
        an INTEGER column stay within MAX_INTEGER, and no amount of the format is endless."""
        value = self.data.get(key, _MISSING)
        if value is _MISSING or (value is None and nullable):
            return default
        kind = msg("kind-whole-number") if integer else msg("kind-number")
        if integer:
            high = min(high, MAX_INTEGER)
        if above_low:
            span = msg("span-greater-than-at-most", low=f"{low:g}", high=f"{high:g}")
        else:
            span = msg("span-from-to", low=f"{low:g}", high=f"{high:g}")
        ok_type = isinstance(value, int) if integer else isinstance(value, (int, float))
        in_range = (
            ok_type
            and not isinstance(value, bool)
            and (isinstance(value, int) or math.isfinite(value))
            and ((value > low if above_low else value >= low) and value <= high)
        )
        if not in_range:
            null = msg("or-null") if nullable else ""
            where = self.where(key)
            message = msg(
                "number-out-of-range", key=where, kind=kind, span=span, null=null, value=value
            )
            self.report(key, message)
            return default
        return value

    def strings(self, key: str, *, what: str, pattern: str = "text") -> tuple[str, ...] | None:
        """A list of `what`s (a key of THINGS); None if the key is absent or not a list."""
        value = self.data.get(key, _MISSING)
        if value is _MISSING or value is None:
            return None
        if not isinstance(value, list):
            things = msg(THINGS[what][1])
            example = _example(pattern)
            self.report(
                key,
                msg("not-a-list", key=self.where(key), things=things, name=key, example=example),
            )
            return None
        good: list[str] = []
        for index, item in enumerate(value):
            if not _valid(item, pattern):
                message = msg(
                    "list-item-invalid",
                    item=item,
                    key=self.where(key),
                    thing=msg(THINGS[what][0]),
                    example=_example(pattern),
                )
                self.report_item(key, index, message)
            elif item in good:
                message = msg("list-item-twice", item=item, key=self.where(key))
                self.report_item(key, index, message)
            else:
                good.append(item)
        return tuple(good)

    def report_item(self, key: str, index: int, message: Msg) -> None:
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
