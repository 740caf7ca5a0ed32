"""Cohorts, their sessions and attendance, for bench-seed.

85 % of the participants are members of a cohort of their institution (at most 30
members); cohorts have four weekly sessions, the older cohorts are closed, and held sessions
have attendance (present, late, excused, absent, a few unmarked). From 1,000 participants
up, one closed cohort is large: a national workshop of the 300 keenest participants of the
largest institutions, whose certificates make the zip a coordinator downloads at the end.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from trainer.bench.rows import COHORT_SIZE, SESSIONS, ZONE, Person, Seeded, at, insert_rows
from trainer.cohorts.models import (
    AttendanceRecord,
    Cohort,
    CohortInstitution,
    CohortMember,
    CohortTrainer,
    TrainingSession,
)
from trainer.courses.models import Course

MEMBERS = 0.85  # the share of participants in a cohort
LARGE_COHORT = 300
LARGE_FROM = 1_000  # participants; below that there are too few to fill it


@dataclass
class CohortFacts:
    """What later parts (certificates, mails) need of a cohort written here."""

    id: int
    state: str
    closed_at: datetime | None
    trainer_id: int
    members: list[Person]
    sessions: list[tuple[int, datetime, datetime]]  # (id, starts_at, ends_at)
    member_ids: list[int]  # cohort_member ids, in the order of ``members``


def cohorts(
    seeded: Seeded,
    people: list[Person],
    institution_order: list[int],
    course: Course,
    trainers: list[int],
    rng: random.Random,
    now: datetime,
) -> list[CohortFacts]:
    """Write the cohorts, their members, sessions and attendance; returns their facts."""
    zone = ZoneInfo(ZONE)
    today = now.astimezone(zone).date()
    by_institution: dict[int, list[Person]] = {}
    for person in people:
        if rng.random() < MEMBERS:
            by_institution.setdefault(person.institution_id, []).append(person)
    groups: list[tuple[list[int], list[Person], int]] = []  # (institutions, members, days ago)
    if len(people) >= LARGE_FROM:
        large = _keenest(by_institution, institution_order)
        groups.append((sorted({p.institution_id for p in large}), large, 120))
    groups += [
        ([institution_id], members[start : start + COHORT_SIZE], rng.randint(-7, 150))
        for institution_id, members in by_institution.items()
        for start in range(0, len(members), COHORT_SIZE)
    ]
    cohort_rows = []
    for n, (_institutions, members, days_ago) in enumerate(groups, start=1):
        starts_on = today - timedelta(days=days_ago)
        ends_on = starts_on + timedelta(weeks=SESSIONS)
        closed = ends_on < today - timedelta(days=14)
        large = len(members) > COHORT_SIZE
        cohort_rows.append(
            {
                "course_id": course.id,
                "family": course.family,
                "name": "Bench national workshop" if large else f"Bench cohort {n:04d}",
                "starts_on": starts_on,
                "ends_on": ends_on,
                "timezone": ZONE,
                "state": "closed" if closed else ("running" if starts_on <= today else "planned"),
                "created_at": now - timedelta(days=200),
                "closed_at": at(ends_on + timedelta(days=1), time(18), zone) if closed else None,
            }
        )
    cohort_ids = insert_rows(seeded, Cohort, cohort_rows, returning=Cohort.id)
    insert_rows(
        seeded,
        CohortInstitution,
        [
            {"cohort_id": cohort_id, "institution_id": institution_id}
            for cohort_id, (institutions, _members, _days) in zip(cohort_ids, groups, strict=True)
            for institution_id in institutions
        ],
    )
    insert_rows(
        seeded,
        CohortTrainer,
        [
            {"cohort_id": cohort_id, "user_id": trainers[cohort_id % len(trainers)]}
            for cohort_id in cohort_ids
        ],
    )
    facts = [
        CohortFacts(
            id=cohort_id,
            state=row["state"],
            closed_at=row["closed_at"],
            trainer_id=trainers[cohort_id % len(trainers)],
            members=members,
            sessions=[],
            member_ids=[],
        )
        for cohort_id, row, (_institutions, members, _days) in zip(
            cohort_ids, cohort_rows, groups, strict=True
        )
    ]
    _sessions(seeded, facts, cohort_rows, zone, now)
    _members(seeded, facts, cohort_rows, course, zone, rng, now)
    return facts


def _keenest(by_institution: dict[int, list[Person]], order: list[int]) -> list[Person]:
    """The LARGE_COHORT most diligent people of the largest institutions (enough of them to
    choose from twice over), taken out of their institutions' lists."""
    pool: list[Person] = []
    for institution_id in order:
        pool += by_institution.get(institution_id, [])
        if len(pool) >= 2 * LARGE_COHORT:
            break
    chosen = sorted(pool, key=lambda person: -person.diligence)[:LARGE_COHORT]
    taken = {person.user_id for person in chosen}
    for institution_id, members in by_institution.items():
        by_institution[institution_id] = [p for p in members if p.user_id not in taken]
    return chosen


def _sessions(seeded, facts: list[CohortFacts], cohort_rows, zone, now: datetime) -> None:
    session_rows = []
    for cohort, row in zip(facts, cohort_rows, strict=True):
        for week in range(SESSIONS):
            day = row["starts_on"] + timedelta(weeks=week, days=1)
            session_rows.append(
                {
                    "cohort_id": cohort.id,
                    "starts_at": at(day, time(9), zone),
                    "ends_at": at(day, time(12), zone),
                    "place": "Sala de capacitación",
                    "created_at": now - timedelta(days=200),
                    "updated_at": now - timedelta(days=200),
                }
            )
    session_ids = insert_rows(seeded, TrainingSession, session_rows, returning=TrainingSession.id)
    by_id = {cohort.id: cohort for cohort in facts}
    for session_id, row in zip(session_ids, session_rows, strict=True):
        by_id[row["cohort_id"]].sessions.append((session_id, row["starts_at"], row["ends_at"]))


def _members(seeded, facts, cohort_rows, course: Course, zone, rng, now: datetime) -> None:
    member_rows, marks = [], []
    for cohort, row in zip(facts, cohort_rows, strict=True):
        # Added three days before the start, or yesterday for a cohort about to start.
        joined = min(
            at(row["starts_on"] - timedelta(days=3), time(10), zone), now - timedelta(days=1)
        )
        for person in cohort.members:
            person.cohort_id, person.joined_at = cohort.id, joined
            member_rows.append(
                {
                    "cohort_id": cohort.id,
                    "family": course.family,
                    "user_id": person.user_id,
                    "joined_at": joined,
                }
            )
            for session_id, _starts_at, ends_at in cohort.sessions:
                status = _attendance(person, rng) if ends_at <= now else None
                if status is not None:
                    marks.append(
                        {
                            "session_id": session_id,
                            "user_id": person.user_id,
                            "status": status,
                            "method": rng.choice(("roster", "roster", "qr", "sheet")),
                            "recorded_by_id": cohort.trainer_id,
                            "recorded_at": ends_at,
                        }
                    )
    member_ids = insert_rows(seeded, CohortMember, member_rows, returning=CohortMember.id)
    position = 0
    for cohort in facts:
        cohort.member_ids = member_ids[position : position + len(cohort.members)]
        position += len(cohort.members)
    insert_rows(seeded, AttendanceRecord, marks)


def _attendance(person: Person, rng: random.Random) -> str | None:
    draw = rng.random()
    if draw < 0.03:
        return None  # left unmarked by the trainer
    if draw < 0.03 + person.diligence * 0.85:
        return "present"
    return rng.choices(("late", "excused", "absent"), weights=(3, 1, 4))[0]
