"""Reading uploaded zips: every unsafe entry is refused before anything is extracted."""

from __future__ import annotations

import io
import stat
import zipfile

import pytest

from tests.authoring.conftest import make_zip
from trainer.authoring import zipfiles
from trainer.authoring.zipfiles import ZipRefused, extract, open_course_zip

COURSE = {"c/course.yml": "title: T\n", "c/01-a.md": "---\n"}


def _with(name: str, data: bytes | str = "x", **info) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for key, value in COURSE.items():
            archive.writestr(key, value)
        entry = zipfile.ZipInfo(name)
        for key, value in info.items():
            setattr(entry, key, value)
        archive.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../evil.md", "leaves the course folder"),
        ("c/../../evil.md", "leaves the course folder"),
        ("c/assets/./x.png", "leaves the course folder"),
        ("/etc/passwd", "must be relative"),
        ("c\\..\\evil.md", "must be relative"),
        ("C:/Windows/evil.md", "must be relative"),
        ("c:evil.md", "must be relative"),
    ],
)
def test_paths_that_could_leave_the_folder_are_refused(name, message):
    with pytest.raises(ZipRefused) as refused:
        open_course_zip(_with(name))
    assert message in str(refused.value)
    assert name in str(refused.value)


def test_symbolic_links_are_refused():
    data = _with("c/assets/link.png", "/etc/passwd", external_attr=(stat.S_IFLNK | 0o777) << 16)
    with pytest.raises(ZipRefused, match="symbolic links are not allowed"):
        open_course_zip(data)


def test_encrypted_entries_are_refused():
    data = bytearray(_with("c/02-b.md", "x"))
    # Set the "encrypted" flag in the entry's central directory record.
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 0x1
    with pytest.raises(ZipRefused, match="encrypted"):
        open_course_zip(bytes(data))


def test_a_zip_bomb_is_refused_before_extraction():
    with pytest.raises(ZipRefused, match="compressed suspiciously well"):
        open_course_zip(_with("c/assets/zeros.txt", b"\0" * (5 * 1024 * 1024)))


def test_too_many_entries_are_refused(monkeypatch):
    monkeypatch.setattr(zipfiles, "MAX_ENTRIES", 2)
    with pytest.raises(ZipRefused, match="more than 2 files"):
        open_course_zip(_with("c/02-b.md"))


def test_too_much_in_total_is_refused(monkeypatch):
    monkeypatch.setattr(zipfiles, "MAX_TOTAL_BYTES", 20)
    with pytest.raises(ZipRefused, match="over the limit"):
        open_course_zip(_with("c/assets/a.txt", "x" * 30))


def test_an_entry_larger_than_any_course_file_is_refused(monkeypatch):
    monkeypatch.setattr(zipfiles, "MAX_ASSET_BYTES", 10)
    with pytest.raises(ZipRefused, match="larger than any course file"):
        open_course_zip(_with("c/assets/a.txt", "x" * 11))


@pytest.mark.parametrize(
    "data", [b"not a zip", make_zip({"readme.txt": "no course here"}), make_zip({})]
)
def test_not_a_course_zip(data):
    with pytest.raises(ZipRefused):
        open_course_zip(data)


def test_tool_litter_is_skipped_and_the_folder_found(tmp_path):
    data = make_zip(
        {
            **COURSE,
            "__MACOSX/c/._course.yml": "x",
            "c/.DS_Store": "x",
            "c/assets/": "",
        }
    )
    course_zip = open_course_zip(data)
    assert course_zip.top == "c"
    assert [name for name, _ in course_zip.entries] == ["course.yml", "01-a.md"]
    extract(course_zip, tmp_path / "course")
    assert (tmp_path / "course" / "course.yml").read_text() == "title: T\n"


def test_a_name_that_is_both_a_file_and_a_folder_is_refused(tmp_path):
    course_zip = open_course_zip(make_zip({**COURSE, "c/assets": "x", "c/assets/a.png": "y"}))
    with pytest.raises(ZipRefused, match="damaged"):
        extract(course_zip, tmp_path / "course")


def test_corrupt_compressed_data_is_refused(tmp_path):
    data = bytearray(_with("c/02-b.md", "some text that deflate compresses " * 50))
    # Spoil the compressed bytes of the last entry (its local header is 30 bytes + name).
    start = data.rfind(b"PK\x03\x04") + 30 + len("c/02-b.md")
    data[start : start + 4] = b"\xff\xff\xff\xff"
    course_zip = open_course_zip(bytes(data))
    with pytest.raises(ZipRefused, match="damaged"):
        extract(course_zip, tmp_path / "course")


def test_an_unsupported_zip_version_is_refused():
    data = bytearray(make_zip(COURSE))
    central = data.rfind(b"PK\x01\x02")
    data[central + 6] = 200  # "version needed to extract": 20.0, beyond what Python reads
    with pytest.raises(ZipRefused, match="damaged"):
        open_course_zip(bytes(data))


def test_files_at_the_top_have_no_folder():
    assert open_course_zip(make_zip({"course.yml": "x", "01-a.md": "y"})).top is None


def test_export_is_the_same_bytes_every_time(db, course, courses_dir):
    from trainer.authoring.files import files_of_version

    files = files_of_version(course, course.current_version, str(courses_dir))
    assert zipfiles.export_zip(files) == zipfiles.export_zip(files)


def test_export_keeps_course_yml_as_written_without_the_folder(db, courses_dir, owner, tmp_path):
    """Another app server has no courses/ folder: the stored course.yml is exported."""
    import shutil

    from tests.courses.conftest import COURSE_YML, write_course
    from trainer.authoring.files import files_of_version
    from trainer.courses.parser import load_course
    from trainer.courses.services import import_course

    written = "# Reviewed by the programme team.\n" + COURSE_YML.replace(
        "owners: [owner@example.org]", "owners:   [owner@example.org]   # lead trainer"
    )
    folder = write_course(tmp_path / "elsewhere", course_yml=written)
    spec, problems = load_course(folder)
    assert problems == []
    course = import_course(spec).course
    db.session.flush()
    shutil.rmtree(folder)

    files = files_of_version(course, course.current_version, str(courses_dir))
    assert files.course_yml == written
