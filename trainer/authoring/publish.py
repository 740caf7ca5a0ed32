"""Turning browser content into course versions: publishing a draft, importing a zip.

Both write the course as a folder and run the same checker and the same ``import_course``
as `courses import`, so a version made in the browser is identical, content hash included,
to one imported from the same files. Both are all-or-nothing: they raise before writing
anything when the course has a problem, and only flush.
"""

from __future__ import annotations

from pathlib import Path

from flask_babel import gettext as _

from trainer.auth.models import User
from trainer.auth.policy import is_admin
from trainer.authoring.drafts import check_new_slug, find_draft
from trainer.authoring.errors import AuthoringError
from trainer.authoring.files import files_of_draft, write_folder
from trainer.authoring.models import CourseDraft, CourseVersionSource
from trainer.authoring.policy import can_author_course
from trainer.authoring.validate import (
    Message,
    asset_content_problems,
    check_folder,
    temporary_root,
)
from trainer.authoring.zipfiles import extract, open_course_zip
from trainer.courses.models import Course
from trainer.courses.services import ImportOutcome, find_course, import_course
from trainer.courses.text import is_slug
from trainer.extensions import db


class CourseInvalid(AuthoringError):
    """The course has problems; `messages` are the checker's, located by file and line."""

    def __init__(self, messages: tuple[Message, ...]) -> None:
        super().__init__(
            _("The course has problems, listed below; nothing was changed. Fix them and try again.")
        )
        self.messages = messages


class DraftIsBehind(AuthoringError):
    """A newer version was made after the draft was started from an older one."""


def publish_draft(
    course: Course,
    draft: CourseDraft | None,
    actor: User,
    *,
    courses_dir: str,
    note: str = "",
    replace_newer: bool = False,
) -> ImportOutcome:
    """Make the draft the course's new version and delete the draft.

    Refused while the course has problems, and, unless `replace_newer`, when a version was
    published or imported after the draft was started (its changes would be replaced).
    """
    if draft is None:
        raise AuthoringError(_("There are no changes to publish."))
    if draft.base_version_id != course.current_version_id and not replace_newer:
        current = course.current_version
        raise DraftIsBehind(
            _(
                "Version %(number)d was made after this draft was started, so publishing "
                "the draft would replace its changes. Compare the draft with it, then "
                "confirm that the draft should replace it.",
                number=current.number if current else 0,
            )
        )
    files = files_of_draft(course, draft)
    with temporary_root() as root:
        folder = write_folder(files, root, with_data=True)
        outcome = _import_folder(folder, actor, "web", note, courses_dir)
    db.session.delete(draft)
    db.session.flush()
    return outcome


def import_zip(
    data: bytes, actor: User, *, courses_dir: str, course: Course | None = None, slug: str = ""
) -> ImportOutcome:
    """Import an uploaded course folder as a new version of `course`, or as a course.

    Without `course`, the slug is the zip's folder name (else `slug`, e.g. the zip's file
    name); an existing course of that slug must be one the actor edits. A course with an
    unpublished draft is refused: the import would leave the draft behind the new version.
    """
    course_zip = open_course_zip(data)
    if course is None:
        slug = course_zip.top or slug
        course = find_course(slug) if is_slug(slug) else None
        if course is None:
            check_new_slug(slug, courses_dir)
        elif not can_author_course(actor, course, find_draft(course)):
            raise AuthoringError(
                _("A course with the slug “%(slug)s” exists and you cannot edit it.", slug=slug)
            )
    if course is not None:
        slug = course.slug
        if find_draft(course) is not None:
            raise AuthoringError(
                _(
                    "This course has unpublished changes in the editor. Publish or discard "
                    "them first, so that the zip does not silently replace them."
                )
            )
    with temporary_root() as root:
        folder = root / slug
        extract(course_zip, folder)
        outcome = _import_folder(folder, actor, "zip", "", courses_dir, new=course is None)
    return outcome


def _import_folder(
    folder: Path, actor: User, origin: str, note: str, courses_dir: str, *, new: bool = False
) -> ImportOutcome:
    checked = check_folder(folder, courses_dir)
    if not checked.ok or checked.spec is None:
        raise CourseInvalid(checked.messages)
    spec = checked.spec
    if origin == "zip" and (wrong := asset_content_problems(spec)):
        raise CourseInvalid(tuple(wrong))
    people = {email.lower() for email in (*spec.owners, *spec.co_authors)}
    if new and not is_admin(actor) and actor.email not in people:
        raise AuthoringError(
            _(
                "Add your e-mail (%(email)s) to the owners or co-authors in course.yml: "
                "otherwise you could not edit the course you are importing.",
                email=actor.email,
            )
        )
    existing = find_course(spec.slug)
    source_before = existing.source if existing is not None else "web"
    outcome = import_course(spec, actor, take_over=True)
    # A new version makes the course a browser course. An unchanged one keeps its source:
    # import_course hands a course back to the files on such a take-over, as it must for
    # `courses import --take-over`, but a browser action never should.
    changed = outcome.status != "unchanged"
    outcome.course.source = "web" if changed else source_before
    if changed:
        outcome.version.note = note.strip()
        db.session.add(
            CourseVersionSource(
                course_version_id=outcome.version.id,
                origin=origin,
                course_yml=(folder / "course.yml").read_bytes().decode("utf-8"),
            )
        )
    db.session.flush()
    return outcome
