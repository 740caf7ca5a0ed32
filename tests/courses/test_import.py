"""Importing course folders: versions, idempotency, archiving, rendering once."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.courses.conftest import LESSON, write_course
from trainer.courses.checks import check_courses
from trainer.courses.models import Course, CourseVersion, Module, ModuleVersion
from trainer.courses.parser import load_course
from trainer.courses.services import CourseImportError, import_course
from trainer.storage.models import StoredFile

ROOT = Path(__file__).resolve().parents[2]


def _import(folder, db, **kwargs):
    spec, problems = load_course(folder)
    assert problems == []
    outcome = import_course(spec, **kwargs)
    db.session.flush()
    return outcome


def test_first_import_creates_version_one_with_rendered_html(course_folder, db):
    outcome = _import(course_folder, db)
    assert outcome.status == "created"
    assert outcome.version.number == 1
    modules = outcome.version.modules
    assert [m.slug for m in modules] == ["counting", "services"]
    lesson = modules[0]
    assert '<h2 id="why-count">Why count</h2>' in lesson.body_html
    assert 'src="/courses/local-planning/assets/map.png"' in lesson.body_html
    assert "::: quiz" not in lesson.body_html
    assert lesson.toc[0]["id"] == "why-count"
    question = lesson.quiz["questions"][0]
    assert question["id"] == "data-target"
    assert [c["is_correct"] for c in question["choices"]] == [False, True]
    assert question["choices"][1]["feedback_html"] == "<p>Right.</p>"
    assert lesson.source.startswith("---\ntitle: Counting who lives here")


def test_reimport_of_unchanged_files_is_no_change(course_folder, db):
    _import(course_folder, db)
    outcome = _import(course_folder, db)
    assert outcome.status == "unchanged"
    assert db.session.scalar(select(func.count()).select_from(CourseVersion)) == 1


def test_changed_module_makes_a_new_version_and_keeps_the_old(course_folder, db):
    first = _import(course_folder, db)
    write_course(
        course_folder.parent, **{"01__counting_md": LESSON.replace("Planning", "Good planning")}
    )
    second = _import(course_folder, db)
    assert second.status == "updated"
    assert second.version.number == 2
    assert second.course.id == first.course.id
    assert second.course.current_version_id == second.version.id
    # Modules match by slug: the same Module rows carry both versions.
    rows = db.session.scalars(select(ModuleVersion).where(ModuleVersion.slug == "counting")).all()
    assert len(rows) == 2
    assert len({row.module_id for row in rows}) == 1
    assert "Good planning" in rows[-1].body_html or "Good planning" in rows[0].body_html


def test_removed_module_is_archived_not_deleted(course_folder, db):
    _import(course_folder, db)
    (course_folder / "02-services.md").unlink()
    outcome = _import(course_folder, db)
    assert outcome.archived_modules == ("services",)
    module = db.session.scalar(select(Module).where(Module.slug == "services"))
    assert module.is_archived
    assert [m.slug for m in outcome.version.modules] == ["counting"]


def test_identical_assets_are_stored_once(course_folder, db):
    _import(course_folder, db)
    write_course(
        course_folder.parent, **{"02__services_md": "---\ntitle: X\nminutes: 5\n---\nNew.\n"}
    )
    _import(course_folder, db)
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 1


def test_course_edited_in_the_browser_is_not_overwritten_by_files(course_folder, db):
    outcome = _import(course_folder, db)
    outcome.course.source = "web"
    db.session.flush()
    write_course(course_folder.parent, **{"02__services_md": "---\ntitle: Y\nminutes: 5\n---\nY\n"})
    spec, _ = load_course(course_folder)
    with pytest.raises(CourseImportError, match="web editor"):
        import_course(spec)
    assert import_course(spec, take_over=True).status == "updated"


def test_demo_courses_import_and_link_as_translations(db):
    specs, problems = check_courses(ROOT / "courses")
    assert problems == []
    for spec in specs:
        import_course(spec)
    db.session.flush()
    courses = db.session.scalars(select(Course).order_by(Course.slug)).all()
    assert {c.family for c in courses} == {"migration-development-policy"}
    assert {c.language for c in courses} == {"en", "es"}


def test_cli_check_passes_on_the_demo_courses(app):
    result = app.test_cli_runner().invoke(args=["courses", "check", str(ROOT / "courses")])
    assert result.exit_code == 0, result.output
    assert "2 course(s) checked" in result.output


def test_cli_check_fails_with_file_and_line(app, tmp_path):
    folder = write_course(
        tmp_path, **{"01__counting_md": LESSON.replace("- (x) 17.18", "- ( ) 17.18")}
    )
    result = app.test_cli_runner().invoke(args=["courses", "check", str(folder)])
    assert result.exit_code != 0
    assert f"{folder.as_posix()}/01-counting.md:14:" in result.output
    assert "nothing was changed" in result.output


def test_cli_import_then_no_change(app, committing_db, tmp_path):
    folder = write_course(tmp_path)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["courses", "import", str(tmp_path)])
    assert first.exit_code == 0, first.output
    assert "local-planning: imported version 1 (2 modules)" in first.output
    second = runner.invoke(args=["courses", "import", str(tmp_path)])
    assert "local-planning: no change (version 1)" in second.output
    del folder


def test_cli_import_writes_nothing_for_a_broken_course(app, committing_db, tmp_path):
    write_course(tmp_path, **{"course_yml": "title: [unclosed\n"})
    result = app.test_cli_runner().invoke(args=["courses", "import", str(tmp_path)])
    assert result.exit_code != 0
    assert committing_db.session.scalar(select(func.count()).select_from(Course)) == 0
