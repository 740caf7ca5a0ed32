"""What changed between two states of a course, file by file, as unified diffs.

Modules are matched by slug, so a renumbered module shows as a rename with its changes
rather than as one file removed and another added. Lines are plain text; the template
escapes them like everything else.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from trainer.authoring.files import CourseFiles
from trainer.courses.files import size_label

CONTEXT_LINES = 3


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add", "remove", "same" or "hunk" (an @@ line)
    text: str


@dataclass(frozen=True)
class FileDiff:
    name: str  # in the newer state; the older one's when the file was removed
    old_name: str | None  # when it differs from `name`
    status: str  # "added", "removed", "changed" or "renamed"
    lines: tuple[DiffLine, ...] = ()
    note: str = ""  # for assets: sizes instead of lines


def diff_courses(old: CourseFiles, new: CourseFiles) -> tuple[list[FileDiff], int]:
    """(the files that differ, in course order; how many files are the same)."""
    diffs: list[FileDiff] = []
    same = 0
    pairs = [("course.yml", old.course_yml, "course.yml", new.course_yml)]
    old_modules = {m.slug: m for m in old.modules}
    new_slugs = {m.slug for m in new.modules}
    for module in new.modules:
        before = old_modules.get(module.slug)
        pairs.append(
            (
                before.file_name if before else None,
                before.text if before else None,
                module.file_name,
                module.text,
            )
        )
    pairs += [(m.file_name, m.text, None, None) for m in old.modules if m.slug not in new_slugs]
    for old_name, old_text, new_name, new_text in pairs:
        diff = text_diff(old_name, old_text, new_name, new_text)
        if diff is None:
            same += 1
        else:
            diffs.append(diff)
    asset_diffs, same_assets = _asset_diffs(old, new)
    return diffs + asset_diffs, same + same_assets


def text_diff(
    old_name: str | None, old_text: str | None, new_name: str | None, new_text: str | None
) -> FileDiff | None:
    if old_text == new_text and old_name == new_name:
        return None
    old_lines = (old_text or "").splitlines()
    new_lines = (new_text or "").splitlines()
    lines = tuple(_lines(difflib.unified_diff(old_lines, new_lines, lineterm="", n=CONTEXT_LINES)))
    if new_name is None:
        return FileDiff(str(old_name), None, "removed", lines)
    if old_name is None:
        return FileDiff(new_name, None, "added", lines)
    if old_name != new_name:
        return FileDiff(new_name, old_name, "renamed", lines)
    return FileDiff(new_name, None, "changed", lines)


def _lines(unified: Iterable[str]) -> list[DiffLine]:
    result: list[DiffLine] = []
    for line in unified:
        if line.startswith(("---", "+++")) and not result:
            continue  # the file header; our own heading names the files
        if line.startswith("@@"):
            result.append(DiffLine("hunk", line))
        elif line.startswith("+"):
            result.append(DiffLine("add", line[1:]))
        elif line.startswith("-"):
            result.append(DiffLine("remove", line[1:]))
        else:
            result.append(DiffLine("same", line[1:]))
    return result


def _asset_diffs(old: CourseFiles, new: CourseFiles) -> tuple[list[FileDiff], int]:
    before = {a.name: a for a in old.assets}
    after = {a.name: a for a in new.assets}
    diffs = []
    same = 0
    for name in sorted(before.keys() | after.keys()):
        first, second = before.get(name), after.get(name)
        path = f"assets/{name}"
        if first is None and second is not None:
            diffs.append(FileDiff(path, None, "added", note=size_label(second.size)))
        elif second is None and first is not None:
            diffs.append(FileDiff(path, None, "removed", note=size_label(first.size)))
        elif first is not None and second is not None and first.sha256 != second.sha256:
            sizes = f"{size_label(first.size)} → {size_label(second.size)}"
            diffs.append(FileDiff(path, None, "changed", note=sizes))
        else:
            same += 1
    return diffs, same
