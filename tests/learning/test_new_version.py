"""A changed course makes a new version; participants keep their progress and attempts."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.learning.conftest import RIGHT, import_folder, lesson, quiz_module, take, write_course
from trainer.courses.models import CourseVersion
from trainer.learning.models import ModuleProgress, QuizAttempt


def test_progress_and_attempts_survive_a_new_version(client, make, login_as, db, tmp_path):
    user = make.user()
    login_as(user)
    files = {"01-intro.md": lesson("Intro"), "02-quiz.md": quiz_module("pass: 50")}
    import_folder(write_course(tmp_path, "quiz-course", files))
    client.post("/courses/quiz-course/enrol")
    client.post("/courses/quiz-course/modules/intro/complete")
    take(client, "quiz-course", "quiz", RIGHT)
    assert "100% complete" in client.get("/courses/quiz-course").get_data(as_text=True)

    # The trainer rewords the lesson and a question; slugs and question ids stay.
    reworded = quiz_module("pass: 50").replace("? Pick b {id=pick}", "? Now pick B {id=pick}")
    changed = {"01-intro.md": lesson("Introduction, revised"), "02-quiz.md": reworded}
    course = import_folder(write_course(tmp_path, "quiz-course", changed))
    db.session.flush()
    assert course.current_version.number == 2
    assert db.session.scalar(select(func.count()).select_from(CourseVersion)) == 2

    page = client.get("/courses/quiz-course").get_data(as_text=True)
    assert "Introduction, revised" in page
    assert "100% complete" in page
    db.session.expire_all()
    progress = db.session.scalars(
        select(ModuleProgress).where(ModuleProgress.user_id == user.id)
    ).all()
    assert {p.module_slug for p in progress if p.completed_at is not None} == {"intro", "quiz"}
    attempts = db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == user.id)).all()
    assert len(attempts) == 1
    assert attempts[0].is_passed
    assert next(p for p in progress if p.module_slug == "quiz").quiz_passed_at is not None
