"""Sending stored files to the browser without letting them run script in our origin."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response

from trainer.storage.models import StoredFile

# Types a browser may show inline; anything else downloads. Every file is also sandboxed by
# its CSP, so an uploaded SVG or HTML file can never run script in the app's origin.
INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"}
FILE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; sandbox"


def file_response(
    stored: StoredFile, name: str, content_type: str, *, cache: str, etag: str | None = None
) -> Response:
    disposition = "inline" if content_type in INLINE_TYPES else "attachment"
    response = Response(stored.data, 200, content_type=content_type)
    headers = response.headers
    headers["Content-Disposition"] = (
        f"{disposition}; filename*=UTF-8''{quote(name.rsplit('/', 1)[-1])}"
    )
    headers["Content-Security-Policy"] = FILE_CSP
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Cache-Control"] = cache
    if etag:
        response.set_etag(etag)
    return response
