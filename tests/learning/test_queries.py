"""Every learning page runs the same number of SQL statements whatever the size of the data."""

from __future__ import annotations

import pytest

from trainer.courses.services import current_modules
from trainer.learning import attempts, services


def prepare(make, modules: int, attempt_count: int):
    """A participant enrolled in a course of ``modules`` modules, one module completed and
    ``attempt_count`` failed attempts at module-2's quiz."""
    user = make.user()
    course = make.course(modules=modules)
    enrolment = services.enrol(user, course)
    outline = current_modules(course)
    services.mark_complete(user, enrolment, outline[0])
    services.record_view(enrolment, outline[0].slug)
    last = None
    for _ in range(attempt_count):
        last = attempts.start_attempt(user, enrolment, course, outline[1])
        attempts.submit_attempt(last, {"q-2": ["false"]})
    return user, course, last.id


PAGES = {
    "course": lambda course, attempt_id: f"/courses/{course.slug}",
    "lesson": lambda course, attempt_id: f"/courses/{course.slug}/modules/module-1",
    "quiz module": lambda course, attempt_id: f"/courses/{course.slug}/modules/module-2",
    "dashboard": lambda course, attempt_id: "/",
    "catalogue": lambda course, attempt_id: "/courses",
    "attempt result": lambda course, attempt_id: f"/attempts/{attempt_id}",
}


@pytest.mark.parametrize("page", list(PAGES))
def test_same_queries_for_3_or_30_modules_and_1_or_10_attempts(
    client, make, login_as, count_queries, page
):
    counts = {}
    for modules, attempt_count in ((3, 1), (30, 1), (3, 10)):
        user, course, attempt_id = prepare(make, modules, attempt_count)
        login_as(user)
        path = PAGES[page](course, attempt_id)
        assert client.get(path).status_code == 200  # warm: the first view writes a row
        with count_queries() as statements:
            response = client.get(path)
        assert response.status_code == 200
        counts[(modules, attempt_count)] = len(statements)
    assert len(set(counts.values())) == 1, counts
    assert counts[(3, 1)] <= 12, counts


@pytest.mark.parametrize("path", ["/", "/courses"])
def test_same_queries_for_1_or_10_enrolled_courses(client, make, login_as, count_queries, path):
    counts = {}
    for enrolled in (1, 10):
        user = make.user()
        for _ in range(enrolled):
            course = make.course(modules=3)
            enrolment = services.enrol(user, course)
            services.mark_complete(user, enrolment, current_modules(course)[0])
        login_as(user)
        assert client.get(path).status_code == 200
        with count_queries() as statements:
            assert client.get(path).status_code == 200
        counts[enrolled] = len(statements)
    assert counts[1] == counts[10], counts


def _programme_saved(db) -> None:
    from trainer.auth.models import PROGRAMME_SETTINGS_ID, ProgrammeSettings

    if db.session.get(ProgrammeSettings, PROGRAMME_SETTINGS_ID) is None:
        db.session.add(ProgrammeSettings(id=PROGRAMME_SETTINGS_ID, programme_name="Programme"))
        db.session.flush()


# The log-in with the user and the programme's settings; then the page's own queries.
LESSON_QUERIES = 2  # + the module with its course, enrolment, progress and neighbours
QUIZ_MODULE_QUERIES = 3  # + the participant's attempts at the quiz
# + the family's courses with the enrolment, the outline, progress, attempt summaries, and
# the cohort membership (a participant in no cohort: no sessions to read).
COURSE_QUERIES = 6


@pytest.mark.parametrize(
    ("page", "expected"),
    [("lesson", LESSON_QUERIES), ("quiz module", QUIZ_MODULE_QUERIES), ("course", COURSE_QUERIES)],
)
def test_the_lesson_and_course_pages_run_a_few_queries_whatever_the_course_and_the_crowd(
    client, db, make, login_as, count_queries, page, expected
):
    _programme_saved(db)
    counts = {}
    for modules, others in ((3, 0), (30, 25)):
        user, course, attempt_id = prepare(make, modules, 1)
        for _ in range(others):
            services.enrol(make.user(), course)
        login_as(user)
        path = PAGES[page](course, attempt_id)
        assert client.get(path).status_code == 200  # warm: the first view writes a row
        with count_queries() as statements:
            assert client.get(path).status_code == 200
        counts[(modules, others)] = len(statements)
    assert set(counts.values()) == {expected}, counts


def test_a_repeated_view_writes_nothing_and_a_new_module_one_update(
    client, db, make, login_as, count_queries
):
    _programme_saved(db)
    user, course, _attempt_id = prepare(make, 3, 1)
    login_as(user)
    first = f"/courses/{course.slug}/modules/module-3"
    assert client.get(first).status_code == 200
    with count_queries() as again:
        assert client.get(first).status_code == 200
    assert not [s for s in again if not s.lstrip().upper().startswith("SELECT")], again
    with count_queries() as other:
        assert client.get(f"/courses/{course.slug}/modules/module-1").status_code == 200
    writes = [s for s in other if not s.lstrip().upper().startswith("SELECT")]
    # One UPDATE of the enrolment, read with the module: no SELECT of its own.
    assert [s.split()[0].upper() for s in writes if "enrolment" in s] == ["UPDATE"], writes
    assert len([s for s in other if s.lstrip().upper().startswith("SELECT")]) == LESSON_QUERIES
