"""Running the real course checker on browser content.

The draft (or an uploaded zip) is written as a course folder into a temporary directory and
checked by ``check_courses``, exactly as `courses check` would; problems are then named by
file inside the course ("01-intro.md", "course.yml") instead of by temporary path.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext

from trainer.authoring.assets import content_matches
from trainer.authoring.files import CourseFiles, files_of_version, write_folder
from trainer.courses.checks import check_courses
from trainer.courses.coursefile import parse_course_settings
from trainer.courses.messages import Msg, msg
from trainer.courses.services import find_course
from trainer.courses.spec import CourseSpec, ModuleSpec, Problem
from trainer.courses.text import decode_utf8, is_slug


@dataclass(frozen=True)
class Message:
    file: str  # "course.yml", "01-intro.md", "assets/map.png", or "" for the whole course
    line: int | None
    what: Msg

    @property
    def text(self) -> str:
        """The message in the language of whoever reads it now (English without a request)."""
        return self.what.render(gettext)


@dataclass(frozen=True)
class Checked:
    spec: CourseSpec | None
    messages: tuple[Message, ...]

    @property
    def ok(self) -> bool:
        return self.spec is not None and not self.messages

    def of_file(self, name: str) -> list[Message]:
        return [m for m in self.messages if m.file == name]

    def elsewhere(self, name: str) -> list[Message]:
        return [m for m in self.messages if m.file != name]

    def module(self, slug: str) -> ModuleSpec | None:
        return self.spec.module(slug) if self.spec is not None else None


@contextmanager
def temporary_root() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="trainer-authoring-") as name:
        yield Path(name)


def check_folder(folder: Path, courses_dir: str) -> Checked:
    """Check a course folder written under a temporary root, its original beside it."""
    _write_original(folder, courses_dir)
    specs, problems = check_courses(folder)
    spec = next((s for s in specs if s.slug == folder.name), None)
    messages = [_message(p, folder) for p in problems]
    return Checked(spec, tuple(messages))


def asset_content_problems(spec: CourseSpec) -> list[Message]:
    """Assets whose bytes are not what their extension says (checked for uploads)."""
    return [
        Message(
            f"assets/{asset.name}",
            None,
            msg("asset-content-mismatch", extension=asset.name.rsplit(".", 1)[-1]),
        )
        for asset in spec.assets
        if not content_matches(asset.name.rsplit(".", 1)[-1].lower(), asset.path.read_bytes())
    ]


def check_files(files: CourseFiles, courses_dir: str) -> Checked:
    """Validate without the assets' bytes: the checks on links only need their names."""
    with temporary_root() as root:
        return check_folder(write_folder(files, root, with_data=False), courses_dir)


def _write_original(folder: Path, courses_dir: str) -> None:
    """A translation is checked against its original, as `courses check` does with folders."""
    try:
        text, _ = decode_utf8((folder / "course.yml").read_bytes())
    except OSError:
        return
    if text is None:
        return
    settings, _ = parse_course_settings(text, "course.yml")
    original_slug = settings.translation_of if settings is not None else None
    if not is_slug(original_slug) or original_slug == folder.name:
        return
    original = find_course(original_slug)
    if original is None or original.current_version is None:
        return
    write_folder(
        files_of_version(original, original.current_version, courses_dir),
        folder.parent,
        with_data=False,
    )


def _message(problem: Problem, folder: Path) -> Message:
    inside = folder.as_posix() + "/"
    name = problem.path.removeprefix(inside) if problem.path.startswith(inside) else ""
    return Message(name, problem.line, problem.what)
