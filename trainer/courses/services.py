"""Course import and look-ups.

``import_course`` is all-or-nothing per course (the caller wraps each course in its own
transaction), idempotent (same content hash: no change) and versioned (changed content: a
new version, older versions and everything that points at them kept).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import defer, joinedload

from trainer.auth.models import User
from trainer.courses import storage
from trainer.courses.models import Course, CourseAsset, CourseVersion, Module, ModuleVersion
from trainer.courses.signals import version_created
from trainer.courses.spec import CourseSpec
from trainer.extensions import db
from trainer.storage.models import StoredFile
from trainer.storage.services import store_file


class CourseImportError(ValueError):
    """The course cannot be imported as it stands; the message says what to do."""


@dataclass(frozen=True)
class ImportOutcome:
    course: Course
    status: str  # "created", "updated" or "unchanged"
    version: CourseVersion
    archived_modules: tuple[str, ...] = ()


def import_course(
    spec: CourseSpec, actor: User | None = None, *, take_over: bool = False
) -> ImportOutcome:
    """Store a validated course spec as a new version unless nothing changed.

    The spec must come from ``load_course`` with no problems. A new version is announced
    (``courses.signals.version_created``) before returning. Flushes; never commits.
    """
    course = db.session.scalar(select(Course).where(Course.slug == spec.slug))
    if course is not None and course.source == "web" and not take_over:
        raise CourseImportError(
            f"{spec.slug}: this course is now edited in the web editor (version "
            f"{course.current_version.number if course.current_version else '?'}); importing "
            "the files would replace those edits. Export it from the editor into this folder, "
            "commit, then run `courses import --take-over` to make the files the source again."
        )
    current = course.current_version if course is not None else None
    if current is not None and current.content_hash == spec.content_hash:
        if course.source != "files":
            # Taking over with the exported folder as it stands: nothing new to store,
            # but from now on the files are the source again.
            course.source = "files"
            db.session.flush()
        return ImportOutcome(course, "unchanged", current)

    status = "updated" if course is not None else "created"
    if course is None:
        course = Course(
            slug=spec.slug,
            family=spec.translation_of or spec.slug,
            language=spec.language,
            title=spec.title,
        )
        db.session.add(course)
        db.session.flush()
    version = CourseVersion(
        course_id=course.id,
        number=(current.number + 1) if current else 1,
        label=spec.version,
        content_hash=spec.content_hash,
        settings=storage.settings_json(spec),
        course_yml=(Path(spec.path) / "course.yml").read_bytes().decode("utf-8"),
        created_by_id=actor.id if actor else None,
    )
    db.session.add(version)
    db.session.flush()
    archived = _store_modules(course, version, spec)
    _store_assets(version, spec)

    course.source = "files"
    course.family = spec.translation_of or spec.slug
    course.language = spec.language
    course.title = spec.title
    course.summary = spec.summary
    course.is_published = True
    course.current_version = version
    db.session.flush()
    version_created.send(course, version=version)
    return ImportOutcome(course, status, version, archived)


def _store_modules(course: Course, version: CourseVersion, spec: CourseSpec) -> tuple[str, ...]:
    existing = {
        m.slug: m for m in db.session.scalars(select(Module).where(Module.course_id == course.id))
    }
    present = set()
    for module_spec in spec.modules:
        module = existing.get(module_spec.slug)
        if module is None:
            module = Module(course_id=course.id, slug=module_spec.slug)
            db.session.add(module)
            db.session.flush()
        module.is_archived = False
        present.add(module_spec.slug)
        body_html, toc = storage.render_module(module_spec, spec.slug)
        db.session.add(
            ModuleVersion(
                course_version_id=version.id,
                module_id=module.id,
                slug=module_spec.slug,
                position=module_spec.position,
                file_name=module_spec.file_name,
                title=module_spec.title,
                minutes=module_spec.minutes,
                kind=module_spec.kind,
                content_hash=module_spec.content_hash,
                source=Path(module_spec.source_path).read_text(encoding="utf-8-sig"),
                body_html=body_html,
                toc=toc,
                quiz=storage.quiz_json(module_spec.quiz, spec.slug),
            )
        )
    archived = []
    for slug, module in existing.items():
        if slug not in present and not module.is_archived:
            module.is_archived = True
            archived.append(slug)
    db.session.flush()
    return tuple(sorted(archived))


def _store_assets(version: CourseVersion, spec: CourseSpec) -> None:
    hashes = {asset.sha256 for asset in spec.assets}
    known = (
        {
            f.sha256: f
            for f in db.session.scalars(select(StoredFile).where(StoredFile.sha256.in_(hashes)))
        }
        if hashes
        else {}
    )
    for asset in spec.assets:
        stored = known.get(asset.sha256)
        if stored is None:
            stored = store_file(
                asset.name.rsplit("/", 1)[-1], asset.content_type, asset.path.read_bytes()
            )
            known[asset.sha256] = stored
        db.session.add(
            CourseAsset(
                course_version_id=version.id,
                name=asset.name,
                content_type=asset.content_type,
                size=asset.size,
                sha256=asset.sha256,
                stored_file_id=stored.id,
            )
        )
    db.session.flush()


def find_course(slug: str) -> Course | None:
    """The course with its current version (settings) loaded in the same query."""
    return db.session.scalar(
        select(Course).options(joinedload(Course.current_version)).where(Course.slug == slug)
    )


def published_courses(family: str | None = None) -> list[Course]:
    """Published, unarchived courses with a current version (and its settings), in one query."""
    query = (
        select(Course)
        .options(joinedload(Course.current_version))
        .where(
            Course.is_published.is_(True),
            Course.is_archived.is_(False),
            Course.current_version_id.is_not(None),
        )
        .order_by(Course.family, Course.language)
    )
    if family is not None:
        query = query.where(Course.family == family)
    return list(db.session.scalars(query))


def module_totals(version_ids: list[int]) -> dict[int, tuple[int, int]]:
    """{course version id: (number of modules, total minutes)} in one query."""
    if not version_ids:
        return {}
    rows = db.session.execute(
        select(
            ModuleVersion.course_version_id,
            func.count(ModuleVersion.id),
            func.sum(ModuleVersion.minutes),
        )
        .where(ModuleVersion.course_version_id.in_(version_ids))
        .group_by(ModuleVersion.course_version_id)
    )
    return {version_id: (count, int(minutes or 0)) for version_id, count, minutes in rows}


def outlines(version_ids: list[int]) -> dict[int, list[ModuleVersion]]:
    """The modules of several course versions, in order, without their bodies: one query."""
    found: dict[int, list[ModuleVersion]] = {version_id: [] for version_id in version_ids}
    if not version_ids:
        return found
    for module in db.session.scalars(
        select(ModuleVersion)
        .options(defer(ModuleVersion.body_html), defer(ModuleVersion.toc))
        .where(ModuleVersion.course_version_id.in_(version_ids))
        .order_by(ModuleVersion.course_version_id, ModuleVersion.position)
    ):
        found[module.course_version_id].append(module)
    return found


def find_asset(course: Course, name: str) -> CourseAsset | None:
    if course.current_version_id is None:
        return None
    return db.session.scalar(
        select(CourseAsset).where(
            CourseAsset.course_version_id == course.current_version_id, CourseAsset.name == name
        )
    )


def current_modules(course: Course, *, bodies: bool = True) -> list[ModuleVersion]:
    """The current version's modules in order; ``bodies=False`` leaves the HTML unloaded
    (loaded on first access), so a 30-module outline stays light."""
    if course.current_version_id is None:
        return []
    if not bodies:
        return outlines([course.current_version_id])[course.current_version_id]
    return list(
        db.session.scalars(
            select(ModuleVersion)
            .where(ModuleVersion.course_version_id == course.current_version_id)
            .order_by(ModuleVersion.position)
        )
    )
