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
