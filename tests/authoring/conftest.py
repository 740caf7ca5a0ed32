"""A course folder under a temporary COURSES_DIR, imported, owned by a trainer."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from tests.courses.conftest import write_course
from trainer.auth.models import Role
from trainer.courses.parser import load_course
from trainer.courses.services import import_course


@pytest.fixture
def courses_dir(app, tmp_path: Path):
    """COURSES_DIR pointed at an empty temporary folder for the test."""
    folder = tmp_path / "courses"
    folder.mkdir()
    before = app.config["COURSES_DIR"]
    app.config["COURSES_DIR"] = str(folder)
    yield folder
    app.config["COURSES_DIR"] = before


@pytest.fixture
def owner(make):
    return make.user(Role.TRAINER, email="owner@example.org")


@pytest.fixture
def course(db, courses_dir, owner):
    """local-planning, imported from courses/ like `courses import` does."""
    spec, problems = load_course(write_course(courses_dir))
    assert problems == []
    outcome = import_course(spec)
    db.session.flush()
    return outcome.course


def make_zip(entries: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_of_folder(folder: Path, top: str | None = None) -> bytes:
    top = folder.name if top is None else top
    entries = {}
    for file in sorted(folder.rglob("*")):
        if file.is_file():
            name = file.relative_to(folder).as_posix()
            entries[f"{top}/{name}" if top else name] = file.read_bytes()
    return make_zip(entries)
