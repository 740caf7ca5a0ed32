"""YAML reading that remembers on which line every key and list item was written.

yaml.safe_load forgets positions, and "course.yml: owners must be a list" is much less
helpful than "course.yml:7: ...". We compose the node tree once, record the marks, then
construct the plain Python values from the same nodes with the safe constructor.

Every YAML text of a course (course.yml, module front matter) is read here, and only here,
with a loader that refuses what authors never need and attackers love: anchors and aliases
(a few hundred bytes of aliases expand into gigabytes), tags, nesting deeper than
MAX_YAML_DEPTH (PyYAML composes recursively), more than MAX_YAML_VALUES values and texts
over MAX_YAML_CHARACTERS. The refusal happens while the text is scanned, before any node is
built or expanded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionStartEvent, NodeEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .messages import Msg, msg
from .spec import KIB, Problem

Key = tuple[str | int, ...]
# course.yml needs 3 levels (certificate > signatories > name); 20 leaves room for any layout.
MAX_YAML_DEPTH = 20
# PyYAML reads some 50 KB a second: these keep any course.yml well under half a second,
# while the demo courses' use under 1 KB and 60 values.
MAX_YAML_CHARACTERS = 16 * KIB
MAX_YAML_VALUES = 2000
MAX_NUMBER_CHARACTERS = 30


class YamlRefused(yaml.MarkedYAMLError):
    """A construct that the course format does not allow, found while reading the text."""

    def __init__(self, what: Msg, mark: yaml.Mark) -> None:
        super().__init__(problem=what.render(), problem_mark=mark)
        self.what = what


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader without anchors, aliases or tags, and with bounded depth and size."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._values = 0

    def fetch_flow_collection_start(self, token_class: type) -> None:
        # The scanner keeps a possible key per open bracket and rechecks them all at every
        # token: refuse deep brackets here, before that work grows with their square.
        if self.flow_level >= MAX_YAML_DEPTH:
            raise YamlRefused(msg("yaml-too-deep", limit=MAX_YAML_DEPTH), self.get_mark())
        super().fetch_flow_collection_start(token_class)

    def compose_node(self, parent: Node | None, index: object) -> Node:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise YamlRefused(msg("yaml-alias", name=event.anchor), event.start_mark)
        if isinstance(event, NodeEvent) and event.anchor is not None:
            raise YamlRefused(msg("yaml-anchor", name=event.anchor), event.start_mark)
        self._values += 1
        if self._values > MAX_YAML_VALUES:
            raise YamlRefused(msg("yaml-too-many-values", limit=MAX_YAML_VALUES), event.start_mark)
        tag = getattr(event, "tag", None)
        if tag is not None:
            raise YamlRefused(msg("yaml-tag", tag=tag), event.start_mark)
        if not isinstance(event, CollectionStartEvent):
            return super().compose_node(parent, index)
        if self._depth >= MAX_YAML_DEPTH:
            raise YamlRefused(msg("yaml-too-deep", limit=MAX_YAML_DEPTH), event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _bounded_int(loader: yaml.SafeLoader, node: ScalarNode) -> int:
    # Python refuses to convert integers of over 4,300 digits (a ValueError, not a YAML
    # error); no setting needs more than a few.
    if len(node.value) > MAX_NUMBER_CHARACTERS:
        what = msg("yaml-number-too-long", length=len(node.value), limit=MAX_NUMBER_CHARACTERS)
        raise YamlRefused(what, node.start_mark)
    return loader.construct_yaml_int(node)


def _checked_timestamp(loader: yaml.SafeLoader, node: ScalarNode) -> object:
    # `2026-13-45` looks like a date to YAML, and datetime raises a plain ValueError.
    try:
        return loader.construct_yaml_timestamp(node)
    except (ValueError, OverflowError):
        raise YamlRefused(msg("yaml-bad-date", value=node.value), node.start_mark) from None


_BoundedLoader.add_constructor("tag:yaml.org,2002:int", _bounded_int)
_BoundedLoader.add_constructor("tag:yaml.org,2002:timestamp", _checked_timestamp)


@dataclass(frozen=True)
class YamlDocument:
    data: Any
    lines: dict[Key, int]  # ("completion", "modules", 0) -> line in the file

    def line(self, key: Key) -> int | None:
        """The line of `key`, or of its nearest parent that has one."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), None)


def read_yaml(
    text: str, path: str, first_line: int = 1
) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse YAML whose first line is line `first_line` of the file at `path`."""
    if len(text) > MAX_YAML_CHARACTERS:
        what = msg("yaml-too-long", length=len(text), limit=MAX_YAML_CHARACTERS)
        return None, [Problem(path, first_line, what)]
    try:
        # The reader checks for unprintable characters as soon as it is created.
        loader = _BoundedLoader(text)
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + first_line
        return None, [Problem(path, line, msg("yaml-bad-character", code=f"{error.character:#x}"))]
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except YamlRefused as error:
        return None, [Problem(path, error.problem_mark.line + first_line, error.what)]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + first_line if mark is not None else None
        return None, [Problem(path, line, _explain(error))]
    except yaml.YAMLError as error:
        return None, [Problem(path, None, msg("yaml-invalid", error=str(error)))]
    finally:
        loader.dispose()
    lines: dict[Key, int] = {}
    problems: list[Problem] = []
    if node is not None:
        lines[()] = node.start_mark.line + first_line
        _record(node, (), first_line, lines, problems, path)
    return YamlDocument(data, lines), problems


def _explain(error: yaml.MarkedYAMLError) -> Msg:
    what = error.problem or error.context or "syntax error"
    if "\\t" in what or "'\\t'" in what:
        hint = "yaml-hint-tabs"
    elif "mapping values are not allowed" in what:
        hint = "yaml-hint-colon"
    else:
        hint = "yaml-hint-other"
    return msg("yaml-syntax", problem=what, hint=msg(hint))


def _record(
    node: Node, key: Key, first_line: int, lines: dict[Key, int], problems: list[Problem], path: str
) -> None:
    if isinstance(node, MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                continue
            line = key_node.start_mark.line + first_line
            name = key_node.value
            if name in seen:
                message = msg("yaml-key-twice", key=name, line=seen[name])
                problems.append(Problem(path, line, message))
            seen[name] = line
            lines[(*key, name)] = line
            _record(value_node, (*key, name), first_line, lines, problems, path)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*key, index)] = item.start_mark.line + first_line
            _record(item, (*key, index), first_line, lines, problems, path)
