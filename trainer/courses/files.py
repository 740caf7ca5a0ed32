"""Reading the files of a course folder safely: size limits, UTF-8, symlinks, assets."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .messages import msg
from .spec import (
    ASSET_CONTENT_TYPES,
    KIB,
    MAX_ASSET_BYTES,
    TEXT_ASSET_EXTENSIONS,
    AssetSpec,
    Problem,
)
from .text import decode_utf8


@dataclass(frozen=True)
class ReadFile:
    data: bytes
    text: str | None  # None for binary assets

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def size_label(size: int) -> str:
    if size >= KIB * KIB:
        return f"{size / (KIB * KIB):.1f} MiB"
    return f"{size / KIB:.0f} KiB"


def escapes(file: Path, root: Path) -> bool:
    """Whether `file` (maybe a symlink) resolves outside the course folder `root` (resolved)."""
    return not file.resolve().is_relative_to(root)


def read_checked(
    file: Path, where: str, root: Path, limit: int, problems: list[Problem], *, text: bool = True
) -> ReadFile | None:
    """Read a file of the course, or report why it cannot be used and return None.

    The size is checked before reading, so a huge file never reaches memory.
    """
    if file.is_symlink() and escapes(file, root):
        problems.append(Problem(where, None, msg("link-to-outside-file")))
        return None
    try:
        size = file.stat().st_size
        if size > limit:
            message = msg(
                "file-too-large",
                size=size_label(size),
                limit=size_label(limit),
                advice=msg(_shrink(where)),
            )
            problems.append(Problem(where, None, message))
            return None
        data = file.read_bytes()
    except OSError as error:
        problems.append(Problem(where, None, msg("file-unreadable", reason=error.strerror)))
        return None
    if not text:
        return ReadFile(data, None)
    decoded, bad_line = decode_utf8(data)
    if decoded is None:
        problems.append(Problem(where, bad_line, msg("file-not-utf8")))
        return None
    return ReadFile(data, decoded)


def _shrink(where: str) -> str:
    """The message id of the advice for a file that is too large."""
    if where.endswith(".md"):
        return "shrink-module"
    if where.endswith("course.yml"):
        return "shrink-course-yml"
    return "shrink-asset"


def read_assets(
    folder: Path, where: str, root: Path, problems: list[Problem]
) -> tuple[list[AssetSpec], set[str]]:
    """(usable assets, names of every file present) for the assets/ folder of a course.

    The second set lets a link to a rejected asset be reported once, as the asset's
    problem, rather than again as a missing file.
    """
    assets: list[AssetSpec] = []
    present: set[str] = set()
    if folder.is_symlink() or not folder.is_dir():
        problems.append(Problem(where, None, msg("assets-not-a-folder")))
        return assets, present
    for directory, subdirectories, files in os.walk(folder):
        base = Path(directory)
        # Hidden entries (.DS_Store, .gitkeep) are the editor's or git's, not the course's.
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
        for sub in subdirectories:
            if (base / sub).is_symlink() and escapes(base / sub, root):
                problems.append(
                    Problem(
                        f"{where}/{(base / sub).relative_to(folder).as_posix()}",
                        None,
                        msg("link-to-outside-folder"),
                    )
                )
        for name in sorted(f for f in files if not f.startswith(".")):
            file = base / name
            relative = file.relative_to(folder).as_posix()
            present.add(relative)
            asset = _read_asset(file, relative, f"{where}/{relative}", root, problems)
            if asset is not None:
                assets.append(asset)
    assets.sort(key=lambda a: a.name)
    return assets, present


def _read_asset(
    file: Path, name: str, where: str, root: Path, problems: list[Problem]
) -> AssetSpec | None:
    extension = file.suffix.lower().removeprefix(".")
    if extension not in ASSET_CONTENT_TYPES:
        allowed = ", ".join(sorted(ASSET_CONTENT_TYPES))
        if extension:
            message = msg("asset-type-not-allowed", extension=extension, allowed=allowed)
        else:
            message = msg("asset-without-extension", allowed=allowed)
        problems.append(Problem(where, None, message))
        return None
    read = read_checked(
        file, where, root, MAX_ASSET_BYTES, problems, text=extension in TEXT_ASSET_EXTENSIONS
    )
    if read is None:
        return None
    return AssetSpec(
        name=name,
        path=file,
        size=len(read.data),
        sha256=read.sha256,
        content_type=ASSET_CONTENT_TYPES[extension],
    )
