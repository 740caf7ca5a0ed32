"""The Alembic revisions build exactly the schema the models describe, and move stored data."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, select, text

from trainer.courses.services import current_modules
from trainer.dbtypes import compares_on, utcnow
from trainer.extensions import db as _db
from trainer.learning.answer_facts import AnswerFact, answer_facts
from trainer.learning.grading import grade
from trainer.learning.models import AttemptAnswer, QuizAttempt, SurveyAnswer, SurveyResponse


def test_models_and_migrations_agree(app, db):
    # The session fixture built the schema with `flask db upgrade`; compare it to the models.
    # The test's own connection: SQLite lets no second one in while it holds the write lock.
    connection = db.session.connection()
    context = MigrationContext.configure(
        connection,
        opts={
            "compare_type": True,
            "compare_server_default": False,
            "include_object": compares_on(connection.dialect.name),
        },
    )
    differences = compare_metadata(context, _db.metadata)
    assert differences == [], f"models and migrations disagree: {differences}"


@pytest.fixture
def scratch_app(make_app, database_url, tmp_path):
    """An application on an empty database of its own, to walk revisions up and down: a
    SQLite file, or on PostgreSQL a schema of the test database put first on the path."""
    if not database_url.startswith("postgresql"):
        yield make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/revisions.db")
        return
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCRATCH} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {SCRATCH}"))
    separator = "&" if "?" in database_url else "?"
    url = f"{database_url}{separator}options=-csearch_path%3D{SCRATCH}"
    try:
        yield make_app(SQLALCHEMY_DATABASE_URI=url)
    finally:
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {SCRATCH} CASCADE"))
        engine.dispose()


SCRATCH = "revision_walk"


def _store_attempt(user, course, module, number: int, answers: dict | None, **closing):
    """A quiz_attempt row as the code before revision 0012 stored it, written with Core."""
    quiz = module.quiz
    result = grade(quiz, answers or {})
    now = utcnow()
    values = {
        "user_id": user.id,
        "family": course.family,
        "module_slug": module.slug,
        "course_id": course.id,
        "module_version_id": module.id,
        "number": number,
        "status": "submitted",
        "token": f"token-{user.id}-{module.id}-{number}",
        "question_order": [q["id"] for q in quiz["questions"]],
        "started_at": now,
        "submitted_at": now,
        "is_late": False,
        "answers": answers,
        "results": result.points_by_question(),
        "score": result.points,
        "max_score": result.max_points,
        "score_percent": result.percent,
        "is_passed": result.passed,
        **closing,
    }
    table = QuizAttempt.__table__
    columns = [c for c in table.c if c.key in values]
    _db.session.execute(table.insert().values({c: values[c.key] for c in columns}))


def test_revision_0012_fills_answer_rows_from_the_attempts_stored_before_it(scratch_app, tmp_path):
    from flask_migrate import downgrade, upgrade

    from tests.factories import Factories
    from tests.learning.conftest import import_folder, lesson, quiz_module, write_course

    survey = "? Useful? {id=useful}\n~ scale 1-5\n\n? Say more {id=more}\n~ text\n"
    with scratch_app.app_context():
        upgrade()
        make = Factories(_db, tmp_path)
        ana, ben = make.user(full_name="Ana"), make.user(full_name="Ben")
        folder = write_course(
            tmp_path / "courses",
            "walked",
            {
                "01-intro.md": lesson(),
                "02-quiz.md": quiz_module("pass: 50"),
                "03-survey.md": quiz_module("anonymous: yes", survey, kind="survey"),
            },
        )
        course = import_folder(folder)
        _db.session.commit()
        quiz, survey_module = current_modules(course)[1:]
        _db.session.remove()  # SQLite: no open transaction while the schema changes
        downgrade(revision="0011")

        # At revision 0011: attempts and an anonymous response as they were stored then.
        right = {"pick": ["b"], "many": ["a", "b"], "num": ["10,0"], "word": ["  QUITO "]}
        partial = {"pick": ["a"], "many": ["a", "c"]}
        _store_attempt(ana, course, quiz, 1, right)
        _store_attempt(ana, course, quiz, 2, partial)
        _store_attempt(ben, course, quiz, 1, None, status="expired", results=None, score=None)
        _store_attempt(ben, course, survey_module, 1, None)  # anonymous: no answers kept
        response = SurveyResponse.__table__
        _db.session.execute(
            response.insert().values(
                id="f" * 32,
                family=course.family,
                module_slug=survey_module.slug,
                course_id=course.id,
                module_version_id=survey_module.id,
                submitted_on=utcnow().date(),
                answers={"useful": ["4"], "more": ["Fine "]},
            )
        )
        _db.session.commit()
        _db.session.remove()

        upgrade(revision="0012")
        rows = _db.session.execute(
            select(QuizAttempt.user_id, QuizAttempt.number, AttemptAnswer)
            .join(AttemptAnswer, AttemptAnswer.attempt_id == QuizAttempt.id)
            .order_by(QuizAttempt.user_id, QuizAttempt.number, AttemptAnswer.question_id)
        ).all()
        found = {(user_id, number): [] for user_id, number, _ in rows}
        for user_id, number, answer in rows:
            found[(user_id, number)].append(_fact_of(answer))
        # The same rows as the attempt's closing writes today, for the same answers.
        assert found == {
            (ana.id, 1): _live_facts(quiz.quiz, right),
            (ana.id, 2): _live_facts(quiz.quiz, partial),
        }
        assert [f.value for f in found[(ana.id, 1)]] == ["a,b", "10", "b", "quito"]
        survey_rows = _db.session.execute(
            select(SurveyResponse.institution_id, SurveyResponse.cohort_id, SurveyAnswer)
            .join(SurveyAnswer)
            .order_by(SurveyAnswer.question_id)
        ).all()
        assert [(i, c, a.question_id, a.value, a.number) for i, c, a in survey_rows] == [
            (None, None, "more", "Fine", None),
            (None, None, "useful", "4", 4.0),
        ]
        _db.session.remove()
        upgrade()


def _fact_of(answer: AttemptAnswer) -> AnswerFact:
    return AnswerFact(
        question_id=answer.question_id,
        question_type=answer.question_type,
        value=answer.value,
        number=answer.number,
        score=answer.score,
        max_score=answer.max_score,
        is_correct=answer.is_correct,
    )


def _live_facts(quiz: dict, answers: dict) -> list[AnswerFact]:
    facts = answer_facts(quiz, answers, grade(quiz, answers))
    return sorted(facts, key=lambda fact: fact.question_id)


def test_revision_0020_says_what_to_do_when_pg_trgm_cannot_be_created(monkeypatch):
    """A server without PostgreSQL's contrib package, or a role that may not create the
    extension: the upgrade stops with what to run, not with the driver's error alone."""
    import contextlib
    import importlib.util
    from pathlib import Path

    from sqlalchemy.exc import DBAPIError

    path = Path(__file__).parents[1] / "migrations" / "versions" / "0020_people_list_indexes.py"
    spec = importlib.util.spec_from_file_location("revision_0020", path)
    revision = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(revision)

    class RefusingBind:
        def begin_nested(self):
            return contextlib.nullcontext()

        def execute(self, statement):
            raise DBAPIError(str(statement), {}, Exception('extension "pg_trgm" is not available'))

    class Operations:
        def get_bind(self):
            return RefusingBind()

    monkeypatch.setattr(revision, "op", Operations())
    with pytest.raises(RuntimeError) as raised:
        revision._create_trigram_indexes()
    message = str(raised.value)
    assert 'extension "pg_trgm" is not available' in message
    assert "CREATE EXTENSION pg_trgm;" in message
    assert "db upgrade" in message
