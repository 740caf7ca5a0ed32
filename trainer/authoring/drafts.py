"""Editing a course in the browser: the draft and its files.

Every function flushes and never commits. A draft is created from the current version on the
first change; saving a text that somebody else changed since it was loaded raises
``EditConflict`` instead of overwriting their work.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from trainer.auth.models import User
from trainer.authoring.assets import check_asset, clean_asset_name
from trainer.authoring.errors import AuthoringError, EditConflict
from trainer.authoring.files import files_of_version, settings_yaml, text_sha256
from trainer.authoring.models import CourseDraft, DraftAsset, ModuleDraft
from trainer.authoring.policy import can_author_course
from trainer.courses import storage
from trainer.courses.coursefile import parse_course_settings
from trainer.courses.models import Course
from trainer.courses.services import find_course
from trainer.courses.spec import CourseSettings, ModuleKind
from trainer.courses.text import is_slug, suggest_slug
from trainer.dbtypes import utcnow
from trainer.extensions import db
from trainer.storage.models import StoredFile
from trainer.storage.services import store_file


def clean_text(text: str) -> str:
    """Browsers send CRLF line ends; files use LF. A final newline, as editors write."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
    return text.rstrip("\n") + "\n" if text.strip() else ""


def find_draft(course: Course) -> CourseDraft | None:
    return db.session.scalar(select(CourseDraft).where(CourseDraft.course_id == course.id))


def start_draft(course: Course, actor: User | None, courses_dir: str) -> CourseDraft:
    """The course's draft, copied from its current version when there is none yet."""
    draft = find_draft(course)
    if draft is not None:
        return draft
    draft = CourseDraft(
        course_id=course.id, base_version_id=course.current_version_id, course_yml="", people=[]
    )
    if course.current_version is not None:
        files = files_of_version(course, course.current_version, courses_dir)
        set_course_yml(draft, files.course_yml)
        draft.modules = [
            ModuleDraft(slug=m.slug, file_name=m.file_name, source=m.text) for m in files.modules
        ]
        draft.assets = [
            DraftAsset(
                name=a.name,
                content_type=a.content_type,
                size=a.size,
                sha256=a.sha256,
                stored_file_id=a.stored_file_id,
            )
            for a in files.assets
        ]
    try:
        with db.session.begin_nested():
            db.session.add(draft)
    except IntegrityError:  # another editor started it a moment ago: use theirs
        existing = find_draft(course)
        if existing is None:
            raise
        draft = existing
    touch_draft(draft, actor)
    return draft


def people_named(course_yml: str) -> list[str]:
    """Lower-cased e-mails of the owners and co-authors a course.yml names (none if unreadable)."""
    settings, _ = parse_course_settings(course_yml, "course.yml")
    if settings is None:
        return []
    return sorted({email.lower() for email in (*settings.owners, *settings.co_authors)})


def set_course_yml(draft: CourseDraft, text: str) -> None:
    """The draft's course.yml, and with it the people who may edit the draft."""
    draft.course_yml = text
    draft.people = people_named(text)


def touch_draft(draft: CourseDraft, actor: User | None) -> None:
    draft.updated_at = utcnow()
    draft.updated_by_id = actor.id if actor is not None else None
    db.session.flush()


def check_new_slug(slug: str, courses_dir: str) -> None:
    if not is_slug(slug):
        raise AuthoringError(
            _(
                "Use 3 to 80 lowercase letters, digits and “-”, for example “%(example)s”.",
                example=suggest_slug(slug) or "my-course",
            ),
            "slug",
        )
    if find_course(slug) is not None:
        raise AuthoringError(_("A course with this slug already exists."), "slug")
    if (Path(courses_dir) / slug).exists():
        raise AuthoringError(
            _(
                "The course folders already have a “%(slug)s”: import it with "
                "“courses import”, or choose another slug.",
                slug=slug,
            ),
            "slug",
        )


def create_course(actor: User, courses_dir: str, **fields) -> Course:
    """A new course edited in the browser, its author as owner; unpublished until published.

    `fields`: slug, title, language, summary, version and estimated_hours.
    """
    slug = fields.pop("slug")
    check_new_slug(slug, courses_dir)
    settings = CourseSettings(owners=(actor.email,), **fields)
    course = Course(
        slug=slug,
        family=slug,
        language=settings.language,
        title=settings.title,
        summary=settings.summary,
        source="web",
        is_published=False,
    )
    db.session.add(course)
    db.session.flush()
    draft = CourseDraft(course_id=course.id)
    set_course_yml(draft, settings_yaml(storage.settings_json(settings)))
    db.session.add(draft)
    touch_draft(draft, actor)
    return course


def refuse_nul(text: str, field: str) -> None:
    """Drafts are saved with their problems, to be fixed later; but no database keeps NUL."""
    position = text.find("\x00")
    if position >= 0:
        raise AuthoringError(
            _(
                "Line %(line)d holds a NUL character (code 0), which cannot be saved: delete it.",
                line=text.count("\n", 0, position) + 1,
            ),
            field,
        )


def save_course_yml(draft: CourseDraft, actor: User, text: str, base_hash: str) -> None:
    if text_sha256(draft.course_yml) != base_hash:
        raise EditConflict(draft.course_yml)
    refuse_nul(clean_text(text), "course_yml")
    set_course_yml(draft, clean_text(text))
    touch_draft(draft, actor)


def draft_module(draft: CourseDraft, slug: str) -> ModuleDraft | None:
    return next((m for m in draft.modules if m.slug == slug), None)


def save_module(draft: CourseDraft, actor: User, slug: str, text: str, base_hash: str) -> None:
    module = draft_module(draft, slug)
    if module is None:
        raise AuthoringError(_("This module is no longer in the draft."))
    if text_sha256(module.source) != base_hash:
        raise EditConflict(module.source)
    refuse_nul(clean_text(text), "source")
    module.source = clean_text(text)
    module.updated_at = utcnow()
    touch_draft(draft, actor)


def module_template(title: str, kind: str, minutes: int) -> str:
    kind_line = f"kind: {kind}\n" if kind != ModuleKind.LESSON else ""
    head = f"---\ntitle: {_yaml_text(title)}\nminutes: {minutes}\n{kind_line}---\n"
    if kind == ModuleKind.LESSON:
        return head + "\n" + _("Write the module here, in Markdown.") + "\n"
    if kind == ModuleKind.SURVEY:
        return head + "\n::: quiz\nanonymous: yes\n\n? … {id=usefulness}\n~ scale 1-5\n:::\n"
    return head + "\n::: quiz\n? … {id=q1}\n- (x) …\n- ( ) …\n:::\n"


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def add_module(
    draft: CourseDraft, actor: User, slug: str, title: str, kind: str, minutes: int
) -> ModuleDraft:
    if not is_slug(slug):
        raise AuthoringError(
            _(
                "Use 3 to 80 lowercase letters, digits and “-”, for example “%(example)s”.",
                example=suggest_slug(slug or title) or "introduction",
            ),
            "slug",
        )
    if draft_module(draft, slug) is not None:
        raise AuthoringError(_("The course already has a module with this slug."), "slug")
    number = max((_order(m)[0] for m in draft.modules), default=0) + 1
    module = ModuleDraft(
        slug=slug,
        file_name=f"{number:02d}-{slug}.md",
        source=module_template(title, kind, minutes),
    )
    draft.modules.append(module)
    touch_draft(draft, actor)
    return module


def remove_module(draft: CourseDraft, actor: User, slug: str) -> None:
    """Out of the draft; on publication the module is archived, its progress kept."""
    module = draft_module(draft, slug)
    if module is None:
        raise AuthoringError(_("This module is no longer in the draft."))
    draft.modules.remove(module)
    touch_draft(draft, actor)


def move_module(draft: CourseDraft, actor: User, slug: str, step: int) -> None:
    """Swap the NN- prefixes of the module and its neighbour: the order is the file names'.

    Prefixes that were equal (an order the checker already reports) are renumbered 01, 02...
    """
    ordered = sorted(draft.modules, key=_order)
    index = next((i for i, m in enumerate(ordered) if m.slug == slug), None)
    if index is None:
        raise AuthoringError(_("This module is no longer in the draft."))
    other = index + step
    if not 0 <= other < len(ordered):
        return
    first, second = ordered[index], ordered[other]
    if _prefix(first) != _prefix(second):
        names = {
            first: f"{_prefix(second)}-{first.slug}.md",
            second: f"{_prefix(first)}-{second.slug}.md",
        }
    else:
        ordered[index], ordered[other] = second, first
        names = {m: f"{i:02d}-{m.slug}.md" for i, m in enumerate(ordered, start=1)}
    # Through temporary names, so the unique (draft, file name) never sees a duplicate.
    for module in names:
        module.file_name = f"~{module.id}.md"
    db.session.flush()
    for module, name in names.items():
        module.file_name = name
    touch_draft(draft, actor)


def _prefix(module: ModuleDraft) -> str:
    return module.file_name.split("-", 1)[0]


def _order(module: ModuleDraft) -> tuple[int, str]:
    match = re.match(r"^(\d+)-", module.file_name)
    return (int(match.group(1)) if match else 0, module.slug)


def add_asset(draft: CourseDraft, actor: User, filename: str, data: bytes) -> DraftAsset:
    """Store an upload under assets/ with a clean name; a file of the same name is replaced."""
    name = clean_asset_name(filename)
    content_type = check_asset(name, data)
    sha256 = hashlib.sha256(data).hexdigest()
    stored = db.session.scalar(
        select(StoredFile).where(StoredFile.sha256 == sha256).limit(1)
    ) or store_file(name, content_type, data)
    asset = next((a for a in draft.assets if a.name == name), None)
    if asset is None:
        asset = DraftAsset(name=name)
        draft.assets.append(asset)
    asset.content_type = content_type
    asset.size = stored.size
    asset.sha256 = stored.sha256
    asset.stored_file_id = stored.id
    touch_draft(draft, actor)
    return asset


def remove_asset(draft: CourseDraft, actor: User, name: str) -> None:
    asset = next((a for a in draft.assets if a.name == name), None)
    if asset is None:
        raise AuthoringError(_("This file is no longer in the draft."))
    draft.assets.remove(asset)
    touch_draft(draft, actor)


def discard_draft(draft: CourseDraft) -> None:
    db.session.delete(draft)
    db.session.flush()


def editable_courses(actor: User) -> list[tuple[Course, CourseDraft | None]]:
    """Every course the actor may edit, with its draft: two queries, whatever the number."""
    courses = db.session.scalars(
        select(Course).options(joinedload(Course.current_version)).order_by(Course.title)
    ).all()
    found = db.session.scalars(select(CourseDraft)).all()
    by_course = {draft.course_id: draft for draft in found}
    return [
        (course, by_course.get(course.id))
        for course in courses
        if can_author_course(actor, course, by_course.get(course.id))
    ]
