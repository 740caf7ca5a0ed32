"""What the parts of bench-seed share: the constants, who each participant is, what was
written, and the chunked Core INSERT every part writes with."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from trainer.courses.models import Course
from trainer.extensions import db

COURSE = "migration-development-policy"
TRANSLATION = "migracion-politicas-desarrollo"
PASSWORD = "bench-password"  # noqa: S105  (every benchmark account; never in production)
DOMAIN = "bench.example.org"
CHUNK = 5_000
COHORT_SIZE = 30
SESSIONS = 4
ZONE = "America/Guayaquil"
ATTENDANCE_NEEDED = 75.0


@dataclass
class Seeded:
    """What was written, and what a benchmark needs to find in it."""

    institutions: list[tuple[str, int]] = field(default_factory=list)  # (slug, participants)
    rows: Counter = field(default_factory=Counter)  # table -> rows inserted
    sizes: dict[int, int] = field(default_factory=dict)  # institution id -> participants
    attendance_by_cohort: Counter = field(default_factory=Counter)  # cohort id -> certificates
    large_cohort_id: int | None = None  # the closed cohort with the most certificates
    large_cohort_certificates: int = 0
    codes: list[str] = field(default_factory=list)  # a few verification codes
    learner: str | None = None  # a participant's e-mail, enrolled, with a lesson to read
    lesson_url: str | None = None

    @property
    def largest(self) -> tuple[str, int]:
        return self.institutions[0]

    def nearest(self, participants: int) -> tuple[str, int]:
        """The institution whose size is nearest ``participants``."""
        return min(self.institutions, key=lambda item: (abs(item[1] - participants), item[0]))


@dataclass
class Person:
    user_id: int
    institution_id: int
    course: Course
    ability: float  # chance of a right answer before the course
    diligence: float  # how far they go, and how often they attend
    email: str = ""
    full_name: str = ""
    cohort_id: int | None = None
    joined_at: datetime | None = None
    enrolled_at: datetime | None = None
    enrolment_id: int | None = None
    completed_at: datetime | None = None
    last_active: datetime | None = None
    is_active: bool = True  # not withdrawn


def at(day: date, clock: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=zone).astimezone(ZoneInfo("UTC"))


def insert_rows(seeded: Seeded, model, rows: Iterable[dict], *, returning=None) -> list:
    """Insert ``rows`` in chunks of CHUNK (executemany); with ``returning``, the new ids in
    the order of the rows."""
    table = model.__table__
    ids: list = []
    chunk: list[dict] = []

    def flush(batch: Sequence[dict]) -> None:
        if not batch:
            return
        statement = insert(model)
        if returning is not None:
            statement = statement.returning(returning, sort_by_parameter_order=True)
            ids.extend(db.session.scalars(statement, list(batch)).all())
        else:
            db.session.execute(statement, list(batch))
        seeded.rows[table.name] += len(batch)

    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            flush(chunk)
            chunk = []
    flush(chunk)
    return ids
