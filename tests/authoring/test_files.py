"""A course as files: what a version or draft holds, byte for byte, and its differences."""

from __future__ import annotations

import codecs
from dataclasses import replace
from pathlib import Path

import pytest

from tests.courses.conftest import write_course
from trainer.authoring.diff import diff_courses
from trainer.authoring.files import files_of_version, settings_yaml, write_folder
from trainer.courses.checks import check_courses
from trainer.courses.coursefile import parse_course_settings
from trainer.courses.parser import load_course
from trainer.courses.services import import_course
from trainer.courses.storage import settings_json

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("variant", ["crlf", "bom", "bom+crlf"])
def test_a_version_gives_back_the_exact_bytes_of_its_files(db, tmp_path, courses_dir, variant):
    folder = write_course(courses_dir)
    for file in [folder / "course.yml", folder / "01-counting.md"]:
        data = file.read_bytes()
        if "crlf" in variant:
            data = data.replace(b"\n", b"\r\n")
        if "bom" in variant:
            data = codecs.BOM_UTF8 + data
        file.write_bytes(data)
    spec, problems = load_course(folder)
    assert problems == []
    course = import_course(spec).course
    files = files_of_version(course, course.current_version, str(courses_dir))
    assert files.content_hash == spec.content_hash
    written = write_folder(files, tmp_path / "out", with_data=True)
    for file in folder.rglob("*"):
        if file.is_file():
            assert (written / file.relative_to(folder)).read_bytes() == file.read_bytes()


@pytest.mark.parametrize("slug", ["migration-development-policy", "migracion-politicas-desarrollo"])
def test_regenerated_course_yml_says_the_same_as_the_original(slug):
    original, problems = parse_course_settings(
        (ROOT / "courses" / slug / "course.yml").read_text(encoding="utf-8"), "course.yml"
    )
    assert problems == []
    regenerated, problems = parse_course_settings(
        settings_yaml(settings_json(original)), "course.yml"
    )
    assert problems == []
    assert regenerated == original


def test_the_demo_courses_survive_writing_out_and_checking(db, tmp_path, courses_dir):
    specs, problems = check_courses(ROOT / "courses")
    assert problems == []
    for spec in specs:
        course = import_course(spec).course
        files = files_of_version(course, course.current_version, str(courses_dir))
        # Not in COURSES_DIR: course.yml is regenerated, everything else is exact.
        write_folder(files, tmp_path / "out", with_data=True)
    written, problems = check_courses(tmp_path / "out")
    assert problems == []
    assert sorted(s.slug for s in written) == sorted(s.slug for s in specs)


def test_differences_file_by_file(db, courses_dir):
    spec, _ = load_course(write_course(courses_dir))
    course = import_course(spec).course
    old = files_of_version(course, course.current_version, str(courses_dir))
    counting = old.module("counting")
    new = replace(
        old.with_module("counting", counting.text.replace("Planning needs data.", "New words.")),
        modules=(
            replace(old.modules[0], text=old.modules[0].text.replace("Planning needs data.", "X")),
            replace(old.modules[1], file_name="05-services.md"),
        ),
        assets=(),
    )
    diffs, same = diff_courses(old, new)
    assert [(d.name, d.status, d.old_name) for d in diffs] == [
        ("01-counting.md", "changed", None),
        ("05-services.md", "renamed", "02-services.md"),
        ("assets/map.png", "removed", None),
    ]
    assert same == 1  # course.yml
    lines = [(line.kind, line.text) for line in diffs[0].lines]
    assert ("remove", "Planning needs data.[^1] ![Map](assets/map.png)") in lines
    assert ("add", "X[^1] ![Map](assets/map.png)") in lines
    assert lines[0][0] == "hunk"
