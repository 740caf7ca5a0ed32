"""Course folders as zip files: export, and a guarded reading of uploaded ones.

Every entry of an upload is checked before a single byte is extracted: no path may leave
the folder (`..`, absolute paths, backslashes, drive letters), no symbolic links, no
encryption, and limits on the number of entries, their total size and their compression
ratio stop zip bombs. Extraction then counts the bytes it really writes.
"""

from __future__ import annotations

import io
import lzma
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import ngettext

from trainer.authoring.errors import AuthoringError
from trainer.authoring.files import CourseFiles, asset_data, encode
from trainer.courses.spec import KIB, MAX_ASSET_BYTES

MAX_ENTRIES = 1000
MAX_TOTAL_BYTES = 64 * KIB * KIB
MAX_RATIO = 100  # uncompressed / compressed, for entries big enough to matter
RATIO_FROM_BYTES = 64 * KIB
_DRIVE_RE = re.compile(r"^[A-Za-z]:")
# What reading a damaged entry raises: bad headers, corrupt compressed data (zlib, lzma; bz2
# raises OSError), a negative seek from a forged offset, a file that is also a folder.
_DAMAGED = (
    zipfile.BadZipFile,
    OSError,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    zlib.error,
    lzma.LZMAError,
)
# A fixed date keeps exports of the same content byte-identical.
_DATE = (1980, 1, 1, 0, 0, 0)


class ZipRefused(AuthoringError):
    """The zip cannot be a course; `reasons` lists every entry that is wrong and why."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(" ".join(reasons), "file")
        self.reasons = reasons


@dataclass(frozen=True)
class CourseZip:
    archive: zipfile.ZipFile
    top: str | None  # the folder the course files sit in, when there is one
    entries: tuple[tuple[str, zipfile.ZipInfo], ...]  # (name inside the course, entry)


def export_zip(files: CourseFiles) -> bytes:
    """The course as <slug>/course.yml, <slug>/NN-slug.md, <slug>/assets/..."""
    buffer = io.BytesIO()
    data = asset_data(files)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _add(archive, f"{files.slug}/course.yml", encode(files.course_yml))
        for module in files.modules:
            _add(archive, f"{files.slug}/{module.file_name}", encode(module.text))
        for asset in files.assets:
            _add(archive, f"{files.slug}/assets/{asset.name}", data[asset.stored_file_id])
    return buffer.getvalue()


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    archive.writestr(info, data)


def open_course_zip(data: bytes) -> CourseZip:
    """Read the directory of an uploaded zip and refuse it unless every entry is safe."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        OSError,
        EOFError,
        NotImplementedError,  # "zip file version 11.8": a damaged header
    ):
        raise ZipRefused([_("This is not a zip file, or it is damaged.")]) from None
    if len(infos) > MAX_ENTRIES:
        raise ZipRefused(
            [
                ngettext(
                    "The zip holds more than %(num)d file: a course is much smaller.",
                    "The zip holds more than %(num)d files: a course is much smaller.",
                    MAX_ENTRIES,
                )
            ]
        )
    reasons = [reason for info in infos if (reason := _entry_problem(info))]
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_BYTES:
        reasons.append(
            _(
                "Unpacked, the zip would take %(mib)d MiB, over the limit of %(limit)d MiB.",
                mib=total // (KIB * KIB),
                limit=MAX_TOTAL_BYTES // (KIB * KIB),
            )
        )
    if reasons:
        raise ZipRefused(reasons)
    files = [info for info in infos if not info.is_dir() and not _ignored(info.filename.split("/"))]
    top = _top_folder([info.filename for info in files])
    cut = len(top) + 1 if top else 0
    entries = tuple((info.filename[cut:], info) for info in files)
    return CourseZip(archive, top, entries)


def _entry_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.orig_filename
    parts = name.rstrip("/").split("/")
    if "\\" in name or name.startswith("/") or _DRIVE_RE.match(name) or "\x00" in name:
        return _("“%(name)s”: paths must be relative and use “/”.", name=name)
    if any(part in ("", ".", "..") for part in parts):
        return _("“%(name)s”: the path leaves the course folder.", name=name)
    if stat.S_ISLNK(info.external_attr >> 16):
        return _("“%(name)s”: symbolic links are not allowed; put the file itself in.", name=name)
    if info.flag_bits & 0x1:
        return _("“%(name)s” is encrypted: make the zip without a password.", name=name)
    if info.file_size > MAX_ASSET_BYTES:
        return _("“%(name)s” is larger than any course file may be.", name=name)
    compressed = max(info.compress_size, 1)
    if info.file_size >= RATIO_FROM_BYTES and info.file_size / compressed > MAX_RATIO:
        return _("“%(name)s” is compressed suspiciously well (a zip bomb?).", name=name)
    return None


def _ignored(parts: list[str]) -> bool:
    """Entries a zip tool or operating system adds (__MACOSX/, .DS_Store, .git/)."""
    return parts[0] == "__MACOSX" or any(part.startswith(".") for part in parts)


def _top_folder(names: list[str]) -> str | None:
    if "course.yml" in names:
        return None
    tops = {name.split("/", 1)[0] for name in names}
    if len(tops) == 1 and all("/" in name for name in names):
        top = tops.pop()
        if f"{top}/course.yml" in names:
            return top
    raise ZipRefused(
        [_("The zip must contain course.yml, either at its top or inside one folder.")]
    )


def extract(course_zip: CourseZip, folder: Path) -> None:
    """Write the entries under `folder`, never more bytes than each entry declared."""
    folder.mkdir(parents=True)
    for name, info in course_zip.entries:
        target = folder / name
        written = 0
        try:
            # Inside the try: "assets" as a file and "assets/x.png" cannot both be written.
            target.parent.mkdir(parents=True, exist_ok=True)
            with course_zip.archive.open(info) as source, target.open("wb") as sink:
                while chunk := source.read(64 * KIB):
                    written += len(chunk)
                    if written > info.file_size:
                        raise ZipRefused([_("“%(name)s” is damaged.", name=info.filename)])
                    sink.write(chunk)
        except _DAMAGED:
            raise ZipRefused([_("“%(name)s” is damaged.", name=info.filename)]) from None
