"""Write a large programme in bulk, for benchmarks and the scale work that follows them.

The demo course ("Mainstreaming migration into development policy", in English and Spanish:
a pre-test, four lessons, a post-test and an anonymous survey) is imported from COURSES_DIR
if missing. Then, for ``participants`` people spread over institutions by ``shape``:

- each institution has a coordinator; the programme has a programme-wide coordinator, an
  admin and trainers; every account shares one password hash (hashing 20,000 passwords with
  argon2 would take the better part of an hour and prove nothing);
- everybody is enrolled (a quarter in Spanish); most are members of a cohort, with sessions
  and attendance (``cohorts``); people learn as far as their diligence takes them
  (``learning``, ``quizzes``);
- certificates of completion and of attendance as automatic issuance leaves them, with
  their audit entries (``certificates``), and the outbox of mails sent (``outbox``).

Everything goes through SQLAlchemy Core ``insert`` in chunks (executemany), never the ORM
unit of work, and the statistics are refreshed (ANALYZE) at the end. Random but repeatable:
the same ``seed`` gives the same programme (but for the certificate codes and attempt
tokens, which are secrets). It refuses a database that already has people.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select, text

from trainer.auth.models import Institution, Role, User
from trainer.auth.passwords import hash_password
from trainer.bench.certificates import certificates
from trainer.bench.cohorts import CohortFacts, cohorts
from trainer.bench.learning import enrolment_dates, learning
from trainer.bench.outbox import outbox
from trainer.bench.rows import (
    COURSE,
    DOMAIN,
    PASSWORD,
    TRANSLATION,
    Person,
    Seeded,
    insert_rows,
)
from trainer.bench.shape import institution_sizes
from trainer.courses.models import Course, ModuleVersion
from trainer.courses.parser import load_course
from trainer.courses.services import current_modules, import_course
from trainer.courses.spec import ModuleKind
from trainer.dbtypes import utcnow
from trainer.extensions import db

__all__ = ["DOMAIN", "PASSWORD", "SeedRefused", "Seeded", "seed"]


class SeedRefused(RuntimeError):
    """The database is not empty, or the demo course cannot be found."""


def seed(participants: int, *, rng_seed: int = 2026, now: datetime | None = None) -> Seeded:
    """Fill an empty database with ``participants`` participants and all they did. Commits
    as it goes (chunked inserts); a refusal writes nothing."""
    if participants < 1:
        raise SeedRefused("--participants must be at least 1.")
    existing = db.session.scalar(select(func.count()).select_from(User))
    if existing:
        raise SeedRefused(
            f"bench-seed fills an empty database; this one already has {existing} accounts. "
            "Point DATABASE_URL at a new database (then `flask --app wsgi db upgrade`)."
        )
    now = now or utcnow()
    rng = random.Random(rng_seed)  # noqa: S311  (repeatable data, no secret)
    english, spanish = _courses()
    seeded = Seeded()
    modules = {course.id: _modules_by_kind(course) for course in (english, spanish)}
    shared_hash = hash_password(PASSWORD)
    trainers = _staff(seeded, shared_hash)
    institutions = _institutions(seeded, shared_hash, institution_sizes(participants), now)
    people = _participants(seeded, institutions, shared_hash, english, spanish, rng)
    written = cohorts(seeded, people, list(institutions), english, trainers, rng, now)
    enrolment_dates(people, rng, now)
    learning(seeded, people, modules, rng, now)
    issued = certificates(seeded, people, written, institutions, (english, spanish))
    outbox(seeded, people, written, issued, now)
    _what_to_measure(seeded, people, written, modules)
    db.session.commit()
    _analyze()
    return seeded


def _courses() -> tuple[Course, Course]:
    """The demo course and its Spanish translation, imported from COURSES_DIR if missing."""
    found = {}
    for slug in (COURSE, TRANSLATION):
        course = db.session.scalar(select(Course).where(Course.slug == slug))
        if course is None:
            folder = Path(current_app.config["COURSES_DIR"]) / slug
            spec, problems = load_course(folder)
            if spec is None or problems:
                raise SeedRefused(f"The demo course {slug} is missing or invalid in {folder}.")
            course = import_course(spec).course
            db.session.commit()
        found[slug] = course
    return found[COURSE], found[TRANSLATION]


def _modules_by_kind(course: Course) -> dict[str, list[ModuleVersion]]:
    by_kind: dict[str, list[ModuleVersion]] = {}
    for module in current_modules(course, bodies=False):
        by_kind.setdefault(module.kind, []).append(module)
    return by_kind


def _staff(seeded: Seeded, shared_hash: str) -> list[int]:
    """The admin, the programme coordinator and five trainers; returns the trainers' ids."""
    rows = [
        _account("admin", "Bench Admin", Role.ADMIN, shared_hash),
        {
            **_account("programme", "Bench Programme Coordinator", Role.COORDINATOR, shared_hash),
            "is_programme_wide": True,
        },
    ]
    rows += [
        _account(f"trainer-{n}", f"Bench Trainer {n}", Role.TRAINER, shared_hash)
        for n in range(1, 6)
    ]
    ids = insert_rows(seeded, User, rows, returning=User.id)
    return ids[2:]


def _institutions(
    seeded: Seeded, shared_hash: str, sizes: list[int], now: datetime
) -> dict[int, str]:
    """The institutions, largest first, each with its coordinator: {id: name}, in order."""
    kinds = ("ministry", "agency", "municipality", "municipality", "ngo")
    rows = [
        {
            "name": f"Bench Institution {n:02d}",
            "slug": f"bench-institution-{n:02d}",
            "kind": "ministry" if n <= 5 else kinds[n % len(kinds)],
            "created_at": now - timedelta(days=400),
        }
        for n in range(1, len(sizes) + 1)
    ]
    ids = insert_rows(seeded, Institution, rows, returning=Institution.id)
    seeded.institutions = [(row["slug"], size) for row, size in zip(rows, sizes, strict=True)]
    seeded.sizes = dict(zip(ids, sizes, strict=True))
    insert_rows(
        seeded,
        User,
        [
            {
                **_account(
                    f"coordinator-{row['slug']}",
                    f"Coordinator of {row['name']}",
                    Role.COORDINATOR,
                    shared_hash,
                ),
                "institution_id": institution_id,
            }
            for row, institution_id in zip(rows, ids, strict=True)
        ],
    )
    return {institution_id: row["name"] for row, institution_id in zip(rows, ids, strict=True)}


def _participants(
    seeded: Seeded,
    institutions: dict[int, str],
    shared_hash: str,
    english: Course,
    spanish: Course,
    rng: random.Random,
) -> list[Person]:
    rows, owners = [], []
    for institution_id, size in seeded.sizes.items():
        for _ in range(size):
            n = len(rows) + 1
            rows.append(
                {
                    **_account(
                        f"participant-{n:06d}",
                        f"Participant {n:06d}",
                        Role.PARTICIPANT,
                        shared_hash,
                    ),
                    "institution_id": institution_id,
                    "language": "es" if n % 4 == 0 else "en",
                }
            )
            owners.append(institution_id)
    user_ids = insert_rows(seeded, User, rows, returning=User.id)
    return [
        Person(
            user_id=user_id,
            institution_id=institution_id,
            course=spanish if n % 4 == 3 else english,
            ability=rng.uniform(0.2, 0.75),
            diligence=rng.betavariate(4, 1.6),
            email=row["email"],
            full_name=row["full_name"],
        )
        for n, (user_id, institution_id, row) in enumerate(zip(user_ids, owners, rows, strict=True))
    ]


def _what_to_measure(
    seeded: Seeded,
    people: list[Person],
    written: list[CohortFacts],
    modules: dict[int, dict[str, list[ModuleVersion]]],
) -> None:
    """The closed cohort whose certificates' zip is largest (its attendance certificates
    and its members' completion certificates), and a participant who has been learning,
    with the URL of the course's largest lesson."""
    attendance = seeded.attendance_by_cohort
    best = None
    for cohort in written:
        if cohort.state != "closed":
            continue
        count = attendance.get(cohort.id, 0) + sum(
            1 for person in cohort.members if person.completed_at is not None
        )
        if best is None or count > best[1]:
            best = (cohort.id, count)
    if best is not None:
        seeded.large_cohort_id, seeded.large_cohort_certificates = best
    # The same kind of learner at every size, so that their pages ask the same questions:
    # studying in a running cohort, not finished yet (else as close to that as there is).
    running = {cohort.id for cohort in written if cohort.state == "running"}
    studying = [p for p in people if p.is_active and p.last_active is not None]
    learner = next(
        (p for p in studying if p.cohort_id in running and p.completed_at is None),
        next((p for p in studying if p.completed_at is None), people[0]),
    )
    lessons = [module.id for module in modules[learner.course.id][ModuleKind.LESSON]]
    lesson = db.session.execute(
        select(ModuleVersion.slug)
        .where(ModuleVersion.id.in_(lessons))
        .order_by(func.length(ModuleVersion.body_html).desc(), ModuleVersion.id)
        .limit(1)
    ).scalar_one()
    seeded.learner = learner.email
    seeded.lesson_url = f"/courses/{learner.course.slug}/modules/{lesson}"


def _account(local: str, name: str, role: Role, shared_hash: str) -> dict:
    return {
        "email": f"{local}@{DOMAIN}",
        "full_name": name,
        "password_hash": shared_hash,
        "role": role.value,
    }


def _analyze() -> None:
    """Fresh planner statistics, as autovacuum would have them after such a load; on
    PostgreSQL a VACUUM too, which marks the pages all-visible so that index-only scans
    need not visit the table (it cannot run inside a transaction)."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
