"""Answers in SQL: each scored attempt writes one row per question, once, in its transaction;
anonymous survey answers keep their institution and cohort, never the person."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, insert, inspect, select
from sqlalchemy.exc import IntegrityError

from tests.learning.conftest import (
    RIGHT,
    WRONG,
    import_folder,
    lesson,
    quiz_module,
    take,
    write_course,
)
from trainer.auth.models import Role
from trainer.cohorts import services as cohorts
from trainer.courses.services import current_modules
from trainer.dbtypes import utcnow
from trainer.learning import attempts, services
from trainer.learning.answer_facts import answer_facts, normalised, plain_number
from trainer.learning.grading import grade
from trainer.learning.models import AttemptAnswer, QuizAttempt, SurveyAnswer, SurveyResponse

SURVEY = """\
? How useful? {id=useful}
~ scale 1-5: Not useful | Very useful

? What would you change? {id=change}
~ text
"""


def rows_of(db, attempt_id: int) -> dict[str, tuple]:
    found = db.session.scalars(
        select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt_id)
    ).all()
    return {
        row.question_id: (row.question_type, row.value, row.number, row.score, row.is_correct)
        for row in found
    }


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    ("question", "values", "expected"),
    [
        ({"type": "single"}, ["b"], ("b", None)),
        ({"type": "single"}, ["b", "a"], ("a,b", None)),  # forged: never groups with "b"
        ({"type": "multiple"}, ["c", "a", "c"], ("a,c", None)),
        ({"type": "multiple"}, [], (None, None)),
        ({"type": "true_false"}, [" TRUE "], ("true", None)),
        ({"type": "short_text"}, ["  Ciudad de MÉXICO "], ("ciudad de mexico", None)),
        ({"type": "short_text"}, ["   "], (None, None)),
        ({"type": "numeric"}, ["3,50"], ("3.5", 3.5)),
        ({"type": "numeric"}, ["10.0"], ("10", 10.0)),
        ({"type": "numeric"}, ["-0"], ("0", -0.0)),
        ({"type": "numeric"}, ["-2.25"], ("-2.25", -2.25)),
        ({"type": "numeric"}, ["ten"], ("ten", None)),
        ({"type": "scale", "scale": {"low": 1, "high": 5}}, ["4"], ("4", 4.0)),
        ({"type": "scale", "scale": {"low": 1, "high": 5}}, ["9"], ("9", None)),
        ({"type": "free_text"}, [" Line one\r\nLine two "], ("Line one\nLine two", None)),
    ],
)
def test_values_are_normalised_per_question_type(question, values, expected):
    assert normalised(question, values) == expected


def test_plain_numbers_have_one_spelling():
    assert [plain_number(n) for n in (3.0, 0.1, -7.0, 1e16, 2.5e-7)] == [
        "3",
        "0.1",
        "-7",
        "1e+16",
        "2.5e-07",
    ]


def test_every_question_has_a_fact_answered_or_not():
    quiz = {
        "settings": {"pass_percent": 50},
        "questions": [
            {
                "id": "pick",
                "type": "single",
                "points": 2.0,
                "choices": [{"key": "a", "is_correct": False}, {"key": "b", "is_correct": True}],
            },
            {
                "id": "many",
                "type": "multiple",
                "points": 1.0,
                "choices": [
                    {"key": "a", "is_correct": True},
                    {"key": "b", "is_correct": True},
                    {"key": "c", "is_correct": False},
                ],
            },
            {"id": "open", "type": "free_text", "points": 1.0},
        ],
    }
    answers = {"pick": ["b"], "many": ["a", "c"]}
    facts = answer_facts(quiz, answers, grade(quiz, answers))
    assert [(f.question_id, f.value, f.score, f.max_score, f.is_correct) for f in facts] == [
        ("pick", "b", 2.0, 2.0, True),
        # (1 right - 1 wrong) / 2 right = 0 points.
        ("many", "a,c", 0.0, 1.0, False),
        ("open", None, None, None, None),
    ]


@pytest.fixture
def participant(client, make, login_as):
    user = make.user()
    login_as(user)
    return user


def test_a_scored_attempt_writes_one_row_per_question(client, participant, quiz_course, db):
    quiz_course("pass: 50\nattempts: 3")
    assert client.post("/courses/quiz-course/enrol").status_code == 302
    right = take(client, "quiz-course", "quiz", RIGHT)
    assert rows_of(db, right) == {
        "pick": ("single", "b", None, 1.0, True),
        "many": ("multiple", "a,b", None, 1.0, True),
        "num": ("numeric", "10", 10.0, 1.0, True),
        "word": ("short_text", "quito", None, 1.0, True),
    }
    # Unanswered questions have a row too: no value, no points.
    partial = take(client, "quiz-course", "quiz", {"q-pick": "a", "q-word": "  LIMA "})
    assert rows_of(db, partial) == {
        "pick": ("single", "a", None, 0.0, False),
        "many": ("multiple", None, None, 0.0, False),
        "num": ("numeric", None, None, 0.0, False),
        "word": ("short_text", "lima", None, 0.0, False),
    }
    wrong = take(client, "quiz-course", "quiz", WRONG)
    assert rows_of(db, wrong)["num"] == ("numeric", "3", 3.0, 0.0, False)
    assert count(db, AttemptAnswer) == 12


def _open_attempt(make, quiz_course, settings="pass: 50"):
    user = make.user()
    course = quiz_course(settings)
    enrolment = services.enrol(user, course)
    module = current_modules(course)[1]
    return attempts.start_attempt(user, enrolment, course, module)


def test_a_second_submit_writes_no_second_set_of_rows(make, quiz_course, db):
    attempt = _open_attempt(make, quiz_course)
    first = attempts.submit_attempt(attempt, {"pick": ["b"]})
    again = attempts.submit_attempt(attempt, {"pick": ["a"]})
    assert (first.status, again.status) == (attempts.SCORED, attempts.ALREADY_SUBMITTED)
    assert rows_of(db, attempt.id)["pick"] == ("single", "b", None, 1.0, True)
    assert count(db, AttemptAnswer) == 4


def test_the_database_refuses_a_second_row_for_one_question(make, quiz_course, db):
    attempt = _open_attempt(make, quiz_course)
    attempts.submit_attempt(attempt, {"pick": ["b"]})
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.execute(
            insert(AttemptAnswer).values(
                attempt_id=attempt.id, question_id="pick", question_type="single", value="a"
            )
        )


def test_an_attempt_closed_unscored_writes_no_row(make, quiz_course, db):
    attempt = _open_attempt(make, quiz_course, "pass: 50\ntime-limit: 5\nlate: refuse")
    late = attempt.started_at + timedelta(minutes=10)
    outcome = attempts.submit_attempt(attempt, {"pick": ["b"]}, now=late)
    assert outcome.status == attempts.REFUSED_LATE
    assert count(db, AttemptAnswer) == 0


def test_late_answers_scored_as_sent_are_written(make, quiz_course, db):
    attempt = _open_attempt(make, quiz_course, "pass: 50\ntime-limit: 5\nlate: score-answered")
    late = attempt.started_at + timedelta(minutes=10)
    assert attempts.submit_attempt(attempt, {"num": ["9.5"]}, now=late).is_late
    assert rows_of(db, attempt.id)["num"] == ("numeric", "9.5", 9.5, 1.0, True)


def test_computing_a_closed_view_writes_nothing(make, quiz_course, db):
    attempt = _open_attempt(make, quiz_course, "pass: 50\ntime-limit: 5\nlate: score-answered")
    attempts.as_closed(attempt, attempt.started_at + timedelta(minutes=10))
    assert count(db, AttemptAnswer) == 0


def _survey_course(db, tmp_path, settings: str):
    folder = write_course(
        tmp_path,
        "survey-course",
        {"01-intro.md": lesson(), "02-survey.md": quiz_module(settings, SURVEY, kind="survey")},
    )
    course = import_folder(folder)
    db.session.flush()
    return course


def test_a_named_survey_writes_rows_without_scores_for_its_survey_questions(make, db, tmp_path):
    course = _survey_course(db, tmp_path, "")
    user = make.user()
    enrolment = services.enrol(user, course)
    attempt = attempts.start_attempt(user, enrolment, course, current_modules(course)[1])
    attempts.submit_attempt(attempt, {"useful": ["4"], "change": ["More cases"]})
    assert rows_of(db, attempt.id) == {
        "useful": ("scale", "4", 4.0, None, None),
        "change": ("free_text", "More cases", None, None, None),
    }
    assert count(db, SurveyResponse) == 0


def test_an_anonymous_survey_keeps_institution_and_cohort_never_the_person(make, db, tmp_path):
    course = _survey_course(db, tmp_path, "anonymous: yes")
    quito = make.institution(name="Quito")
    admin = make.user(Role.ADMIN)
    ana = make.user(institution=quito)
    cohort = cohorts.create_cohort(
        admin,
        course,
        name="March",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 3, 31),
        timezone="America/Guayaquil",
        institutions=[quito],
    )
    cohorts.add_member(admin, cohort, ana)
    enrolment = services.find_enrolment(ana, course.family)
    attempt = attempts.start_attempt(ana, enrolment, course, current_modules(course)[1])
    now = utcnow()
    attempts.submit_attempt(attempt, {"useful": ["5"], "change": ["  Less. "]}, now=now)

    assert count(db, AttemptAnswer) == 0
    assert db.session.get(QuizAttempt, attempt.id).answers is None
    response = db.session.scalar(select(SurveyResponse))
    assert (response.institution_id, response.cohort_id) == (quito.id, cohort.id)
    assert (response.family, response.module_slug, response.submitted_on) == (
        course.family,
        "survey",
        now.date(),
    )
    answers = db.session.scalars(select(SurveyAnswer).order_by(SurveyAnswer.question_id)).all()
    assert [(a.question_id, a.value, a.number) for a in answers] == [
        ("change", "Less.", None),
        ("useful", "5", 5.0),
    ]
    assert {a.response_id for a in answers} == {response.id}


def test_nothing_in_an_anonymous_response_leads_back_to_the_person(db):
    # What the tables can hold: no user, no attempt, no time of day, no serial number.
    columns = {
        table: {
            c["name"]: str(c["type"]) for c in inspect(db.session.connection()).get_columns(table)
        }
        for table in ("survey_response", "survey_answer")
    }
    assert set(columns["survey_response"]) == {
        "id",
        "family",
        "module_slug",
        "course_id",
        "module_version_id",
        "submitted_on",
        "institution_id",
        "cohort_id",
        "answers",
    }
    assert columns["survey_response"]["submitted_on"] == "DATE"
    assert set(columns["survey_answer"]) == {
        "response_id",
        "question_id",
        "question_type",
        "value",
        "number",
    }


def test_a_respondent_outside_any_cohort_is_kept_with_their_institution_only(make, db, tmp_path):
    course = _survey_course(db, tmp_path, "anonymous: yes")
    user = make.user()
    enrolment = services.enrol(user, course)
    attempt = attempts.start_attempt(user, enrolment, course, current_modules(course)[1])
    attempts.submit_attempt(attempt, {"useful": ["3"]})
    response = db.session.scalar(select(SurveyResponse))
    assert (response.institution_id, response.cohort_id) == (user.institution_id, None)
