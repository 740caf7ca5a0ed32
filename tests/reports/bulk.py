"""Many participants at once, with Core bulk inserts: for query counts and timings.

Each participant is enrolled in the family, half of them in the cohort, and has one
pre-test and one post-test attempt with random answers (graded, with their answer rows).
"""

from __future__ import annotations

import random
import secrets

from sqlalchemy import insert, select

from trainer.auth.models import Role, User
from trainer.cohorts.models import CohortMember
from trainer.courses.models import Course, ModuleVersion
from trainer.dbtypes import utcnow
from trainer.learning.answer_facts import answer_facts
from trainer.learning.grading import grade
from trainer.learning.models import AttemptAnswer, Enrolment, QuizAttempt


def random_answers(quiz: dict, rng: random.Random) -> dict[str, list[str]]:
    answers = {}
    for question in quiz["questions"]:
        keys = [c["key"] for c in question.get("choices", ())]
        if question["type"] == "single":
            answers[question["id"]] = [rng.choice(keys)]
        elif question["type"] == "multiple":
            answers[question["id"]] = rng.sample(keys, rng.randint(1, len(keys)))
        elif question["type"] == "numeric":
            answers[question["id"]] = [str(rng.choice([23, 22, 5]))]
        elif question["type"] == "true_false":
            answers[question["id"]] = [rng.choice(["true", "false"])]
    return answers


def add_participants(
    session,
    course: Course,
    modules: list[ModuleVersion],
    institution_ids: list[int],
    cohort_id: int | None,
    count: int,
    *,
    seed: int = 0,
) -> None:
    """``count`` more participants, spread over ``institution_ids``, with an attempt at
    each of ``modules`` (quizzes of ``course``)."""
    rng = random.Random(seed)
    tag = secrets.token_hex(4)
    now = utcnow()
    session.execute(
        insert(User),
        [
            {
                "email": f"bulk-{tag}-{i}@example.org",
                "full_name": f"Participant {tag} {i:05d}",
                "role": Role.PARTICIPANT.value,
                "institution_id": institution_ids[i % len(institution_ids)],
            }
            for i in range(count)
        ],
    )
    user_ids = session.scalars(
        select(User.id).where(User.email.like(f"bulk-{tag}-%")).order_by(User.id)
    ).all()
    session.execute(
        insert(Enrolment),
        [{"user_id": u, "family": course.family, "course_id": course.id} for u in user_ids],
    )
    if cohort_id is not None:
        session.execute(
            insert(CohortMember),
            [
                {"cohort_id": cohort_id, "family": course.family, "user_id": u}
                for u in user_ids[::2]
            ],
        )
    answers_of: dict[tuple[int, str], dict] = {}
    attempts = []
    for user_id in user_ids:
        for module in modules:
            answers = random_answers(module.quiz, rng)
            result = grade(module.quiz, answers)
            answers_of[(user_id, module.slug)] = (module.quiz, answers, result)
            attempts.append(
                {
                    "user_id": user_id,
                    "family": course.family,
                    "module_slug": module.slug,
                    "course_id": course.id,
                    "module_version_id": module.id,
                    "number": 1,
                    "status": "submitted",
                    "token": secrets.token_urlsafe(16),
                    "question_order": [q["id"] for q in module.quiz["questions"]],
                    "started_at": now,
                    "submitted_at": now,
                    "answers": answers,
                    "results": result.points_by_question(),
                    "score": result.points,
                    "max_score": result.max_points,
                    "score_percent": result.percent,
                    "is_passed": result.passed,
                }
            )
    session.execute(insert(QuizAttempt), attempts)
    stored = session.execute(
        select(QuizAttempt.id, QuizAttempt.user_id, QuizAttempt.module_slug).where(
            QuizAttempt.user_id.in_(user_ids)
        )
    ).all()
    rows = []
    for attempt_id, user_id, slug in stored:
        quiz, answers, result = answers_of[(user_id, slug)]
        for fact in answer_facts(quiz, answers, result):
            rows.append(
                {
                    "attempt_id": attempt_id,
                    "question_id": fact.question_id,
                    "question_type": fact.question_type,
                    "value": fact.value,
                    "number": fact.number,
                    "score": fact.score,
                    "max_score": fact.max_score,
                    "is_correct": fact.is_correct,
                }
            )
    session.execute(insert(AttemptAnswer), rows)
    session.flush()
