"""Appending Moodle GIFT questions to a module: of a draft, or of a file in the course folders.

Nothing is written unless the module, questions appended, passes the course checker.
"""

from __future__ import annotations

import codecs
import shutil
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext
from flask_babel import gettext as _

from trainer.auth.models import User
from trainer.authoring.drafts import draft_module, find_draft, start_draft, touch_draft
from trainer.authoring.errors import AuthoringError
from trainer.authoring.files import CourseFiles, working_files
from trainer.authoring.validate import Message, check_files, check_folder, temporary_root
from trainer.courses.gift import GiftResult
from trainer.courses.giftmodule import add_gift_to_module
from trainer.courses.models import Course
from trainer.courses.module import MODULE_FILE_RE
from trainer.courses.text import decode_utf8


@dataclass(frozen=True)
class GiftOutcome:
    result: GiftResult
    text: str  # the module with the questions appended
    problems: tuple[Message, ...]  # the module's problems once appended: if any, not written

    @property
    def written(self) -> bool:
        return bool(self.result.questions) and not self.problems

    @property
    def skipped(self) -> list[tuple[int, str]]:
        """(GIFT line, reason) of each item not converted, in the reader's language."""
        return [(skip.line, skip.render(gettext)) for skip in self.result.skipped]


def gift_into_files(
    files: CourseFiles, module_slug: str, gift_text: str, courses_dir: str
) -> GiftOutcome:
    """Convert and append in memory, then check the module within its course."""
    module = files.module(module_slug)
    if module is None:
        raise AuthoringError(_("The course has no module “%(slug)s”.", slug=module_slug))
    text, result = add_gift_to_module(module.text, gift_text)
    if not result.questions:
        return GiftOutcome(result, module.text, ())
    checked = check_files(files.with_module(module_slug, text), courses_dir)
    return GiftOutcome(result, text, tuple(checked.of_file(module.file_name)))


def gift_into_draft(
    course: Course, actor: User | None, module_slug: str, gift_text: str, courses_dir: str
) -> GiftOutcome:
    """Append to the module of the course's draft (started if needed). Flushes."""
    files = working_files(course, find_draft(course), courses_dir)
    if files is None:
        raise AuthoringError(_("The course has no module “%(slug)s”.", slug=module_slug))
    outcome = gift_into_files(files, module_slug, gift_text, courses_dir)
    if outcome.written:
        draft = start_draft(course, actor, courses_dir)
        module = draft_module(draft, module_slug)
        if module is not None:
            module.source = outcome.text
            touch_draft(draft, actor)
    return outcome


def gift_into_folder(
    folder: Path, module_slug: str, gift_text: str, courses_dir: str
) -> GiftOutcome:
    """Append to NN-<module_slug>.md in a course folder, keeping its BOM and line ends."""
    file = next(
        (
            f
            for f in sorted(folder.glob("*.md"))
            if (match := MODULE_FILE_RE.match(f.name)) and match.group(2) == module_slug
        ),
        None,
    )
    if file is None:
        raise AuthoringError(
            _("%(folder)s has no module file NN-%(slug)s.md.", folder=folder, slug=module_slug)
        )
    data = file.read_bytes()
    original, _line = decode_utf8(data)
    if original is None:
        raise AuthoringError(_("%(file)s is not UTF-8: save it as UTF-8 first.", file=file))
    text, result = add_gift_to_module(original, gift_text)
    if not result.questions:
        return GiftOutcome(result, original, ())
    with temporary_root() as root:
        copy = root / folder.name
        shutil.copytree(folder, copy, symlinks=True)
        (copy / file.name).write_text(text, encoding="utf-8")
        problems = tuple(check_folder(copy, courses_dir).of_file(file.name))
    outcome = GiftOutcome(result, text, problems)
    if outcome.written:
        if b"\r\n" in data:
            text = text.replace("\n", "\r\n")
        bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
        file.write_bytes(bom + text.encode("utf-8"))
    return outcome
