"""What to ask for in a seeded database: who logs in and which address, per figure.

Most comes from what bench-seed printed; the rest (a certificate's id, the quiz pool) from
a few plain SELECTs on the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import create_engine, text

from benchkit.databases import BenchError, Seeded

SEARCH = "/admin/users?q=Participant+0001"  # names holding it: 1/100th of the participants
PREFERRED_EXPORT = "participants"  # one row per participant: the largest report table


@dataclass(frozen=True)
class Target:
    email: str | None  # who is logged in (None: nobody)
    path: str


@dataclass(frozen=True)
class Learner:
    """A participant who may still take the post-test three times."""

    email: str
    module_path: str  # the post-test's page (its form starts an attempt)
    start_path: str  # POST: start an attempt


def engine_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def select_rows(url: str, query: str, **parameters) -> list:
    engine = create_engine(engine_url(url))
    try:
        with engine.connect() as connection:
            return list(connection.execute(text(query), parameters))
    finally:
        engine.dispose()


def plan(seeded: Seeded) -> dict[str, Target]:
    """The addresses every figure asks for (the deep page and the export are found later,
    by reading pages)."""
    facts = seeded.facts
    learner = re.search(
        r"(\S+@\S+) (/courses/(\S+?)/modules/\S+)", facts["participant with a lesson"]
    )
    if learner is None:
        raise BenchError(f"bench-seed printed no participant with a lesson:\n{seeded.output}")
    email, lesson, slug = learner.groups()
    admin = "admin@bench.example.org"
    programme = seeded.email("programme coordinator")
    targets = {
        "healthz": Target(None, "/healthz"),
        "module": Target(email, lesson),
        "course": Target(email, f"/courses/{slug}"),
        "dashboard_institution": Target(
            seeded.email("institution nearest 2,000 participants"), "/reports"
        ),
        "dashboard_programme": Target(programme, "/reports"),
        "users_first": Target(admin, "/admin/users"),
        "users_search": Target(admin, SEARCH),
    }
    certificate = select_rows(seeded.url, "SELECT min(id) FROM certificate")[0][0]
    zipped = re.search(
        r"(/cohorts/\d+/certificates\.zip)", facts.get("largest certificates zip", "")
    )
    codes = facts.get("verification codes", "").split()
    if certificate is not None:
        targets["certificate_pdf"] = Target(programme, f"/certificates/{certificate}/pdf")
    if zipped is not None:
        targets["cohort_zip"] = Target(programme, zipped[1])
    if codes:
        targets["verify"] = Target(None, f"/verify/{codes[0]}")
    return targets


def quiz_pool(seeded: Seeded, limit: int) -> list[Learner]:
    """Participants with an active enrolment and no post-test attempt yet, first by id."""
    query = """
        SELECT u.email, c.slug, m.slug
        FROM user_account u
        JOIN enrolment e ON e.user_id = u.id AND e.status = 'active'
        JOIN course c ON c.id = e.course_id
        JOIN module_version m ON m.course_version_id = c.current_version_id
             AND m.kind = 'post-test'
        WHERE u.role = 'participant' AND u.is_active
          AND NOT EXISTS (
            SELECT 1 FROM quiz_attempt a
            WHERE a.user_id = u.id AND a.family = e.family AND a.module_slug = m.slug)
        ORDER BY u.id
        LIMIT :limit
    """
    rows = select_rows(seeded.url, query, limit=limit)
    return [
        Learner(
            email,
            f"/courses/{course}/modules/{module}",
            f"/courses/{course}/modules/{module}/attempts",
        )
        for email, course, module in rows
    ]
