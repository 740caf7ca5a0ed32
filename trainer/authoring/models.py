"""Drafts edited in the browser, and what a published version keeps beyond trainer.courses.

A course has at most one draft: the files of the course as the editors are changing them,
in the same shape as a course folder (course.yml, NN-slug.md modules, assets/). Nothing in
a draft is visible to participants; publishing turns it into a CourseVersion through the
same import as `courses import`, then deletes it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.dbtypes import UTCDateTime, utcnow
from trainer.extensions import db

VERSION_ORIGINS = ("web", "zip")


class CourseDraft(db.Model):
    __tablename__ = "course_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), unique=True)
    # The version the draft was copied from: when the course's current version is another
    # one, somebody published or imported meanwhile, and publishing must say so.
    base_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("course_version.id", ondelete="SET NULL")
    )
    course_yml: Mapped[str] = mapped_column(Text)
    # Lower-cased e-mails of the owners and co-authors that course_yml names, kept whenever
    # it is saved: deciding who may edit the course never parses a draft.
    people: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    modules: Mapped[list[ModuleDraft]] = relationship(
        back_populates="draft", cascade="all, delete-orphan", order_by="ModuleDraft.file_name"
    )
    assets: Mapped[list[DraftAsset]] = relationship(
        back_populates="draft", cascade="all, delete-orphan", order_by="DraftAsset.name"
    )


class ModuleDraft(db.Model):
    """One module file of a draft; its file name (NN-slug.md) decides order and slug."""

    __tablename__ = "module_draft"
    __table_args__ = (
        UniqueConstraint("draft_id", "slug"),
        UniqueConstraint("draft_id", "file_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(
        ForeignKey("course_draft.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(String(80))
    file_name: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    draft: Mapped[CourseDraft] = relationship(back_populates="modules")


class DraftAsset(db.Model):
    """A file under assets/ of a draft; the bytes are a StoredFile, shared when identical."""

    __tablename__ = "draft_asset"
    __table_args__ = (
        UniqueConstraint("draft_id", "name"),
        CheckConstraint("size >= 0", name="size_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(
        ForeignKey("course_draft.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    stored_file_id: Mapped[int] = mapped_column(
        ForeignKey("stored_file.id", ondelete="RESTRICT"), index=True
    )

    draft: Mapped[CourseDraft] = relationship(back_populates="assets")


class CourseVersionSource(db.Model):
    """How a version made in the browser came about, and its course.yml exactly as written.

    Versions imported with `courses import` have no row: their origin is the files, and
    their course.yml is recovered from the folder or regenerated (trainer.authoring.files).
    """

    __tablename__ = "course_version_source"
    __table_args__ = (
        CheckConstraint(
            "origin IN (" + ", ".join(f"'{o}'" for o in VERSION_ORIGINS) + ")",
            name="origin_known",
        ),
    )

    course_version_id: Mapped[int] = mapped_column(
        ForeignKey("course_version.id", ondelete="CASCADE"), primary_key=True
    )
    origin: Mapped[str] = mapped_column(String(10))
    course_yml: Mapped[str] = mapped_column(Text)
