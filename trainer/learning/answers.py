"""Writing a scored attempt's answers where reports read them, in the attempt's transaction.

``record_answers`` is called once per attempt, by the request whose conditional UPDATE
closed it (``attempts.submit_attempt``): a double submit's loser never gets here, and the
unique (attempt, question) of ``attempt_answer`` would refuse a second set of rows anyway.

An anonymous survey writes no ``attempt_answer`` row: its answers go to a
``SurveyResponse`` and its ``SurveyAnswer`` rows, which keep the family, module, course
version (through the module version), the day, and the institution and cohort the
respondent belonged to, and nothing that names the person or their attempt. Anyone with the
database can still narrow a response down to the people of one institution and cohort who
submitted that survey on that day; reports therefore show survey groups of at least five
responses only.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from uuid import uuid4

from sqlalchemy import and_, insert, select

from trainer.auth.models import User
from trainer.cohorts.models import CohortMember
from trainer.courses.models import ModuleVersion
from trainer.extensions import db
from trainer.learning import outline
from trainer.learning.answer_facts import AnswerFact, answer_facts
from trainer.learning.grading import GradeResult
from trainer.learning.models import AttemptAnswer, QuizAttempt, SurveyAnswer, SurveyResponse


def record_answers(
    attempt: QuizAttempt,
    module: ModuleVersion,
    answers: Mapping[str, object],
    result: GradeResult,
    now: datetime,
) -> None:
    """Store one row per question of the attempt's quiz: two statements, flushed."""
    facts = answer_facts(module.quiz or {}, answers, result)
    if outline.is_anonymous(module):
        _record_anonymous(attempt, module, answers, facts, now)
        return
    if facts:
        db.session.execute(
            insert(AttemptAnswer),
            [{"attempt_id": attempt.id, **_columns(fact)} for fact in facts],
        )


def _record_anonymous(
    attempt: QuizAttempt,
    module: ModuleVersion,
    answers: Mapping[str, object],
    facts: list[AnswerFact],
    now: datetime,
) -> None:
    institution_id, cohort_id = _groups_of(attempt.user_id, attempt.family)
    response = SurveyResponse(
        id=uuid4().hex,
        family=attempt.family,
        module_slug=attempt.module_slug,
        course_id=attempt.course_id,
        module_version_id=module.id,
        submitted_on=now.date(),
        institution_id=institution_id,
        cohort_id=cohort_id,
        answers=dict(answers),
    )
    db.session.add(response)
    db.session.flush()
    if facts:
        rows = [{"response_id": response.id, **_columns(fact, scored=False)} for fact in facts]
        db.session.execute(insert(SurveyAnswer), rows)


def _groups_of(user_id: int, family: str) -> tuple[int | None, int | None]:
    """The person's institution and active cohort of the family, in one query."""
    row = db.session.execute(
        select(User.institution_id, CohortMember.cohort_id)
        .outerjoin(
            CohortMember,
            and_(
                CohortMember.user_id == User.id,
                CohortMember.family == family,
                CohortMember.left_at.is_(None),
            ),
        )
        .where(User.id == user_id)
    ).first()
    return (row.institution_id, row.cohort_id) if row else (None, None)


def _columns(fact: AnswerFact, *, scored: bool = True) -> dict:
    columns = {
        "question_id": fact.question_id,
        "question_type": fact.question_type,
        "value": fact.value,
        "number": fact.number,
    }
    if scored:
        columns.update(score=fact.score, max_score=fact.max_score, is_correct=fact.is_correct)
    return columns
