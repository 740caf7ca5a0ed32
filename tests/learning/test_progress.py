"""Enrolment, module progress and completion, kept per course family and module slug."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select, update

from tests.learning.conftest import (
    answers_for,
    import_folder,
    lesson,
    take,
    write_course,
)
from trainer.courses.services import current_modules
from trainer.dbtypes import utcnow
from trainer.learning import services
from trainer.learning.models import Enrolment, ModuleProgress
from trainer.learning.progress import resume_module
from trainer.learning.signals import enrolment_completed

EN = "migration-development-policy"
ES = "migracion-politicas-desarrollo"


def progress_of(db, user, slug: str) -> ModuleProgress | None:
    db.session.expire_all()
    return db.session.scalar(
        select(ModuleProgress).where(
            ModuleProgress.user_id == user.id, ModuleProgress.module_slug == slug
        )
    )


def test_switching_language_keeps_progress(client, make, login_as, demo_courses, db):
    user = make.user()
    login_as(user)
    client.post(f"/courses/{EN}/enrol")
    lesson_slug = "why-migration-matters"
    quiz = next(m for m in current_modules(demo_courses[EN]) if m.slug == lesson_slug).quiz
    take(client, EN, lesson_slug, answers_for(quiz))
    client.get(f"/courses/{EN}/modules/employment-policy")

    spanish = client.get(f"/courses/{ES}").get_data(as_text=True)
    assert "You follow this course in another language" in spanish
    assert spanish.count("Quiz passed") == 1
    assert "Continue where you left off" not in spanish

    assert client.post(f"/courses/{ES}/enrol").status_code == 302
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == user.id))
    assert enrolment.course_id == demo_courses[ES].id
    assert enrolment.family == EN
    spanish = client.get(f"/courses/{ES}").get_data(as_text=True)
    assert "Quiz passed" in spanish
    assert f"/courses/{ES}/modules/employment-policy" in spanish  # resume, in Spanish now
    # Attempts are shared too: the Spanish quiz knows the English attempt.
    module_page = client.get(f"/courses/{ES}/modules/{lesson_slug}").get_data(as_text=True)
    assert "3 attempts allowed, 2 left" in module_page
    assert progress_of(db, user, lesson_slug).quiz_passed_at is not None


def test_the_last_module_viewed_is_recorded_at_most_every_few_minutes(client, make, login_as, db):
    user = make.user()
    login_as(user)
    make.course("viewed-course", modules=2)

    def enrolment() -> Enrolment | None:
        db.session.expire_all()
        return db.session.scalar(select(Enrolment).where(Enrolment.user_id == user.id))

    client.get("/courses/viewed-course/modules/module-1")
    assert enrolment() is None  # not enrolled: nothing recorded
    client.post("/courses/viewed-course/enrol")
    client.get("/courses/viewed-course/modules/module-1")
    first = enrolment()
    assert (first.last_module_slug, first.viewed_modules) == ("module-1", ["module-1"])
    viewed_at = first.last_viewed_at
    client.get("/courses/viewed-course/modules/module-1")
    assert enrolment().last_viewed_at == viewed_at  # the same module again, moments later
    client.get("/courses/viewed-course/modules/module-2")
    second = enrolment()
    assert (second.last_module_slug, second.viewed_modules) == (
        "module-2",
        ["module-1", "module-2"],
    )
    assert second.last_viewed_at >= viewed_at
    db.session.execute(
        update(Enrolment)
        .where(Enrolment.id == second.id)
        .values(last_viewed_at=utcnow() - services.VIEW_INTERVAL)
    )
    client.get("/courses/viewed-course/modules/module-2")
    assert enrolment().last_viewed_at > utcnow() - services.VIEW_INTERVAL
    page = client.get("/courses/viewed-course").get_data(as_text=True)
    assert page.count("status-viewed") == 2  # both modules show "Viewed"


def test_mark_as_complete_is_for_lessons_without_a_quiz(client, make, login_as, db):
    user = make.user()
    login_as(user)
    make.course("marked-course", modules=3)
    assert client.post("/courses/marked-course/modules/module-1/complete").status_code == 403
    client.post("/courses/marked-course/enrol")
    response = client.post("/courses/marked-course/modules/module-1/complete")
    assert response.headers["Location"] == "/courses/marked-course/modules/module-2"
    assert progress_of(db, user, "module-1").completed_at is not None
    html = client.get("/courses/marked-course/modules/module-1").get_data(as_text=True)
    assert "You completed this module on" in html
    assert "Mark as complete" not in html

    quiz_page = client.get("/courses/marked-course/modules/module-2").get_data(as_text=True)
    assert "Mark as complete" not in quiz_page
    refused = client.post("/courses/marked-course/modules/module-2/complete", follow_redirects=True)
    assert "completed by its quiz" in refused.get_data(as_text=True)
    assert progress_of(db, user, "module-2") is None


def test_withdrawing_and_coming_back_keeps_progress(client, make, login_as, db):
    user = make.user()
    login_as(user)
    make.course("left-course", modules=3)
    client.post("/courses/left-course/enrol")
    client.post("/courses/left-course/modules/module-1/complete")
    assert "left-course" in client.get("/").get_data(as_text=True)

    client.post("/courses/left-course/withdraw")
    assert "Left" not in client.get("/").get_data(as_text=True)
    assert "/courses/left-course" not in client.get("/").get_data(as_text=True)
    page = client.get("/courses/left-course").get_data(as_text=True)
    assert "Enrol again" in page
    client.get("/courses/left-course/modules/module-3")
    assert progress_of(db, user, "module-3") is None  # not recorded while withdrawn
    assert client.post("/courses/left-course/modules/module-3/complete").status_code == 403

    client.post("/courses/left-course/enrol")
    page = client.get("/courses/left-course").get_data(as_text=True)
    assert "33% complete" in page
    enrolments = db.session.scalars(select(Enrolment).where(Enrolment.user_id == user.id)).all()
    assert len(enrolments) == 1
    assert enrolments[0].is_active


def test_a_module_archived_by_a_new_version_no_longer_counts(client, make, login_as, db, tmp_path):
    user = make.user()
    login_as(user)
    files = {"01-first.md": lesson("First"), "02-second.md": lesson("Second")}
    import_folder(write_course(tmp_path, "quiz-course", files))
    client.post("/courses/quiz-course/enrol")
    client.post("/courses/quiz-course/modules/first/complete")
    assert "50% complete" in client.get("/courses/quiz-course").get_data(as_text=True)

    announced = []
    with enrolment_completed.connected_to(lambda sender, **kw: announced.append(sender.id)):
        # The new version judges the family's enrolments as it is imported.
        import_folder(write_course(tmp_path, "quiz-course", {"01-first.md": lesson("First")}))
        page = client.get("/courses/quiz-course").get_data(as_text=True)
    assert "100% complete" in page
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == user.id))
    assert enrolment.completed_at is not None
    assert announced == [enrolment.id]


def test_a_new_required_module_keeps_the_completion_date(client, make, login_as, db, tmp_path):
    user = make.user()
    login_as(user)
    import_folder(write_course(tmp_path, "quiz-course", {"01-first.md": lesson("First")}))
    client.post("/courses/quiz-course/enrol")
    client.post("/courses/quiz-course/modules/first/complete")
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == user.id))
    completed_at = enrolment.completed_at
    assert completed_at is not None
    files = {"01-first.md": lesson("First"), "02-second.md": lesson("Second")}
    import_folder(write_course(tmp_path, "quiz-course", files))
    page = client.get("/courses/quiz-course").get_data(as_text=True)
    assert "50% complete" in page
    assert "Complete the module" in page
    db.session.expire_all()
    assert db.session.get(Enrolment, enrolment.id).completed_at == completed_at


def test_catalogue_groups_translations_and_puts_the_participant_language_first(
    client, make, login_as, demo_courses
):
    login_as(make.user(language="es"))
    html = client.get("/courses").get_data(as_text=True)
    assert html.count('class="panel catalogue-entry"') == 1
    assert html.index(demo_courses[ES].title) < html.index('hreflang="en"')
    assert f'href="/courses/{EN}" lang="en" hreflang="en">English</a>' in html


def test_catalogue_shows_only_courses_open_to_the_participant(client, make, login_as):
    a = make.institution("ministry-a")
    login_as(make.user(institution=make.institution("ministry-b")))
    make.course("open-one", modules=3)
    make.course("for-a-only", audience=(a.slug,))
    hidden = make.course("not-published")
    hidden.is_published = False
    html = client.get("/courses").get_data(as_text=True)
    assert 'href="/courses/open-one"' in html
    assert 'href="/courses/for-a-only"' not in html
    assert 'href="/courses/not-published"' not in html
    assert "About 30 minutes" in html  # no estimated_hours: the modules' minutes
    assert "3 modules" in html


def test_no_self_enrolment_means_no_enrol_button(client, make, login_as, tmp_path):
    login_as(make.user())
    folder = write_course(
        tmp_path, "quiz-course", {"01-first.md": lesson()}, self_enrolment="false"
    )
    import_folder(folder)
    page = client.get("/courses/quiz-course").get_data(as_text=True)
    assert "Enrol in this course" not in page
    assert "arranged by your coordinator" in page
    assert client.post("/courses/quiz-course/enrol").status_code == 403


def _module(slug: str):
    return SimpleNamespace(slug=slug)


def _row(completed: bool):
    return SimpleNamespace(completed_at=utcnow() if completed else None)


@pytest.mark.parametrize(
    ("progress", "last_viewed", "expected"),
    [
        ({}, None, "a"),
        ({"a": _row(False)}, "a", "a"),  # last viewed, not completed
        ({"a": _row(True), "b": _row(True)}, "b", "c"),  # last viewed done: the next one
        ({"a": _row(False), "b": _row(True)}, "a", "a"),
        ({"b": _row(True), "c": _row(True)}, "c", "a"),  # nothing after c: wrap around
        ({s: _row(True) for s in "abc"}, "b", None),
        ({"a": _row(True)}, "gone", "b"),  # a module no longer in the course
    ],
)
def test_where_to_continue(progress, last_viewed, expected):
    modules = [_module(s) for s in "abc"]
    found = resume_module(modules, progress, last_viewed)
    assert (found.slug if found else None) == expected
