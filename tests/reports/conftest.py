"""A small programme whose figures are computed by hand in the tests.

Course family ``gain-course``: a pre-test, a lesson and a post-test with the same four
questions of one point each (``{id=capital}`` single choice, right "a"; ``{id=sdg}``
multiple choice, right "a" and "b"; ``{id=gcm}`` numeric, 23; ``{id=rights}`` true/false,
true). A multiple-choice answer earns max(0, (right chosen - wrong chosen) / 2) points.

| who   | institution | cohort  | pre-test              | post-test attempts                     |
| ----- | ----------- | ------- | --------------------- | -------------------------------------- |
| Ana   | Quito       | March   | b, a, 23, false: 37.5 | a, ab, 23, false: 75; then all: 100    |
| Ben   | Quito       | March   | c, c, 5, false: 0     | a, ac, 23, true: 75 (on version 2)     |
| Carla | Cuenca      | March   | a, ab, 23, true: 100  | b, ab, 23, true: 75                    |
| Dario | Cuenca      | none    | a, ab, 23, false: 75  | b, ab, 22, true: 50 (Spanish course)   |
| Eva   | Cuenca      | March   | a, -, -, -: 25        | none                                   |

Ana: 0 + 0.5 + 1 + 0 = 1.5 of 4 = 37.5 %. Ben's "a,c" post answer: (1 - 1) / 2 = 0 points.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.learning.conftest import import_folder, lesson, quiz_module, write_course
from trainer.auth.models import Role
from trainer.cohorts import services as cohorts
from trainer.courses.services import current_modules
from trainer.learning import attempts, services

QUESTIONS = """\
? Which one? {id=capital}
- (x) A
- ( ) B
- ( ) C

? Which two? {id=sdg}
- [x] one
- [x] two
- [ ] three

? How many objectives? {id=gcm}
= 23

? Rights at work apply to everyone. {id=rights}
= true
"""

PRE = {
    "ana": {"capital": ["b"], "sdg": ["a"], "gcm": ["23"], "rights": ["false"]},
    "ben": {"capital": ["c"], "sdg": ["c"], "gcm": ["5"], "rights": ["false"]},
    "carla": {"capital": ["a"], "sdg": ["a", "b"], "gcm": ["23"], "rights": ["true"]},
    "dario": {"capital": ["a"], "sdg": ["b", "a"], "gcm": ["23.0"], "rights": ["false"]},
    "eva": {"capital": ["a"]},
}
POST = {
    "ana": [
        {"capital": ["a"], "sdg": ["a", "b"], "gcm": ["23"], "rights": ["false"]},
        {"capital": ["a"], "sdg": ["a", "b"], "gcm": ["23"], "rights": ["true"]},
    ],
    "ben": [{"capital": ["a"], "sdg": ["a", "c"], "gcm": ["23"], "rights": ["true"]}],
    "carla": [{"capital": ["b"], "sdg": ["a", "b"], "gcm": ["23"], "rights": ["true"]}],
    "dario": [{"capital": ["b"], "sdg": ["a", "b"], "gcm": ["22"], "rights": ["true"]}],
}


def gain_course_files(post_title: str = "Post-test") -> dict[str, str]:
    return {
        "01-pre-test.md": quiz_module("reveal: never", QUESTIONS, kind="pre-test"),
        "02-lesson.md": lesson(),
        "03-post-test.md": quiz_module(
            "pass: 50\nattempts: 3", QUESTIONS, kind="post-test"
        ).replace("title: The quiz", f"title: {post_title}"),
    }


def take(user, course, slug: str, answers: dict) -> None:
    enrolment = services.find_enrolment(user, course.family) or services.enrol(user, course)
    module = next(m for m in current_modules(course) if m.slug == slug)
    attempt = attempts.start_attempt(user, enrolment, course, module)
    outcome = attempts.submit_attempt(attempt, answers)
    assert outcome.status == attempts.SCORED


@pytest.fixture
def programme(db, make, tmp_path):
    """The table above, plus the coordinators who look at it."""
    return build_programme(db, make, tmp_path)


def build_programme(db, make, tmp_path: Path) -> SimpleNamespace:
    quito = make.institution(name="Quito")
    cuenca = make.institution(name="Cuenca")
    admin = make.user(Role.ADMIN)
    english = import_folder(write_course(tmp_path / "en", "gain-course", gain_course_files()))
    spanish = import_folder(
        write_course(
            tmp_path / "es",
            "gain-course-es",
            gain_course_files("Prueba de salida"),
            language="es",
            translation_of="gain-course",
        )
    )
    people = {
        name: make.user(institution=institution, full_name=name.title(), password=None)
        for name, institution in (
            ("ana", quito),
            ("ben", quito),
            ("carla", cuenca),
            ("dario", cuenca),
            ("eva", cuenca),
        )
    }
    march = cohorts.create_cohort(
        admin,
        english,
        name="March",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 3, 31),
        timezone="America/Guayaquil",
        institutions=[quito, cuenca],
    )
    for name in ("ana", "ben", "carla", "eva"):
        cohorts.add_member(admin, march, people[name])
    for name, answers in PRE.items():
        take(people[name], english, "pre-test", answers)
    # A second version of the English course: the post-tests in English are taken on it.
    import_folder(write_course(tmp_path / "en", "gain-course", gain_course_files("Final test")))
    db.session.expire_all()
    for name, tries in POST.items():
        course = spanish if name == "dario" else english
        for answers in tries:
            take(people[name], course, "post-test", answers)
    # Another family's quiz, which no figure of gain-course may count.
    other = make.course(modules=2)
    take(people["ana"], other, "module-2", {"q-2": ["false"]})
    db.session.flush()
    return SimpleNamespace(
        quito=quito,
        cuenca=cuenca,
        march=march,
        english=english,
        spanish=spanish,
        admin=admin,
        programme=make.user(Role.COORDINATOR, is_programme_wide=True),
        quito_coordinator=make.user(Role.COORDINATOR, institution=quito),
        cuenca_coordinator=make.user(Role.COORDINATOR, institution=cuenca),
        trainer=make.user(Role.TRAINER),
        **people,
    )
