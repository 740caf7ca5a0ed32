"""YAML reading that remembers on which line every key and list item was written.

yaml.safe_load forgets positions, and "course.yml: owners must be a list" is much less
helpful than "course.yml:7: ...". We compose the node tree once, record the marks, then
construct the plain Python values from the same nodes with the safe constructor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .messages import Msg, msg
from .spec import Problem

Key = tuple[str | int, ...]


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
    try:
        # The reader checks for unprintable characters as soon as it is created.
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + first_line
        return None, [Problem(path, line, msg("yaml-bad-character", code=f"{error.character:#x}"))]
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
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
    elif "found duplicate anchor" in what or "found undefined alias" in what:
        hint = "yaml-hint-anchor"
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
