"""A course as the files of its folder, whether it comes from a version or a draft.

The editor, the validator, export, publication and diffs all work on ``CourseFiles``: the
same shape as a course folder, so that the real parser and importer can run on it once it
is written into a temporary directory.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import undefer

from trainer.authoring.models import CourseDraft, CourseVersionSource
from trainer.courses.models import Course, CourseAsset, CourseVersion, ModuleVersion
from trainer.courses.module import MODULE_FILE_RE

# The parser's own digest: a draft's hash must be exactly what load_course computes.
from trainer.courses.parser import _content_hash
from trainer.extensions import db
from trainer.storage.models import StoredFile


@dataclass(frozen=True)
class ModuleFile:
    file_name: str
    text: str

    @property
    def slug(self) -> str:
        match = MODULE_FILE_RE.match(self.file_name)
        return match.group(2) if match else self.file_name

    @property
    def number(self) -> int:
        match = MODULE_FILE_RE.match(self.file_name)
        return int(match.group(1)) if match else 0

    @property
    def prefix(self) -> str:
        return self.file_name.split("-", 1)[0]


@dataclass(frozen=True)
class AssetFile:
    name: str
    content_type: str
    size: int
    sha256: str
    stored_file_id: int


@dataclass(frozen=True)
class CourseFiles:
    slug: str
    course_yml: str
    modules: tuple[ModuleFile, ...]  # in course order
    assets: tuple[AssetFile, ...]

    def module(self, slug: str) -> ModuleFile | None:
        return next((m for m in self.modules if m.slug == slug), None)

    def with_module(self, slug: str, text: str) -> CourseFiles:
        modules = tuple(replace(m, text=text) if m.slug == slug else m for m in self.modules)
        return replace(self, modules=modules)

    @property
    def content_hash(self) -> str:
        hashes = {"course.yml": text_sha256(self.course_yml)}
        hashes.update({m.file_name: text_sha256(m.text) for m in self.modules})
        hashes.update({f"assets/{a.name}": a.sha256 for a in self.assets})
        return _content_hash(hashes)


def course_order(modules: list[ModuleFile]) -> tuple[ModuleFile, ...]:
    return tuple(sorted(modules, key=lambda m: (m.number, m.slug)))


def encode(text: str) -> bytes:
    """A file's bytes: the text as stored (a BOM, if any, is kept as U+FEFF)."""
    return text.encode("utf-8")


def text_sha256(text: str) -> str:
    return hashlib.sha256(encode(text)).hexdigest()


def files_of_draft(course: Course, draft: CourseDraft) -> CourseFiles:
    return CourseFiles(
        slug=course.slug,
        course_yml=draft.course_yml,
        modules=course_order([ModuleFile(m.file_name, m.source) for m in draft.modules]),
        assets=tuple(
            AssetFile(a.name, a.content_type, a.size, a.sha256, a.stored_file_id)
            for a in draft.assets
        ),
    )


def files_of_version(course: Course, version: CourseVersion, courses_dir: str) -> CourseFiles:
    """The folder that was imported as `version`, byte for byte wherever it can be proven.

    Module files are stored as text with normalised line ends; the variant whose hash is
    the stored one is the original. course.yml is the stored text of browser versions, else
    the file in COURSES_DIR when its hash fits, else regenerated from the stored settings.
    """
    rows = db.session.scalars(
        select(ModuleVersion)
        .options(undefer(ModuleVersion.source))
        .where(ModuleVersion.course_version_id == version.id)
        .order_by(ModuleVersion.position)
    ).all()
    assets = db.session.scalars(
        select(CourseAsset)
        .where(CourseAsset.course_version_id == version.id)
        .order_by(CourseAsset.name)
    ).all()
    modules = [ModuleFile(m.file_name, _original_text(m.source, m.content_hash)) for m in rows]
    asset_files = tuple(
        AssetFile(a.name, a.content_type, a.size, a.sha256, a.stored_file_id) for a in assets
    )
    hashes = {m.file_name: m.content_hash for m in rows}
    hashes.update({f"assets/{a.name}": a.sha256 for a in assets})
    return CourseFiles(
        slug=course.slug,
        course_yml=_course_yml(course, version, hashes, courses_dir),
        modules=course_order(modules),
        assets=asset_files,
    )


def _original_text(text: str, sha256: str) -> str:
    for candidate in (text, "\ufeff" + text, _crlf(text), "\ufeff" + _crlf(text)):
        if text_sha256(candidate) == sha256:
            return candidate
    return text


def _crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def _course_yml(course: Course, version: CourseVersion, hashes: dict, courses_dir: str) -> str:
    stored = db.session.get(CourseVersionSource, version.id)
    candidates = [text for text in (version.course_yml, stored and stored.course_yml) if text]
    on_disk = Path(courses_dir) / course.slug / "course.yml"
    if on_disk.is_file():
        with contextlib.suppress(OSError, UnicodeDecodeError):
            candidates.append(on_disk.read_bytes().decode("utf-8"))
    regenerated = settings_yaml(version.settings)
    for text in [*candidates, regenerated]:
        if _content_hash({**hashes, "course.yml": text_sha256(text)}) == version.content_hash:
            return text
    return candidates[0] if candidates else regenerated


def settings_yaml(settings: dict) -> str:
    """course.yml written from the stored, typed settings (comments and layout are lost)."""
    data: dict = {
        key: settings.get(key)
        for key in ("title", "summary", "language", "version", "estimated_hours")
    }
    data["owners"] = list(settings.get("owners") or [])
    data["co_authors"] = list(settings.get("co_authors") or [])
    data["audience"] = list(settings.get("audience") or []) or "open"
    data["self_enrolment"] = settings.get("self_enrolment", True)
    data["translation_of"] = settings.get("translation_of")
    completion = settings.get("completion") or {}
    data["completion"] = {
        key: completion[key]
        for key in ("modules", "quizzes", "attendance_percent", "survey")
        if key in completion
    }
    certificate = dict(settings.get("certificate") or {})
    if certificate.get("title") is None:
        certificate.pop("title", None)
    data["certificate"] = certificate
    if data["estimated_hours"] is None:
        del data["estimated_hours"]
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def working_files(
    course: Course, draft: CourseDraft | None, courses_dir: str
) -> CourseFiles | None:
    """What the editor shows: the draft, else the current version; None for neither."""
    if draft is not None:
        return files_of_draft(course, draft)
    if course.current_version is not None:
        return files_of_version(course, course.current_version, courses_dir)
    return None


def write_folder(files: CourseFiles, root: Path, *, with_data: bool) -> Path:
    """Write the course as root/<slug>/; without data, assets are empty stand-ins.

    Stand-ins are enough for validation (links only need the names); publication and export
    need the real bytes.
    """
    folder = root / files.slug
    (folder / "assets").mkdir(parents=True)
    (folder / "course.yml").write_bytes(encode(files.course_yml))
    for module in files.modules:
        (folder / module.file_name).write_bytes(encode(module.text))
    data = asset_data(files) if with_data else {}
    for asset in files.assets:
        target = folder / "assets" / asset.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.get(asset.stored_file_id, b""))
    return folder


def asset_data(files: CourseFiles) -> dict[int, bytes]:
    ids = {a.stored_file_id for a in files.assets}
    if not ids:
        return {}
    rows = db.session.execute(
        select(StoredFile.id, StoredFile.data).where(StoredFile.id.in_(ids))
    ).all()
    return {row.id: row.data for row in rows}
