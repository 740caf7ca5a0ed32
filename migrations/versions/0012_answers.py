"""answers in SQL: one row per question of each scored attempt; anonymous survey answers
keep their institution and cohort

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 00:10:00

Reports (item analysis, learning gain) count answers with aggregate SQL instead of reading
every attempt's JSON. From now on the attempt's closing writes ``attempt_answer`` rows
(trainer/learning/answers.py); here they are filled in from the attempts already stored:
each submitted attempt's ``answers`` and ``results`` JSON, read with the quiz of the module
version it was taken on. Scores are the ones the attempt was given (``results``), never
re-graded; values are normalised by the same pure function as new answers
(trainer.learning.answer_facts.normalised, which imports no model), so old and new rows
group together.

Anonymous surveys: responses gain the respondent's institution and cohort, and a
``survey_answer`` row per question, without any serial id (it would number responses in the
order people answered). The answers of responses already stored are split into
``survey_answer`` rows here, but their institution and cohort stay empty: they were never
recorded, and could only be found by knowing who answered, which is exactly what is not
kept. Attempts closed unscored (time up) have no answers and get no rows.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

QUESTION_TYPES = "'single', 'multiple', 'true_false', 'short_text', 'numeric', 'scale', 'free_text'"
GRADED_TYPES = ("single", "multiple", "true_false", "short_text", "numeric")
BATCH = 500
# As trainer.learning.grading: floating-point slack when comparing points.
EPSILON = 1e-9


def upgrade():
    op.create_table(
        "attempt_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=80), nullable=False),
        sa.Column("question_type", sa.String(length=12), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("number", sa.Float(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("max_score", sa.Float(), nullable=True),
        sa.Column("is_correct", sa.Boolean(), nullable=True),
        sa.CheckConstraint(
            f"question_type IN ({QUESTION_TYPES})",
            name=op.f("ck_attempt_answer_question_type_known"),
        ),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["quiz_attempt.id"],
            name=op.f("fk_attempt_answer_attempt_id_quiz_attempt"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attempt_answer")),
        sa.UniqueConstraint(
            "attempt_id", "question_id", name=op.f("uq_attempt_answer_attempt_id_question_id")
        ),
    )
    with op.batch_alter_table("survey_response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("institution_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("cohort_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_survey_response_institution_id"), ["institution_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_survey_response_cohort_id"), ["cohort_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_survey_response_institution_id_institution"),
            "institution",
            ["institution_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_survey_response_cohort_id_cohort"),
            "cohort",
            ["cohort_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_table(
        "survey_answer",
        sa.Column("response_id", sa.String(length=32), nullable=False),
        sa.Column("question_id", sa.String(length=80), nullable=False),
        sa.Column("question_type", sa.String(length=12), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("number", sa.Float(), nullable=True),
        sa.CheckConstraint(
            f"question_type IN ({QUESTION_TYPES})",
            name=op.f("ck_survey_answer_question_type_known"),
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["survey_response.id"],
            name=op.f("fk_survey_answer_response_id_survey_response"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", "question_id", name=op.f("pk_survey_answer")),
    )
    _backfill_attempt_answers()
    _backfill_survey_answers()


def downgrade():
    op.drop_table("survey_answer")
    with op.batch_alter_table("survey_response", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_survey_response_cohort_id_cohort"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_survey_response_institution_id_institution"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_survey_response_cohort_id"))
        batch_op.drop_index(batch_op.f("ix_survey_response_institution_id"))
        batch_op.drop_column("cohort_id")
        batch_op.drop_column("institution_id")
    op.drop_table("attempt_answer")


_module_version = sa.table("module_version", sa.column("id"), sa.column("quiz", sa.JSON()))


def _backfill_attempt_answers():
    attempt = sa.table(
        "quiz_attempt",
        sa.column("id"),
        sa.column("module_version_id"),
        sa.column("status"),
        sa.column("answers", sa.JSON()),
        sa.column("results", sa.JSON()),
    )
    answer = sa.table(
        "attempt_answer",
        *(sa.column(name) for name in ("attempt_id", "question_id", "question_type", "value")),
        *(sa.column(name) for name in ("number", "score", "max_score", "is_correct")),
    )
    statement = sa.select(
        attempt.c.id, attempt.c.module_version_id, attempt.c.answers, attempt.c.results
    ).where(attempt.c.status == "submitted", attempt.c.results.is_not(None))
    for rows, quizzes in _batches(statement, attempt.c.id, attempt.c.module_version_id):
        values = []
        for attempt_id, version_id, answers, results in rows:
            # Anonymous survey attempts keep no answers: theirs are in survey_response.
            if answers is None or results is None:
                continue
            for question in quizzes.get(version_id, ()):
                values.append(
                    {"attempt_id": attempt_id, **_answer(question, answers, results)}
                )
        if values:
            op.get_bind().execute(answer.insert(), values)


def _backfill_survey_answers():
    response = sa.table(
        "survey_response",
        sa.column("id"),
        sa.column("module_version_id"),
        sa.column("answers", sa.JSON()),
    )
    answer = sa.table(
        "survey_answer",
        *(sa.column(name) for name in ("response_id", "question_id", "question_type")),
        *(sa.column(name) for name in ("value", "number")),
    )
    statement = sa.select(response.c.id, response.c.module_version_id, response.c.answers)
    for rows, quizzes in _batches(statement, response.c.id, response.c.module_version_id):
        values = []
        for response_id, version_id, answers in rows:
            for question in quizzes.get(version_id, ()):
                columns = _answer(question, answers or {}, {})
                del columns["score"], columns["max_score"], columns["is_correct"]
                values.append({"response_id": response_id, **columns})
        if values:
            op.get_bind().execute(answer.insert(), values)


def _batches(statement, key, version_key):
    """Rows of ``statement`` BATCH at a time in ``key`` order, with the questions of the
    module versions they were taken on ({version id: questions}), each quiz read once."""
    bind = op.get_bind()
    quizzes: dict = {}
    last = None
    while True:
        page = statement.order_by(key).limit(BATCH)
        if last is not None:
            page = page.where(key > last)
        rows = bind.execute(page).all()
        if not rows:
            return
        wanted = {row[1] for row in rows} - quizzes.keys()
        if wanted:
            found = bind.execute(
                sa.select(_module_version.c.id, _module_version.c.quiz).where(
                    _module_version.c.id.in_(wanted)
                )
            )
            for version_id, quiz in found:
                quizzes[version_id] = [q for q in (quiz or {}).get("questions", ()) if q.get("id")]
        yield rows, quizzes
        last = rows[-1][0]


def _answer(question, answers, results):
    from trainer.learning.answer_facts import normalised

    raw = answers.get(question["id"]) if isinstance(answers, dict) else None
    if isinstance(raw, str):
        raw = [raw]
    texts = [v for v in raw if isinstance(v, str)] if isinstance(raw, list) else []
    value, number = normalised(question, texts)
    kind = question.get("type", "")
    score = max_score = is_correct = None
    if kind in GRADED_TYPES:
        max_score = float(question.get("points", 1.0))
        score = float(results.get(question["id"]) or 0.0) if isinstance(results, dict) else 0.0
        is_correct = score >= max_score - EPSILON
    return {
        "question_id": question["id"],
        "question_type": kind,
        "value": value,
        "number": number,
        "score": score,
        "max_score": max_score,
        "is_correct": is_correct,
    }
