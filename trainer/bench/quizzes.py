"""Quiz answers, graded attempts and anonymous survey responses, for bench-seed."""

from __future__ import annotations

import random
import secrets
from datetime import datetime, timedelta
from uuid import UUID

from trainer.bench.rows import Person
from trainer.courses.models import ModuleVersion
from trainer.learning.answer_facts import answer_facts
from trainer.learning.grading import grade


def answers(module: ModuleVersion, skill: float, rng: random.Random) -> dict[str, list[str]]:
    """Answers to the module's quiz, each right with probability ``skill``."""
    answers = {}
    for question in module.quiz["questions"]:
        kind, right = question["type"], rng.random() < skill
        keys = [choice["key"] for choice in question.get("choices", ())]
        correct = [c["key"] for c in question.get("choices", ()) if c.get("is_correct")]
        if kind == "single":
            wrong = [key for key in keys if key not in correct] or keys
            answers[question["id"]] = [rng.choice(correct if right else wrong)]
        elif kind == "multiple":
            answers[question["id"]] = (
                correct if right else rng.sample(keys, rng.randint(1, len(keys)))
            )
        elif kind == "true_false":
            truth = bool(question.get("answer"))
            answers[question["id"]] = ["true" if truth == right else "false"]
        elif kind == "numeric":
            low = question["numeric"][0]["low"]
            answers[question["id"]] = [str(low if right else low + rng.choice((-7, -1, 2, 13)))]
        elif kind == "short_text":
            accepted = question.get("accepted") or ["?"]
            answers[question["id"]] = [accepted[0] if right else "no lo sé"]
    return answers


def attempt(person: Person, module: ModuleVersion, number: int, answers, moment) -> dict:
    result = grade(module.quiz, answers)
    return {
        "user_id": person.user_id,
        "family": person.course.family,
        "module_slug": module.slug,
        "course_id": person.course.id,
        "module_version_id": module.id,
        "number": number,
        "status": "submitted",
        "token": secrets.token_hex(8),
        "question_order": [q["id"] for q in module.quiz["questions"]],
        "started_at": moment - timedelta(minutes=12),
        "submitted_at": moment,
        "answers": answers,
        "results": result.points_by_question(),
        "score": result.points,
        "max_score": result.max_points,
        "score_percent": result.percent,
        "is_passed": result.passed,
        "_facts": [
            {
                "question_id": fact.question_id,
                "question_type": fact.question_type,
                "value": fact.value,
                "number": fact.number,
                "score": fact.score,
                "max_score": fact.max_score,
                "is_correct": fact.is_correct,
            }
            for fact in answer_facts(module.quiz, answers, result)
        ],
    }


def survey_attempt(person: Person, module: ModuleVersion, moment: datetime) -> dict:
    """Who answered the anonymous survey (what they answered is only in the response)."""
    return {
        "user_id": person.user_id,
        "family": person.course.family,
        "module_slug": module.slug,
        "course_id": person.course.id,
        "module_version_id": module.id,
        "number": 1,
        "status": "submitted",
        "token": secrets.token_hex(8),
        "question_order": [q["id"] for q in module.quiz["questions"]],
        "started_at": moment - timedelta(minutes=6),
        "submitted_at": moment,
        "answers": None,
        "results": None,
    }


def survey_response(person: Person, module: ModuleVersion, rng: random.Random, moment):
    answers: dict[str, list[str]] = {}
    for question in module.quiz["questions"]:
        if question["type"] == "scale":
            answers[question["id"]] = [str(rng.choices((1, 2, 3, 4, 5), (1, 2, 5, 10, 8))[0])]
        elif rng.random() < 0.3:
            answers[question["id"]] = [rng.choice(COMMENTS)]
    result = grade(module.quiz, answers)
    response_id = UUID(int=rng.getrandbits(128)).hex
    row = {
        "id": response_id,
        "family": person.course.family,
        "module_slug": module.slug,
        "course_id": person.course.id,
        "module_version_id": module.id,
        "submitted_on": moment.date(),
        "institution_id": person.institution_id,
        "cohort_id": person.cohort_id,
        "answers": answers,
    }
    facts = [
        {
            "response_id": response_id,
            "question_id": fact.question_id,
            "question_type": fact.question_type,
            "value": fact.value,
            "number": fact.number,
        }
        for fact in answer_facts(module.quiz, answers, result)
    ]
    return row, facts


COMMENTS = (
    "Los talleres con otras instituciones fueron lo más útil.",
    "More examples from municipalities, please.",
    "El módulo de empleo me sirvió para el plan cantonal.",
    "The post-test was harder than the lessons.",
    "Más tiempo para los ejercicios prácticos.",
)
