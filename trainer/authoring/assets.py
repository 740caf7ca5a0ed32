"""Checking a file before it becomes a course asset: its name, size and real content.

The extension decides the type (the same table as course folders); the first bytes must
then agree with it, so that a renamed executable or HTML page never passes for an image.
"""

from __future__ import annotations

import re
import unicodedata

from flask_babel import gettext as _

from trainer.authoring.errors import AuthoringError
from trainer.courses.spec import ASSET_CONTENT_TYPES, MAX_ASSET_BYTES, TEXT_ASSET_EXTENSIONS

MAX_NAME_LENGTH = 100
_ZIP = (b"PK\x03\x04",)
_MAGIC: dict[str, tuple[bytes, ...]] = {
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "pdf": (b"%PDF-",),
    "docx": _ZIP,
    "xlsx": _ZIP,
    "pptx": _ZIP,
    "odt": _ZIP,
    "ods": _ZIP,
    "odp": _ZIP,
}


class AssetRefused(AuthoringError):
    """The file cannot be an asset; the message says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "file")


def clean_asset_name(filename: str) -> str:
    """A safe name for an upload: `C:\\Users\\Ana\\Mapa de Quito (2).PNG` -> `Mapa-de-Quito-2.png`.

    Refused when the extension is not allowed or nothing of the name is left.
    """
    base = re.split(r"[\\/]", filename or "")[-1]
    folded = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    stem, dot, extension = folded.rpartition(".")
    if not dot:
        stem, extension = folded, ""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-_.")
    stem = re.sub(r"-{2,}", "-", stem)[: MAX_NAME_LENGTH - 6]
    extension = extension.lower()
    if extension not in ASSET_CONTENT_TYPES:
        raise AssetRefused(
            _(
                "Files of this type cannot be course assets. Allowed types: %(types)s.",
                types=", ".join(sorted(ASSET_CONTENT_TYPES)),
            )
        )
    if not stem:
        raise AssetRefused(_("Give the file a name made of letters or digits, then upload it."))
    return f"{stem}.{extension}"


def check_asset(name: str, data: bytes) -> str:
    """The content type of `data` saved as assets/`name`, or AssetRefused."""
    extension = name.rsplit(".", 1)[-1].lower()
    if len(data) > MAX_ASSET_BYTES:
        raise AssetRefused(
            _(
                "“%(name)s” is larger than %(mib)d MiB: compress it or link to it online.",
                name=name,
                mib=MAX_ASSET_BYTES // (1024 * 1024),
            )
        )
    if not content_matches(extension, data):
        raise AssetRefused(
            _(
                "The content of “%(name)s” is not a .%(ext)s file. Save or export it again "
                "in that format, or give it the extension of its real type.",
                name=name,
                ext=extension,
            )
        )
    return ASSET_CONTENT_TYPES[extension]


def content_matches(extension: str, data: bytes) -> bool:
    """Whether the first bytes of `data` are what a file with this extension starts with."""
    if extension in _MAGIC:
        return data.startswith(_MAGIC[extension])
    if extension == "webp":
        return data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    if extension in TEXT_ASSET_EXTENSIONS:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return False
        if "\x00" in text:
            return False
        return extension != "svg" or "<svg" in text.lower()
    return False
