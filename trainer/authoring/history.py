"""A course's versions, who made them and how, and the files of any of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from trainer.auth.models import User
from trainer.authoring.files import CourseFiles, files_of_draft, files_of_version
from trainer.authoring.models import CourseDraft, CourseVersionSource
from trainer.courses.models import Course, CourseVersion
from trainer.extensions import db


@dataclass(frozen=True)
class VersionRow:
    number: int
    label: str
    created_at: datetime
    author: str | None  # None: the command line
    origin: str  # "files" (courses import), "web" (published in the editor) or "zip"
    note: str
    is_current: bool


def version_history(course: Course) -> list[VersionRow]:
    """Newest first, in one query."""
    rows = db.session.execute(
        select(CourseVersion, User.full_name, CourseVersionSource.origin)
        .outerjoin(User, User.id == CourseVersion.created_by_id)
        .outerjoin(CourseVersionSource, CourseVersionSource.course_version_id == CourseVersion.id)
        .where(CourseVersion.course_id == course.id)
        .order_by(CourseVersion.number.desc())
    ).all()
    return [
        VersionRow(
            number=version.number,
            label=version.label,
            created_at=version.created_at,
            author=author,
            origin=origin or "files",
            note=version.note,
            is_current=version.id == course.current_version_id,
        )
        for version, author, origin in rows
    ]


def find_version(course: Course, number: int) -> CourseVersion | None:
    return db.session.scalar(
        select(CourseVersion).where(
            CourseVersion.course_id == course.id, CourseVersion.number == number
        )
    )


def files_for(
    course: Course, draft: CourseDraft | None, which: str, courses_dir: str
) -> CourseFiles | None:
    """The files of "draft", "current" or a version number given as text; None if none."""
    if which == "draft":
        return files_of_draft(course, draft) if draft is not None else None
    version = course.current_version if which == "current" else None
    # ASCII digits only, and few of them: int("²") fails, and a huge number overflows SQL.
    if which.isascii() and which.isdigit() and len(which) <= 9:
        version = find_version(course, int(which))
    return files_of_version(course, version, courses_dir) if version is not None else None
