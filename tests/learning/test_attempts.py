"""Quiz attempts through the pages: started on the server, scored once, deadlines enforced."""

from __future__ import annotations

import random
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from tests.factories import DEFAULT_PASSWORD
from tests.learning.conftest import (
    QUESTIONS,
    RIGHT,
    WRONG,
    import_folder,
    lesson,
    quiz_module,
    start,
    take,
    token_of,
    write_course,
)
from trainer.courses.services import current_modules
from trainer.dbtypes import utcnow
from trainer.learning import attempts, services
from trainer.learning.models import QuizAttempt

QUIZ = "/courses/quiz-course/modules/quiz"


@pytest.fixture
def participant(client, make, login_as):
    user = make.user()
    login_as(user)
    return user


def enrol(client) -> None:
    assert client.post("/courses/quiz-course/enrol").status_code == 302


def stored(db, attempt_id: int) -> QuizAttempt:
    db.session.expire_all()
    return db.session.get(QuizAttempt, attempt_id)


def move_deadline(db, attempt_id: int, seconds_ago: int) -> None:
    db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt_id)
        .values(deadline_at=utcnow() - timedelta(seconds=seconds_ago))
    )


def send(client, attempt_id: int, answers: dict, **kwargs):
    token = token_of(client.get(f"/attempts/{attempt_id}").get_data(as_text=True))
    return client.post(
        f"/attempts/{attempt_id}", data={**answers, "attempt_token": token}, csrf=False, **kwargs
    )


def test_starting_creates_the_attempt_on_the_server(client, participant, quiz_course, db):
    quiz_course("pass: 50\nattempts: 2\ntime-limit: 10")
    enrol(client)
    before = utcnow()
    attempt_id = start(client, "quiz-course", "quiz")
    attempt = stored(db, attempt_id)
    assert attempt.number == 1
    assert attempt.is_in_progress
    assert attempt.question_order == ["pick", "many", "num", "word"]
    assert attempt.deadline_at - attempt.started_at == timedelta(minutes=10)
    assert attempt.started_at >= before - timedelta(seconds=1)
    assert len(attempt.token) >= 40
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "About 10 minutes left" in page
    # Starting again while it is open returns the same attempt.
    assert start(client, "quiz-course", "quiz") == attempt_id


def test_shuffled_order_is_stored_and_used_by_the_page(client, participant, quiz_course, db):
    course = quiz_course("pass: 50\nshuffle: yes")
    enrolment = services.enrol(participant, course)
    module = next(m for m in current_modules(course) if m.slug == "quiz")
    attempt = attempts.start_attempt(participant, enrolment, course, module, rng=random.Random(4))
    assert sorted(attempt.question_order) == ["many", "num", "pick", "word"]
    assert attempt.question_order != ["pick", "many", "num", "word"]
    html = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    shown = re.findall(r'<fieldset class="question" id="question-([a-z]+)"', html)
    assert shown == attempt.question_order


def test_the_attempt_limit_is_kept(client, participant, quiz_course, db):
    quiz_course("pass: 50\nattempts: 2")
    enrol(client)
    take(client, "quiz-course", "quiz", WRONG)
    page = client.get(QUIZ).get_data(as_text=True)
    assert "Quiz not passed yet" in page
    assert "1 left" in page
    take(client, "quiz-course", "quiz", WRONG)
    refused = client.post(f"{QUIZ}/attempts", follow_redirects=True)
    assert "You have used all 2 attempts at this quiz." in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == 2
    page = client.get(QUIZ).get_data(as_text=True)
    assert "You have no attempts left at this quiz." in page
    assert "Quiz not passed, no attempts left" in page


def test_a_double_submit_is_scored_once(client, participant, quiz_course, db):
    quiz_course("pass: 50")
    enrol(client)
    attempt_id = start(client, "quiz-course", "quiz")
    token = token_of(client.get(f"/attempts/{attempt_id}").get_data(as_text=True))
    first = client.post(
        f"/attempts/{attempt_id}", data={**WRONG, "attempt_token": token}, csrf=False
    )
    again = client.post(
        f"/attempts/{attempt_id}",
        data={**RIGHT, "attempt_token": token},
        csrf=False,
        follow_redirects=True,
    )
    assert first.status_code == 302
    assert "These answers had already been sent" in again.get_data(as_text=True)
    attempt = stored(db, attempt_id)
    assert attempt.score_percent == 0.0
    assert attempt.answers["pick"] == ["a"]


def test_late_answers_are_refused_past_the_grace(client, participant, quiz_course, db):
    quiz_course("pass: 50\nattempts: 3\ntime-limit: 5\nlate: refuse")
    enrol(client)
    attempt_id = start(client, "quiz-course", "quiz")
    token = token_of(client.get(f"/attempts/{attempt_id}").get_data(as_text=True))
    move_deadline(db, attempt_id, seconds_ago=int(attempts.DEADLINE_GRACE.total_seconds()) + 5)
    response = client.post(
        f"/attempts/{attempt_id}",
        data={**RIGHT, "attempt_token": token},
        csrf=False,
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "does not accept answers after its time limit" in html
    assert "closed without a score" in html
    attempt = stored(db, attempt_id)
    assert attempt.status == "expired"
    assert attempt.score_percent is None
    assert attempt.answers is None
    assert "2 left" in client.get(QUIZ).get_data(as_text=True)  # it counted


def test_answers_within_the_grace_are_on_time(client, participant, quiz_course, db):
    quiz_course("pass: 50\ntime-limit: 5\nlate: refuse")
    enrol(client)
    attempt_id = start(client, "quiz-course", "quiz")
    token = token_of(client.get(f"/attempts/{attempt_id}").get_data(as_text=True))
    move_deadline(db, attempt_id, seconds_ago=10)
    client.post(f"/attempts/{attempt_id}", data={**RIGHT, "attempt_token": token}, csrf=False)
    attempt = stored(db, attempt_id)
    assert attempt.is_submitted
    assert not attempt.is_late
    assert attempt.is_passed


def test_score_answered_scores_late_answers_and_marks_them(client, participant, quiz_course, db):
    quiz_course("pass: 50\ntime-limit: 5\nlate: score-answered")
    enrol(client)
    attempt_id = start(client, "quiz-course", "quiz")
    token = token_of(client.get(f"/attempts/{attempt_id}").get_data(as_text=True))
    move_deadline(db, attempt_id, seconds_ago=600)
    response = client.post(
        f"/attempts/{attempt_id}",
        data={"q-pick": "b", "q-word": "Quito", "attempt_token": token},
        csrf=False,
        follow_redirects=True,
    )
    assert "arrived after the time limit" in response.get_data(as_text=True)
    attempt = stored(db, attempt_id)
    assert attempt.is_submitted
    assert attempt.is_late
    assert attempt.score_percent == 50.0


def test_an_abandoned_attempt_closes_when_its_time_is_up(client, participant, quiz_course, db):
    quiz_course("pass: 50\nattempts: 2\ntime-limit: 5")
    enrol(client)
    attempt_id = start(client, "quiz-course", "quiz")
    move_deadline(db, attempt_id, seconds_ago=3600)
    html = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "closed without a score" in html
    # Pages only read: it is shown closed, and stored closed by the participant's next write.
    assert stored(db, attempt_id).status == "in_progress"
    assert "Continue your attempt" not in client.get(QUIZ).get_data(as_text=True)
    # The next start makes attempt 2 rather than reopening the expired one.
    assert stored(db, start(client, "quiz-course", "quiz")).number == 2
    assert stored(db, attempt_id).status == "expired"


def test_cleanup_stores_abandoned_attempts_closed(client, participant, quiz_course, db):
    quiz_course("pass: 50\ntime-limit: 5")
    enrol(client)
    attempt_id = start(client, "quiz-course", "quiz")
    move_deadline(db, attempt_id, seconds_ago=3600)
    assert attempts.close_overdue() == 1
    assert stored(db, attempt_id).status == "expired"
    assert attempts.close_overdue() == 0


def test_answers_sent_after_the_session_expired_are_kept(client, make, quiz_course, db):
    quiz_course("pass: 50")
    user = make.user()
    response = client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    enrol(client)
    attempt_id = start(client, "quiz-course", "quiz")
    token = token_of(client.get(f"/attempts/{attempt_id}").get_data(as_text=True))

    with client.session_transaction() as session:  # the session expires while answering
        session.clear()
    response = client.post(
        f"/attempts/{attempt_id}", data={**RIGHT, "attempt_token": token}, csrf=False
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/login?next=/attempts/{attempt_id}"
    attempt = stored(db, attempt_id)
    assert attempt.is_in_progress
    assert attempt.draft_answers["pick"] == ["b"]

    response = client.post(
        "/login",
        data={"email": user.email, "password": DEFAULT_PASSWORD, "next": f"/attempts/{attempt_id}"},
    )
    assert response.headers["Location"] == f"/attempts/{attempt_id}"
    html = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "Your session had expired when you sent these answers" in html
    assert 'value="b" checked' in html
    assert 'value="quito"' in html
    client.post(f"/attempts/{attempt_id}", data={**RIGHT, "attempt_token": token}, csrf=False)
    attempt = stored(db, attempt_id)
    assert attempt.is_passed
    assert attempt.draft_answers is None


def test_an_anonymous_post_without_the_token_keeps_nothing(client, participant, quiz_course, db):
    quiz_course("pass: 50")
    enrol(client)
    attempt_id = start(client, "quiz-course", "quiz")
    with client.session_transaction() as session:
        session.clear()
    response = client.post(
        f"/attempts/{attempt_id}", data={**RIGHT, "attempt_token": "guess"}, csrf=False
    )
    assert response.status_code == 302
    assert stored(db, attempt_id).draft_answers is None


def test_a_wrong_token_is_refused_with_a_message(client, participant, quiz_course, db):
    quiz_course("pass: 50")
    enrol(client)
    attempt_id = start(client, "quiz-course", "quiz")
    response = client.post(
        f"/attempts/{attempt_id}", data={**RIGHT, "attempt_token": "forged"}, csrf=False
    )
    assert response.status_code == 400
    assert "This quiz form is out of date" in response.get_data(as_text=True)
    assert stored(db, attempt_id).is_in_progress


def test_nonsense_answers_are_wrong_not_errors(client, participant, quiz_course, db):
    quiz_course("pass: 50")
    enrol(client)
    attempt_id = start(client, "quiz-course", "quiz")
    answers = {"q-pick": "zzz", "q-many": ["x", "y", "a"], "q-num": "ten", "q-nope": "1"}
    assert send(client, attempt_id, answers).status_code == 302
    attempt = stored(db, attempt_id)
    assert attempt.score_percent == 0.0
    assert "nope" not in attempt.answers


def test_an_answer_over_the_size_limit_is_refused_at_its_field(
    client, participant, quiz_course, db
):
    quiz_course("pass: 50")
    enrol(client)
    attempt_id = start(client, "quiz-course", "quiz")
    response = send(client, attempt_id, {"q-pick": "b", "q-word": "x" * 501})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="question-word-error"' in html
    assert 'aria-describedby="question-word-error"' in html
    assert "at most 500 characters" in html
    assert 'value="b" checked' in html  # what was sent is kept
    assert stored(db, attempt_id).is_in_progress


def test_somebody_elses_attempt_is_not_found(client, make, login_as, quiz_course, db):
    quiz_course("pass: 50")
    owner = make.user()
    login_as(owner)
    enrol(client)
    attempt_id = start(client, "quiz-course", "quiz")
    token = token_of(client.get(f"/attempts/{attempt_id}").get_data(as_text=True))
    login_as(make.user())
    assert client.get(f"/attempts/{attempt_id}").status_code == 404
    response = client.post(
        f"/attempts/{attempt_id}", data={**RIGHT, "attempt_token": token}, csrf=False
    )
    assert response.status_code == 404
    assert stored(db, attempt_id).is_in_progress


@pytest.mark.parametrize(
    ("reveal", "after_fail", "after_pass"),
    [
        ("never", False, False),
        ("after-pass", False, True),
        ("after-last-attempt", False, True),  # the pass was the second and last attempt
        ("always", True, True),
    ],
)
def test_answers_are_revealed_as_the_quiz_says(
    client, participant, quiz_course, reveal, after_fail, after_pass
):
    quiz_course(f"pass: 50\nattempts: 2\nreveal: {reveal}")
    enrol(client)
    failed = take(client, "quiz-course", "quiz", WRONG)
    html = client.get(f"/attempts/{failed}").get_data(as_text=True)
    assert ("A is not it." in html) is after_fail  # per-choice feedback
    assert ("right answer" in html) is after_fail
    assert "The capital." in html  # a lesson's question feedback, whatever `reveal` says
    passed = take(client, "quiz-course", "quiz", RIGHT)
    html = client.get(f"/attempts/{passed}").get_data(as_text=True)
    assert ("Answers and feedback" in html) is after_pass
    assert ("right answer" in html) is after_pass


def question_results(html: str) -> list[tuple[str, str]]:
    """(heading number, status in words) of each question marked on a result page."""
    return re.findall(
        r'<h3 id="result-[^"]+">Question (\d+)\s*<span class="sr-only">:</span>\s*'
        r'<span class="badge [^"]+">([^<]+)</span>',
        html,
    )


def test_a_failed_lesson_quiz_marks_each_question_with_its_feedback(
    client, participant, quiz_course
):
    """Whatever `reveal` says: right or wrong in words, and the question's own feedback, so
    the next attempt is not blind. The right answers and the choices' feedback stay hidden."""
    quiz_course("pass: 50\nattempts: 3\nreveal: never")
    enrol(client)
    answers = {"q-pick": "a", "q-many": ["a"], "q-num": "10", "q-word": "Lima"}
    attempt_id = take(client, "quiz-course", "quiz", answers)
    html = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "Not passed" in html
    assert "Your answers, question by question" in html
    assert question_results(html) == [
        ("1", "Not right"),
        ("2", "Partly right"),
        ("3", "Right"),
        ("4", "Not right"),
    ]
    assert "The capital." in html  # question feedback
    assert "Lima" in html  # what the participant answered
    assert "your choice" in html
    assert "A is not it." not in html  # per-choice feedback: `reveal` decides
    assert "Right: B." not in html
    assert "right answer" not in html
    assert "Right answer:" not in html
    assert "Quito" not in html
    assert "The correct answers of this quiz are not shown." in html


@pytest.mark.parametrize(
    ("kind", "settings"),
    [
        ("pre-test", "reveal: after-pass"),
        ("post-test", "pass: 50\nattempts: 2\nreveal: after-last-attempt"),
    ],
)
def test_a_pre_test_or_post_test_shows_nothing_per_question(
    client, participant, quiz_course, kind, settings
):
    """Their scores measure learning gain: no question marked, no feedback, until `reveal`
    allows it (a post-test with an attempt left must not teach its own answers)."""
    quiz_course(settings, kind=kind)
    enrol(client)
    attempt_id = take(client, "quiz-course", "quiz", WRONG)
    html = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "Your score: 0%" in html
    assert question_results(html) == []
    assert "question-result" not in html
    assert "Not right" not in html
    assert "The capital." not in html
    assert "A is not it." not in html
    assert "Lima" not in html


SURVEY = """\
? How useful? {id=useful}
~ scale 1-5: Not useful | Very useful

? What would you change? {id=change}
~ text
"""


@pytest.mark.parametrize("anonymous", [True, False])
def test_a_survey_is_answered_once_without_a_score(
    client, participant, quiz_course, db, tmp_path, anonymous
):
    from tests.learning.conftest import import_folder, lesson, quiz_module, write_course
    from trainer.learning.models import SurveyResponse

    settings = "anonymous: yes" if anonymous else ""
    folder = write_course(
        tmp_path,
        "quiz-course",
        {"01-intro.md": lesson(), "02-quiz.md": quiz_module(settings, SURVEY, kind="survey")},
    )
    import_folder(folder)
    enrol(client)
    attempt_id = start(client, "quiz-course", "quiz")
    html = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert '<label for="question-useful-1">1 <span lang="en">(Not useful)</span></label>' in html
    assert '<label for="question-change-answer">' in html
    send(client, attempt_id, {"q-useful": "4", "q-change": "More examples."})
    result = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "Your score" not in result
    assert ("recorded anonymously" in result) is anonymous
    attempt = stored(db, attempt_id)
    assert attempt.score_percent is None
    responses = db.session.scalars(select(SurveyResponse)).all()
    if anonymous:
        assert attempt.answers is None
        assert [r.answers for r in responses] == [{"useful": ["4"], "change": ["More examples."]}]
    else:
        assert attempt.answers == {"useful": ["4"], "change": ["More examples."]}
        assert responses == []
    refused = client.post(f"{QUIZ}/attempts", follow_redirects=True)
    assert "You have used your only attempt" in refused.get_data(as_text=True)
    assert "Completed" in client.get("/courses/quiz-course").get_data(as_text=True)


def test_a_pre_test_takes_one_attempt_and_counts_as_done_when_sent(
    client, participant, quiz_course, db
):
    quiz_course("reveal: never", kind="pre-test")
    enrol(client)
    attempt_id = take(client, "quiz-course", "quiz", WRONG)
    html = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "Your score: 0%" in html
    assert "does not count towards completion" in html
    assert "Not passed" not in html
    course_page = client.get("/courses/quiz-course").get_data(as_text=True)
    assert "Take the pre-test" not in course_page
    assert client.post(f"{QUIZ}/attempts").status_code == 302
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == 1


def test_a_high_pre_test_score_does_not_reveal_answers_after_pass(client, participant, quiz_course):
    """A pre-test is never "passed": `after-pass` (the default) must not show its answers,
    which the post-test asks again, to whoever scores above the pass mark."""
    quiz_course("pass: 50", kind="pre-test")
    enrol(client)
    attempt_id = take(client, "quiz-course", "quiz", RIGHT)
    html = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "Your score: 100%" in html
    assert "Answers and feedback" not in html
    assert "The capital." not in html
    assert "right answer" not in html
    assert "once you pass" not in html


def test_a_pre_test_whose_time_ran_out_is_taken_not_left_undone(
    client, participant, quiz_course, db
):
    """Its one attempt is used: unscored, it must still count as taken, or the course could
    never be completed."""
    quiz_course("time-limit: 5\nlate: refuse", kind="pre-test")
    enrol(client)
    attempt_id = start(client, "quiz-course", "quiz")
    token = token_of(client.get(f"/attempts/{attempt_id}").get_data(as_text=True))
    move_deadline(db, attempt_id, seconds_ago=int(attempts.DEADLINE_GRACE.total_seconds()) + 5)
    response = client.post(
        f"/attempts/{attempt_id}", data={**RIGHT, "attempt_token": token}, csrf=False
    )
    assert response.status_code == 302
    attempt = stored(db, attempt_id)
    assert (attempt.status, attempt.score_percent) == ("expired", None)
    course_page = client.get("/courses/quiz-course").get_data(as_text=True)
    assert "Take the pre-test" not in course_page


def test_staff_and_people_not_enrolled_cannot_start(client, make, login_as, quiz_course):
    quiz_course("pass: 50")
    login_as(make.user())
    assert client.post(f"{QUIZ}/attempts").status_code == 403
    login_as(make.user("trainer"))
    assert client.post(f"{QUIZ}/attempts").status_code == 403
    assert client.post("/courses/quiz-course/enrol").status_code == 403


def test_an_attempt_id_too_big_for_the_database_is_not_found(client, participant):
    huge = 10**30
    assert client.get(f"/attempts/{huge}").status_code == 404
    response = client.post(f"/attempts/{huge}", data={"attempt_token": "x"}, csrf=False)
    assert response.status_code == 404
    # No route matches such an id, so even a logged-out visitor is told "not found".
    logged_out = client.application.test_client()
    response = logged_out.post(f"/attempts/{huge}", data={"attempt_token": "x"}, csrf=False)
    assert response.status_code == 404


def test_a_participant_who_withdrew_cannot_send_an_open_attempt(
    client, participant, quiz_course, db
):
    """Decided: leaving the course stops the open attempt being sent (it is not scored, it
    does not complete the module); it stays open, and can be sent after enrolling again."""
    quiz_course("pass: 50\nattempts: 2")
    enrol(client)
    failed = take(client, "quiz-course", "quiz", WRONG)
    attempt_id = start(client, "quiz-course", "quiz")
    token = token_of(client.get(f"/attempts/{attempt_id}").get_data(as_text=True))
    assert client.post("/courses/quiz-course/withdraw").status_code == 302

    response = client.post(
        f"/attempts/{attempt_id}", data={**RIGHT, "attempt_token": token}, csrf=False
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/courses/quiz-course")
    assert stored(db, attempt_id).is_in_progress
    page = client.get("/courses/quiz-course").get_data(as_text=True)
    assert "You have left this course: enrol again to send your answers." in page
    assert client.get(f"/attempts/{attempt_id}").status_code == 302  # no form to fill in
    # An earlier result stays readable, without a "Try again" that would be refused.
    result = client.get(f"/attempts/{failed}").get_data(as_text=True)
    assert "Your score" in result
    assert "Try again" not in result

    enrol(client)
    response = client.post(
        f"/attempts/{attempt_id}", data={**RIGHT, "attempt_token": token}, csrf=False
    )
    assert response.headers["Location"].endswith(f"/attempts/{attempt_id}")
    assert stored(db, attempt_id).is_passed is True


def test_a_free_text_question_in_a_lesson_quiz_is_kept_and_never_scored(
    client, participant, tmp_path, db
):
    questions = QUESTIONS + "\n? What will you change at work? {id=reflect}\n~ text\n"
    folder = write_course(
        tmp_path,
        "reflect",
        {"01-intro.md": lesson(), "02-quiz.md": quiz_module("pass: 50", questions)},
    )
    import_folder(folder)
    db.session.flush()
    client.post("/courses/reflect/enrol")
    attempt_id = take(client, "reflect", "quiz", {**RIGHT, "q-reflect": "Ask about migrants."})
    attempt = db.session.get(QuizAttempt, attempt_id)
    assert attempt.score_percent == 100
    assert attempt.answers["reflect"] == ["Ask about migrants."]
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "Ask about migrants." in page
