"""Two submits of one attempt racing on two connections: one scored attempt is stored."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from tests.factories import Factories
from trainer.auth import logins
from trainer.courses.services import current_modules
from trainer.extensions import db as _db
from trainer.learning import attempts, services
from trainer.learning.models import AttemptAnswer, ModuleProgress, QuizAttempt

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def open_attempt(app, committing_db, tmp_path):
    if committing_db.engine.dialect.name != "postgresql":
        pytest.skip(
            "needs PostgreSQL (TEST_DATABASE_URL): SQLite lets one writer at a time hold the "
            "whole database, so two submits never race on the row; the conditional UPDATE is "
            "covered sequentially by test_a_double_submit_is_scored_once"
        )
    make = Factories(committing_db, tmp_path)
    user = make.user()
    course = make.course(modules=2)
    enrolment = services.enrol(user, course)
    module = current_modules(course)[1]
    attempt = attempts.start_attempt(user, enrolment, course, module)
    committing_db.session.commit()
    return user, attempt.id, attempt.token


def race(monkeypatch, work) -> list:
    """Run ``work(answer)`` in two threads that both reach the UPDATE at the same moment:
    each has read the attempt (in progress) and scored it before either writes."""
    barrier = threading.Barrier(2, timeout=10)
    grade = attempts.grade

    def grade_then_wait(*args, **kwargs):
        result = grade(*args, **kwargs)
        barrier.wait()
        return result

    monkeypatch.setattr(attempts, "grade", grade_then_wait)
    results: list = []
    errors: list = []

    def run(answer: str) -> None:
        try:
            results.append(work(answer))
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(answer,)) for answer in ("true", "false")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results


def assert_one_scored_attempt(attempt_id: int, user_id: int) -> QuizAttempt:
    _db.session.expire_all()
    attempt = _db.session.get(QuizAttempt, attempt_id)
    assert attempt.is_submitted
    assert attempt.score_percent in (0.0, 100.0)
    assert _db.session.scalar(select(func.count(QuizAttempt.id))) == 1
    # The winner's answer alone is stored for reports: one row for the quiz's one question.
    answers = _db.session.scalars(select(AttemptAnswer)).all()
    assert [(a.attempt_id, a.question_id) for a in answers] == [(attempt_id, "q-2")]
    assert answers[0].is_correct == (attempt.score_percent == 100.0)
    progress = _db.session.scalars(
        select(ModuleProgress).where(ModuleProgress.user_id == user_id)
    ).all()
    assert len(progress) <= 1
    return attempt


def test_concurrent_submits_in_services_score_once(app, open_attempt, monkeypatch):
    user, attempt_id, _token = open_attempt

    def submit(answer: str) -> str:
        with app.app_context():
            try:
                attempt = attempts.find_attempt(attempt_id)
                outcome = attempts.submit_attempt(attempt, {"q-2": [answer]})
                _db.session.commit()
                return outcome.status
            finally:
                _db.session.remove()

    statuses = race(monkeypatch, submit)
    assert sorted(statuses) == [attempts.ALREADY_SUBMITTED, attempts.SCORED]
    assert_one_scored_attempt(attempt_id, user.id)


def test_concurrent_submits_through_two_tabs_score_once(
    app, committing_db, open_attempt, monkeypatch
):
    user, attempt_id, token = open_attempt
    session_id = logins.start(user, "test client")
    committing_db.session.commit()

    def post(answer: str) -> str:
        # Two tabs of one browser: the same log-in.
        tab = app.test_client()
        with tab.session_transaction() as session:
            session["_user_id"] = session_id
            session["_fresh"] = True
        response = tab.post(
            f"/attempts/{attempt_id}",
            data={"q-q-2": answer, "attempt_token": token},
            csrf=False,
            follow_redirects=True,
        )
        assert response.status_code == 200
        return response.get_data(as_text=True)

    pages = race(monkeypatch, post)
    assert sum("already been sent" in page for page in pages) == 1
    attempt = assert_one_scored_attempt(attempt_id, user.id)
    assert attempt.answers["q-2"] in (["true"], ["false"])
