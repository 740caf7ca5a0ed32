"""Enrolments and what people did in them, for bench-seed.

People get as far as their diligence takes them: the pre-test (with ``attempt_answer``
rows), lessons, the post-test (up to three attempts, better than the pre-test on average),
the anonymous survey (a ``survey_response`` with ``survey_answer`` rows, keeping only the
institution and cohort), and completion when the course's rules are met.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import func, select

from trainer.bench import quizzes
from trainer.bench.rows import ATTENDANCE_NEEDED, SESSIONS, Person, Seeded, insert_rows
from trainer.cohorts.models import AttendanceRecord
from trainer.courses.models import ModuleVersion
from trainer.courses.spec import ModuleKind
from trainer.extensions import db
from trainer.learning.models import (
    AttemptAnswer,
    Enrolment,
    ModuleProgress,
    QuizAttempt,
    SurveyAnswer,
    SurveyResponse,
)


def enrolment_dates(people: list[Person], rng: random.Random, now: datetime) -> None:
    """Cohort members enrolled a few days before joining; the others months ago."""
    for person in people:
        start = person.joined_at or now - timedelta(days=150)
        person.enrolled_at = start - timedelta(days=rng.randint(0, 10))


def learning(
    seeded: Seeded,
    people: list[Person],
    modules: dict[int, dict[str, list[ModuleVersion]]],
    rng: random.Random,
    now: datetime,
) -> None:
    """Enrolments, module progress, quiz attempts with their answers, survey responses."""
    attended = attended_rates(people, now)
    enrolments, progress, attempts, facts_of, surveys = [], [], [], [], []
    for person in people:
        kinds = modules[person.course.id]
        family = person.course.family
        moment = person.enrolled_at + timedelta(hours=rng.randint(1, 48))
        done: list[tuple[str, datetime, datetime | None]] = []  # (slug, completed, passed)
        finished = False
        if rng.random() < 0.92:
            pre = kinds[ModuleKind.PRE_TEST][0]
            attempts.append(
                quizzes.attempt(person, pre, 1, quizzes.answers(pre, person.ability, rng), moment)
            )
            facts_of.append(attempts[-1].pop("_facts"))
            done.append((pre.slug, moment, None))
            lessons = kinds[ModuleKind.LESSON]
            reached = min(len(lessons), int(person.diligence * (len(lessons) + 1.5)))
            for lesson in lessons[:reached]:
                moment += timedelta(days=rng.randint(1, 6))
                done.append((lesson.slug, moment, None))
            if reached == len(lessons) and rng.random() < 0.9:
                post = kinds[ModuleKind.POST_TEST][0]
                skill = min(0.97, person.ability + 0.15 + 0.3 * person.diligence)
                for number in range(1, 4):
                    moment += timedelta(hours=rng.randint(1, 72))
                    attempts.append(
                        quizzes.attempt(
                            person, post, number, quizzes.answers(post, skill, rng), moment
                        )
                    )
                    facts_of.append(attempts[-1].pop("_facts"))
                    if attempts[-1]["is_passed"]:
                        done.append((post.slug, moment, moment))
                        break
                    skill = min(0.97, skill + 0.1)
                if done[-1][2] is not None and rng.random() < 0.88:
                    survey = kinds[ModuleKind.SURVEY][0]
                    moment += timedelta(hours=rng.randint(1, 24))
                    attempts.append(quizzes.survey_attempt(person, survey, moment))
                    facts_of.append([])
                    surveys.append(quizzes.survey_response(person, survey, rng, moment))
                    done.append((survey.slug, moment, None))
                    rate = attended.get(person.user_id)
                    finished = rate is not None and rate >= ATTENDANCE_NEEDED
        for slug, completed, passed in done:
            progress.append(
                {
                    "user_id": person.user_id,
                    "family": family,
                    "module_slug": slug,
                    "completed_at": min(completed, now),
                    "quiz_passed_at": min(passed, now) if passed else None,
                }
            )
        last = min(moment, now)
        withdrawn = not done and rng.random() < 0.3
        enrolments.append(
            {
                "user_id": person.user_id,
                "family": family,
                "course_id": person.course.id,
                "status": "withdrawn" if withdrawn else "active",
                "enrolled_at": person.enrolled_at,
                "withdrawn_at": person.enrolled_at + timedelta(days=2) if withdrawn else None,
                "completed_at": last if finished else None,
                "last_module_slug": done[-1][0] if done else None,
                "last_viewed_at": last if done else None,
                "viewed_modules": [slug for slug, _c, _p in done] or None,
            }
        )
    enrolment_ids = insert_rows(seeded, Enrolment, enrolments, returning=Enrolment.id)
    for person, enrolment_id, row in zip(people, enrolment_ids, enrolments, strict=True):
        person.enrolment_id = enrolment_id
        person.completed_at = row["completed_at"]
        person.last_active = row["last_viewed_at"]
        person.is_active = row["status"] == "active"
    insert_rows(seeded, ModuleProgress, progress)
    attempt_ids = insert_rows(seeded, QuizAttempt, attempts, returning=QuizAttempt.id)
    insert_rows(
        seeded,
        AttemptAnswer,
        (
            {"attempt_id": attempt_id, **fact}
            for attempt_id, facts in zip(attempt_ids, facts_of, strict=True)
            for fact in facts
        ),
    )
    insert_rows(seeded, SurveyResponse, [row for row, _answers in surveys])
    insert_rows(seeded, SurveyAnswer, (answer for _row, facts in surveys for answer in facts))


def attended_rates(people: list[Person], now: datetime) -> dict[int, float]:
    """Attendance toward completion per participant in a cohort, from what was inserted."""
    rows = db.session.execute(
        select(
            AttendanceRecord.user_id,
            func.count().filter(AttendanceRecord.status.in_(("present", "late"))),
            func.count().filter(AttendanceRecord.status == "excused"),
        ).group_by(AttendanceRecord.user_id)
    ).all()
    found = {user_id: (attended, excused) for user_id, attended, excused in rows}
    rates = {}
    for person in people:
        if person.cohort_id is None:
            continue
        attended, excused = found.get(person.user_id, (0, 0))
        expected = SESSIONS - excused
        rates[person.user_id] = 100.0 * attended / expected if expected > 0 else 0.0
    return rates
