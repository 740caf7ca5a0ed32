"""Courses in the database: what was imported or published, version by version.

A course keeps its slug forever; each import or publication that changes something adds a
``CourseVersion``. Modules are matched by slug across versions and questions by id, so
participants' progress and attempts (kept per module slug and question id) survive edits.
Markdown is rendered once, when a version is made; pages only read the stored HTML.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.courses.spec import MODULE_KINDS
from trainer.dbtypes import UTCDateTime, one_of, utcnow
from trainer.extensions import db
from trainer.languages import LANGUAGES


class Course(db.Model):
    __tablename__ = "course"
    __table_args__ = (
        CheckConstraint("source IN ('files', 'web')", name="source_known"),
        CheckConstraint(one_of("language", LANGUAGES), name="language_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    # The slug of the original course: a course and its translations share it.
    family: Mapped[str] = mapped_column(String(80), index=True)
    language: Mapped[str] = mapped_column(String(5))
    # Where the course is authored: "files" (courses/ in git) or "web" (the editor).
    source: Mapped[str] = mapped_column(String(10), default="files")
    is_published: Mapped[bool] = mapped_column(default=True)
    is_archived: Mapped[bool] = mapped_column(default=False)
    # Copied from the current version so that lists need no join.
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("course_version.id", use_alter=True, ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    current_version: Mapped[CourseVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )

    def __repr__(self) -> str:
        return f"<Course {self.slug}>"


class CourseVersion(db.Model):
    __tablename__ = "course_version"
    __table_args__ = (UniqueConstraint("course_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"))
    number: Mapped[int]
    label: Mapped[str] = mapped_column(String(40), default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    # course.yml, typed and with defaults applied (see trainer.courses.storage).
    settings: Mapped[dict] = mapped_column(JSON)
    # course.yml exactly as written, so an export gives back the same file.
    course_yml: Mapped[str | None] = mapped_column(Text, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(Text, default="")

    course: Mapped[Course] = relationship(foreign_keys=[course_id])
    modules: Mapped[list[ModuleVersion]] = relationship(
        back_populates="course_version", order_by="ModuleVersion.position"
    )


class Module(db.Model):
    """A module slug of a course, stable across versions; archived when removed."""

    __tablename__ = "module"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(80))
    is_archived: Mapped[bool] = mapped_column(default=False)


class ModuleVersion(db.Model):
    __tablename__ = "module_version"
    __table_args__ = (
        UniqueConstraint("course_version_id", "module_id"),
        CheckConstraint(one_of("kind", MODULE_KINDS), name="kind_known"),
        CheckConstraint("minutes > 0", name="minutes_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_version_id: Mapped[int] = mapped_column(
        ForeignKey("course_version.id", ondelete="CASCADE"), index=True
    )
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(80))
    position: Mapped[int]
    file_name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(300))
    minutes: Mapped[int]
    kind: Mapped[str] = mapped_column(String(12))
    content_hash: Mapped[str] = mapped_column(String(64))
    # The module file exactly as written (for the editor, export and diffs).
    source: Mapped[str] = mapped_column(Text, deferred=True)
    body_html: Mapped[str] = mapped_column(Text)
    toc: Mapped[list] = mapped_column(JSON, default=list)
    # Quiz settings and questions, text already rendered to HTML (trainer.courses.storage).
    quiz: Mapped[dict | None] = mapped_column(JSON)

    course_version: Mapped[CourseVersion] = relationship(back_populates="modules")
    module: Mapped[Module] = relationship()


class CourseAsset(db.Model):
    """An asset of one course version; identical files share one stored copy."""

    __tablename__ = "course_asset"
    __table_args__ = (UniqueConstraint("course_version_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_version_id: Mapped[int] = mapped_column(
        ForeignKey("course_version.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    stored_file_id: Mapped[int] = mapped_column(
        ForeignKey("stored_file.id", ondelete="RESTRICT"), index=True
    )
