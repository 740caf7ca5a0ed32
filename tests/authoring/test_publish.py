"""Publishing, zip export and import, and the rule between files and browser."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import func, select

from tests.authoring.conftest import zip_of_folder
from tests.courses.conftest import PNG, write_course
from trainer.auth.models import Role
from trainer.authoring.files import files_of_version
from trainer.authoring.models import CourseDraft, CourseVersionSource
from trainer.authoring.publish import import_zip
from trainer.authoring.zipfiles import export_zip
from trainer.courses.models import CourseVersion, ModuleVersion
from trainer.courses.parser import load_course
from trainer.courses.services import find_course, import_course

MODULE = """\
---
title: Welcome
minutes: 15
---
## Why this course

Municipal services for everyone. ![Map](assets/Map.png)

::: quiz
? Is planning with data useful? {id=useful}
= true
> It is.
:::
"""


def _base_hash(client, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    return html.split('name="base_hash" type="hidden" value="')[1].split('"')[0]


def _save_module(client, slug: str, module: str, text: str):
    url = f"/courses/{slug}/edit/modules/{module}"
    data = {"source": text, "base_hash": _base_hash(client, url), "save": "Save draft"}
    return client.post(url, data=data)


def _publish(client, slug: str, **data):
    return client.post(f"/courses/{slug}/edit/publish", data={"publish": "Publish", **data})


def _new_web_course(client, slug: str = "web-course") -> None:
    response = client.post(
        "/authoring/courses/new",
        data={
            "slug": slug,
            "title": "Planning for everyone",
            "summary": "Services for newcomers.",
            "language": "en",
            "version": "1",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    response = client.post(
        f"/courses/{slug}/edit/modules",
        data={"module_slug": "welcome", "module_title": "Welcome", "kind": "lesson", "minutes": 15},
    )
    assert response.status_code == 302
    response = client.post(
        f"/courses/{slug}/edit/assets",
        data={"file": (io.BytesIO(PNG), "Map.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    # The browser sends CRLF line ends; the draft keeps LF like the files.
    assert _save_module(client, slug, "welcome", MODULE.replace("\n", "\r\n")).status_code == 302


def test_publish_makes_the_version_an_import_of_the_same_files_would(
    client, login_as, owner, db, tmp_path, courses_dir
):
    login_as(owner)
    _new_web_course(client)
    course = find_course("web-course")
    draft = db.session.scalar(select(CourseDraft).where(CourseDraft.course_id == course.id))
    course_yml = draft.course_yml
    assert course.is_published is False

    response = _publish(client, "web-course", note="First edition")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/courses/web-course/versions")

    db.session.expire_all()
    course = find_course("web-course")
    version = course.current_version
    assert (course.source, course.is_published, version.number) == ("web", True, 1)
    assert version.note == "First edition"
    assert version.created_by_id == owner.id
    # The same files, written by hand and read by the parser, have the same content hash.
    folder = tmp_path / "by-hand" / "web-course"
    (folder / "assets").mkdir(parents=True)
    (folder / "course.yml").write_text(course_yml, encoding="utf-8")
    (folder / "01-welcome.md").write_text(MODULE, encoding="utf-8")
    (folder / "assets" / "Map.png").write_bytes(PNG)
    spec, problems = load_course(folder)
    assert problems == []
    assert version.content_hash == spec.content_hash
    module = db.session.scalar(
        select(ModuleVersion).where(ModuleVersion.course_version_id == version.id)
    )
    assert module.source == MODULE
    assert 'src="/courses/web-course/assets/Map.png"' in module.body_html
    # The draft is gone; the exact course.yml is kept for export.
    assert db.session.scalar(select(func.count()).select_from(CourseDraft)) == 0
    kept = db.session.get(CourseVersionSource, version.id)
    assert (kept.origin, kept.course_yml) == ("web", course_yml)


def test_publish_refuses_a_course_with_problems(client, login_as, owner, course, db):
    login_as(owner)
    broken = _module_text(db, "counting").replace("- (x) 17.18", "- ( ) 17.18")
    assert _save_module(client, "local-planning", "counting", broken).status_code == 302
    response = _publish(client, "local-planning")
    assert response.status_code == 302
    db.session.expire_all()
    assert find_course("local-planning").current_version.number == 1
    page = client.get("/courses/local-planning/edit").get_data(as_text=True)
    assert "01-counting.md</a>, line 14: question has no correct choice" in page
    assert "Publish" in page


def test_unchanged_draft_publishes_no_version(client, login_as, owner, course, db):
    login_as(owner)
    text = _module_text(db, "counting")
    assert _save_module(client, "local-planning", "counting", text).status_code == 302
    response = _publish(client, "local-planning")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Nothing changed: version 1 is still the current one." in page
    db.session.expire_all()
    assert find_course("local-planning").source == "files"


def _module_text(db, slug: str) -> str:
    return db.session.scalar(select(ModuleVersion.source).where(ModuleVersion.slug == slug))


def test_file_import_is_refused_once_the_browser_published(
    app, client, login_as, owner, course, courses_dir, db
):
    login_as(owner)
    text = _module_text(db, "counting").replace("Planning", "Good planning")
    _save_module(client, "local-planning", "counting", text)
    assert _publish(client, "local-planning").status_code == 302
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["courses", "import", str(courses_dir / "local-planning")]
    )
    assert result.exit_code != 0
    assert "web editor (version 2)" in result.output
    assert "--take-over" in result.output
    db.session.expire_all()
    assert find_course("local-planning").current_version.number == 2


def test_the_way_back_to_files_with_changes_made_in_git(
    app, client, login_as, owner, course, courses_dir, db
):
    """Export into the folder, change it, `courses import --take-over`: files rule again."""
    login_as(owner)
    text = _module_text(db, "counting").replace("Planning", "Good planning")
    _save_module(client, "local-planning", "counting", text)
    _publish(client, "local-planning")
    exported = client.get("/courses/local-planning/export").data
    with zipfile.ZipFile(io.BytesIO(exported)) as archive:
        archive.extractall(courses_dir)  # noqa: S202  (our own export)
    (courses_dir / "local-planning" / "02-services.md").write_text(
        "---\ntitle: Services\nminutes: 5\n---\nChanged in git.\n", encoding="utf-8"
    )
    db.session.commit()
    runner = app.test_cli_runner()
    path = str(courses_dir / "local-planning")
    result = runner.invoke(args=["courses", "import", "--take-over", path])
    assert result.exit_code == 0, result.output
    assert "updated to version 3" in result.output
    db.session.expire_all()
    assert find_course("local-planning").source == "files"
    assert "Good planning" in _module_text_of_version(db, 3, "counting")


def _module_text_of_version(db, number: int, slug: str) -> str:
    return db.session.scalar(
        select(ModuleVersion.source)
        .join(CourseVersion, CourseVersion.id == ModuleVersion.course_version_id)
        .where(CourseVersion.number == number, ModuleVersion.slug == slug)
    )


def test_a_draft_behind_a_newer_version_needs_confirmation(
    client, login_as, owner, course, courses_dir, db
):
    login_as(owner)
    text = _module_text(db, "counting").replace("Planning", "Browser planning")
    _save_module(client, "local-planning", "counting", text)
    # Meanwhile the folder changes and is imported (the course is still file-managed).
    write_course(courses_dir, **{"02__services_md": "---\ntitle: S\nminutes: 5\n---\nGit.\n"})
    spec, _ = load_course(courses_dir / "local-planning")
    assert import_course(spec).version.number == 2
    db.session.commit()

    page = client.get("/courses/local-planning/edit").get_data(as_text=True)
    assert "Version 2 was made after this draft was started" in page
    assert "/versions/diff?old=2&amp;new=draft" in page
    response = _publish(client, "local-planning")
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "publishing the draft would replace its changes" in follow
    db.session.expire_all()
    assert find_course("local-planning").current_version.number == 2

    response = _publish(client, "local-planning", replace_newer="y")
    db.session.expire_all()
    assert find_course("local-planning").current_version.number == 3


def test_export_then_import_gives_identical_content_and_no_change(
    client, login_as, owner, course, courses_dir
):
    login_as(owner)
    response = client.get("/courses/local-planning/export")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    assert "local-planning-v1.zip" in response.headers["Content-Disposition"]
    folder = courses_dir / "local-planning"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        exported = {info.filename: archive.read(info) for info in archive.infolist()}
    on_disk = {
        f"local-planning/{f.relative_to(folder).as_posix()}": f.read_bytes()
        for f in folder.rglob("*")
        if f.is_file()
    }
    assert exported == on_disk

    imported = client.post(
        "/courses/local-planning/edit/import",
        data={"zip_file": (io.BytesIO(response.data), "local-planning-v1.zip")},
        content_type="multipart/form-data",
    )
    assert imported.status_code == 302
    page = client.get(imported.headers["Location"]).get_data(as_text=True)
    assert "Nothing changed: version 1 is still the current one." in page


def test_round_trip_of_a_course_imported_from_elsewhere(db, owner, tmp_path, courses_dir, app):
    """Without the folder in COURSES_DIR, the course.yml stored at import is exported: the
    round trip changes nothing."""
    elsewhere = write_course(tmp_path / "elsewhere")
    spec, _ = load_course(elsewhere)
    course = import_course(spec).course

    exported = export_zip(files_of_version(course, course.current_version, str(courses_dir)))
    outcome = import_zip(exported, owner, courses_dir=str(courses_dir), course=course)
    assert (outcome.status, outcome.version.number) == ("unchanged", 1)


def test_zip_with_parent_paths_is_refused_and_writes_nothing(
    client, login_as, owner, course, courses_dir, db, tmp_path
):
    login_as(owner)
    buffer = io.BytesIO(zip_of_folder(courses_dir / "local-planning"))
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("../evil.md", "---\ntitle: Evil\nminutes: 1\n---\n")
    response = client.post(
        "/courses/local-planning/edit/import",
        data={"zip_file": (io.BytesIO(buffer.getvalue()), "evil.zip")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "“../evil.md”: the path leaves the course folder." in response.get_data(as_text=True)
    assert not (courses_dir / "evil.md").exists()
    assert not (tmp_path / "evil.md").exists()
    assert db.session.scalar(select(func.count()).select_from(CourseVersion)) == 1


def test_zip_creates_a_course_edited_in_the_browser(client, login_as, owner, tmp_path, db):
    login_as(owner)
    folder = write_course(tmp_path, slug="from-a-zip")
    response = client.post(
        "/authoring/import",
        data={"zip_file": (io.BytesIO(zip_of_folder(folder)), "export.zip")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    course = find_course("from-a-zip")
    assert (course.source, course.current_version.number) == ("web", 1)
    assert db.session.get(CourseVersionSource, course.current_version_id).origin == "zip"
    assert client.get("/courses/from-a-zip/edit").status_code == 200


def test_zip_at_the_top_takes_its_slug_from_the_file_name(client, login_as, owner, tmp_path):
    login_as(owner)
    folder = write_course(tmp_path, slug="any-name")
    response = client.post(
        "/authoring/import",
        data={"zip_file": (io.BytesIO(zip_of_folder(folder, top="")), "flat-course.zip")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert find_course("flat-course") is not None


def test_zip_problems_are_listed_by_file_and_line(client, login_as, owner, tmp_path, db):
    login_as(owner)
    folder = write_course(tmp_path, slug="broken-zip")
    (folder / "02-services.md").write_text("---\ntitle: S\n---\nNo minutes.\n", encoding="utf-8")
    response = client.post(
        "/authoring/import",
        data={"zip_file": (io.BytesIO(zip_of_folder(folder)), "broken.zip")},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "02-services.md, line 2: `minutes` is missing" in html
    assert find_course("broken-zip") is None


def test_zip_of_a_course_the_trainer_would_not_edit_is_refused(client, login_as, make, tmp_path):
    stranger = make.user(Role.TRAINER, email="stranger@example.org")
    login_as(stranger)
    folder = write_course(tmp_path, slug="not-mine")
    response = client.post(
        "/authoring/import",
        data={"zip_file": (io.BytesIO(zip_of_folder(folder)), "x.zip")},
        content_type="multipart/form-data",
    )
    assert "Add your e-mail (stranger@example.org) to the owners" in response.get_data(as_text=True)
    assert find_course("not-mine") is None


def test_zip_over_an_existing_course_of_somebody_else_is_refused(
    client, login_as, make, course, courses_dir
):
    login_as(make.user(Role.TRAINER, email="stranger@example.org"))
    data = zip_of_folder(courses_dir / "local-planning")
    response = client.post(
        "/authoring/import",
        data={"zip_file": (io.BytesIO(data), "x.zip")},
        content_type="multipart/form-data",
    )
    assert "exists and you cannot edit it" in response.get_data(as_text=True)


def test_zip_is_refused_while_a_draft_is_pending(client, login_as, owner, course, courses_dir, db):
    login_as(owner)
    text = _module_text(db, "counting").replace("Planning", "Draft planning")
    _save_module(client, "local-planning", "counting", text)
    changed = write_course(
        courses_dir, **{"02__services_md": "---\ntitle: S\nminutes: 5\n---\nZ\n"}
    )
    response = client.post(
        "/courses/local-planning/edit/import",
        data={"zip_file": (io.BytesIO(zip_of_folder(changed)), "x.zip")},
        content_type="multipart/form-data",
    )
    assert "unpublished changes in the editor" in response.get_data(as_text=True)
    db.session.expire_all()
    assert find_course("local-planning").current_version.number == 1


@pytest.mark.parametrize("which", ["draft", "1", "current"])
def test_export_of_draft_and_versions(client, login_as, owner, course, db, which):
    login_as(owner)
    text = _module_text(db, "counting").replace("Planning", "Draft planning")
    _save_module(client, "local-planning", "counting", text)
    response = client.get(f"/courses/local-planning/export?version={which}")
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        module = archive.read("local-planning/01-counting.md").decode()
    assert ("Draft planning" in module) == (which == "draft")


def test_export_of_unknown_version_is_404(client, login_as, owner, course):
    login_as(owner)
    assert client.get("/courses/local-planning/export?version=9").status_code == 404


@pytest.mark.parametrize("which", ["%C2%B2", "99999999999999999999999", "-1", "1.0"])
def test_malformed_version_numbers_are_404_not_500(client, login_as, owner, course, which):
    login_as(owner)
    client.post(
        "/courses/local-planning/edit/modules",
        data={"module_slug": "extra", "module_title": "Extra", "kind": "lesson", "minutes": 5},
    )
    assert client.get(f"/courses/local-planning/export?version={which}").status_code == 404
    diff = client.get(f"/courses/local-planning/versions/diff?old={which}&new=draft")
    assert diff.status_code == 404


def test_taking_over_an_unchanged_export_gives_the_course_back_to_files(
    app, client, login_as, owner, course, courses_dir, db
):
    login_as(owner)
    text = _module_text(db, "counting").replace("Planning", "Good planning")
    _save_module(client, "local-planning", "counting", text)
    _publish(client, "local-planning")
    with zipfile.ZipFile(io.BytesIO(client.get("/courses/local-planning/export").data)) as z:
        z.extractall(courses_dir)  # noqa: S202  (our own export)
    db.session.commit()
    path = str(courses_dir / "local-planning")
    result = app.test_cli_runner().invoke(args=["courses", "import", "--take-over", path])
    assert "no change" in result.output
    db.session.expire_all()
    assert find_course("local-planning").source == "files"


def test_zip_assets_must_be_what_their_extension_says(client, login_as, owner, tmp_path):
    login_as(owner)
    folder = write_course(tmp_path, slug="fake-image")
    (folder / "assets" / "map.png").write_bytes(b"<html><script>alert(1)</script></html>")
    response = client.post(
        "/authoring/import",
        data={"zip_file": (io.BytesIO(zip_of_folder(folder)), "x.zip")},
        content_type="multipart/form-data",
    )
    assert "assets/map.png: the content is not a .png file" in response.get_data(as_text=True)
    assert find_course("fake-image") is None


def test_values_longer_than_the_database_keeps_are_problems(client, login_as, owner, course, db):
    login_as(owner)
    html = client.post(
        "/courses/local-planning/edit/settings",
        data={
            "course_yml": "title: T\nsummary: S\nlanguage: en\nversion: '" + "1" * 41 + "'\n"
            "owners: [owner@example.org]\n",
            "base_hash": "x",
            "check": "Check",
        },
    ).get_data(as_text=True)
    assert "Line 4</a>: `version` is 41 characters long; shorten it to at most 40" in html


def test_browser_actions_that_change_nothing_keep_the_source(client, login_as, owner, course, db):
    login_as(owner)
    text = _module_text(db, "counting").replace("Planning", "Good planning")
    _save_module(client, "local-planning", "counting", text)
    _publish(client, "local-planning")
    exported = client.get("/courses/local-planning/export").data
    response = client.post(
        "/courses/local-planning/edit/import",
        data={"zip_file": (io.BytesIO(exported), "x.zip")},
        content_type="multipart/form-data",
    )
    assert "Nothing changed" in client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert find_course("local-planning").source == "web"
