"""Files the application keeps (logos, course assets, generated PDFs).

They live in the database so that app servers keep no local state.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from trainer.dbtypes import UTCDateTime, utcnow
from trainer.extensions import db


class StoredFile(db.Model):
    __tablename__ = "stored_file"
    __table_args__ = (CheckConstraint("size >= 0", name="size_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
