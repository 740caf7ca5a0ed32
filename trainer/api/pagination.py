"""Opaque cursors for keyset pagination.

A page is "the next ``limit`` rows after the last id seen", read through the primary key's
index, so page 1,000 costs what page 1 costs and rows added meanwhile are neither skipped
nor repeated. The cursor names the list it belongs to and the last id, in URL-safe base64:
clients pass it back as it is, and one from another list or altered by hand is refused.
"""

from __future__ import annotations

import base64
import binascii
import re

from trainer.urls import MAX_ID

_PAYLOAD = re.compile(r"(?P<kind>[a-z]{1,20}):(?P<after>[0-9]{1,10})")


class BadCursor(ValueError):
    pass


def encode(kind: str, after: int) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{after}".encode("ascii")).decode("ascii").rstrip("=")


def decode(kind: str, cursor: str | None) -> int:
    """The last id of the previous page (0 for the first page)."""
    if cursor is None:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        raise BadCursor(cursor) from None
    match = _PAYLOAD.fullmatch(text)
    if match is None or match["kind"] != kind or int(match["after"]) > MAX_ID:
        raise BadCursor(cursor)
    return int(match["after"])


def next_cursor(kind: str, ids: list[int], limit: int) -> str | None:
    """The cursor of the page after one whose ids are ``ids`` (fetched with ``limit + 1``
    rows asked, so a full page says whether more follow)."""
    return encode(kind, ids[limit - 1]) if len(ids) > limit else None
