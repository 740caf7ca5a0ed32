"""Store and fetch files kept in the database."""

from __future__ import annotations

import hashlib

from trainer.extensions import db
from trainer.storage.models import StoredFile


def store_file(filename: str, content_type: str, data: bytes) -> StoredFile:
    """Add a file to the session (flushed, not committed) and return it."""
    stored = StoredFile(
        filename=filename,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )
    db.session.add(stored)
    db.session.flush()
    return stored
