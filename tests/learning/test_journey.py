"""A participant's whole journey through the demo course, through the pages only."""

from __future__ import annotations

from sqlalchemy import select

from tests.learning.conftest import answers_for, take
from trainer.courses.services import current_modules
from trainer.learning.models import Enrolment, QuizAttempt, SurveyResponse
from trainer.learning.signals import enrolment_completed

EN = "migration-development-policy"


def test_the_demo_course_from_enrolment_to_100_percent(client, make, login_as, demo_courses, db):
    participant = make.user()
    login_as(participant)
    course = demo_courses[EN]
    modules = {m.slug: m for m in current_modules(course)}
    assert list(modules) == [
        "pre-test",
        "why-migration-matters",
        "employment-policy",
        "urban-development",
        "coherence-and-partnerships",
        "post-test",
        "satisfaction-survey",
    ]

    catalogue = client.get("/courses").get_data(as_text=True)
    assert course.title in catalogue
    assert 'hreflang="es"' in catalogue  # the Spanish translation is offered
    assert "About 5 hours" in catalogue
    assert "7 modules" in catalogue

    page = client.get(f"/courses/{EN}").get_data(as_text=True)
    assert "Enrol in this course" in page
    assert client.post(f"/courses/{EN}/enrol").status_code == 302

    for slug in modules:
        response = client.get(f"/courses/{EN}/modules/{slug}")
        assert response.status_code == 200

    # Pre-test: one attempt, counts as done whatever the score.
    take(client, EN, "pre-test", answers_for(modules["pre-test"].quiz, right=False))
    again = client.post(f"/courses/{EN}/modules/pre-test/attempts", follow_redirects=True)
    assert "You have used your only attempt at this quiz." in again.get_data(as_text=True)

    # A lesson quiz: fail, see the attempts left, then pass.
    lesson = "why-migration-matters"
    failed = take(client, EN, lesson, answers_for(modules[lesson].quiz, right=False))
    result = client.get(f"/attempts/{failed}").get_data(as_text=True)
    assert "Not passed" in result
    assert "2 attempts left." in result
    assert "The correct answers are shown once you pass this quiz." in result
    course_page = client.get(f"/courses/{EN}").get_data(as_text=True)
    assert "Quiz not passed yet" in course_page
    passed = take(client, EN, lesson, answers_for(modules[lesson].quiz))
    result = client.get(f"/attempts/{passed}").get_data(as_text=True)
    assert "Passed" in result
    assert "Answers and feedback" in result  # reveal: after-pass

    for slug in ("employment-policy", "urban-development", "coherence-and-partnerships"):
        take(client, EN, slug, answers_for(modules[slug].quiz))
    post = take(client, EN, "post-test", answers_for(modules["post-test"].quiz))
    assert "Your score: 100%" in client.get(f"/attempts/{post}").get_data(as_text=True)

    # The course asks for 75 % attendance, of everyone: in no cohort, it is unmet...
    page = client.get(f"/courses/{EN}").get_data(as_text=True)
    assert "Join a cohort and attend at least 75% of its sessions" in page
    # ...until their coordinator puts them in a cohort where they attended 3 of 4 sessions.
    make.cohort(course, members=[participant], sessions=4, attended=3)
    page = client.get(f"/courses/{EN}").get_data(as_text=True)
    assert "Join a cohort" not in page
    assert "Attend at least" not in page  # 3 of 4: met
    assert "Answer the survey" in page

    completions = []

    def completed(enrolment, completion, **extra):
        completions.append((enrolment.id, completion.percent))

    with enrolment_completed.connected_to(completed):
        take(client, EN, "satisfaction-survey", answers_for(modules["satisfaction-survey"].quiz))
        page = client.get(f"/courses/{EN}").get_data(as_text=True)
        dashboard = client.get("/").get_data(as_text=True)

    assert "100% complete" in page
    assert "Every requirement of this course is met." in page
    assert '<ul class="unmet">' not in page
    assert "100% complete" in dashboard
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == participant.id))
    assert enrolment.completed_at is not None
    assert completions == [(enrolment.id, 100)]  # announced once, not on every page

    # The survey is anonymous: who answered is known, what they answered has no name.
    survey_attempt = db.session.scalar(
        select(QuizAttempt).where(
            QuizAttempt.user_id == participant.id,
            QuizAttempt.module_slug == "satisfaction-survey",
        )
    )
    assert survey_attempt.is_submitted
    assert survey_attempt.answers is None
    response = db.session.scalar(select(SurveyResponse))
    assert response.answers["overall"] == ["5"]
    assert not hasattr(response, "user_id")
