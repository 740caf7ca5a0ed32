"""A blended course (a reading, a quiz, a survey, 75 % attendance) with a cohort in March
2026, the people around it, and helpers to meet its requirements one by one."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.learning.conftest import import_folder, lesson
from trainer.auth.models import Role
from trainer.cohorts import services as cohorts
from trainer.cohorts import sessions
from trainer.courses.services import current_modules
from trainer.learning import judging
from trainer.learning import services as learning

SLUG = "blended-course"
HOLDER = "Ñusta Quishpe Andrés"

COURSE_YML = """\
title: Gestión municipal de la movilidad humana
summary: Lecturas, un cuestionario, talleres y una encuesta.
language: es
version: "1"
estimated_hours: 12
owners: [owner@example.org]
audience: open
completion:
  modules: all
  quizzes: all
  attendance_percent: 75
  survey: true
certificate:
  kinds: [completion, attendance]
  validity_months: 24
  title: Certificado en gestión municipal de la movilidad humana
  signatories:
    - name: Laura Méndez
      role: Directora del programa
    - name: Carlos Andrade
      role: Coordinador académico
"""

QUIZ = """\
---
title: Check what you read
minutes: 10
---
## Questions

::: quiz
pass: 50

? Is this the quiz? {id=yes}
= true
:::
"""

SURVEY = """\
---
title: Survey
minutes: 5
kind: survey
---
## Tell us

::: quiz
? How useful was it? {id=useful}
~ scale 1-5: Not useful | Very useful
:::
"""


def write_blended(root: Path, course_yml: str = COURSE_YML, slug: str = SLUG) -> Path:
    folder = root / slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "course.yml").write_text(course_yml, encoding="utf-8")
    (folder / "01-reading.md").write_text(lesson("Reading"), encoding="utf-8")
    (folder / "02-quiz.md").write_text(QUIZ, encoding="utf-8")
    (folder / "03-survey.md").write_text(SURVEY, encoding="utf-8")
    return folder


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


@pytest.fixture
def world(db, make, tmp_path):
    """Two institutions, their coordinators, an admin, a participant of each, and the
    blended course with a cohort of four sessions (2 to 5 March 2026) open to both."""
    quito = make.institution(name="GAD Municipal de Quito")
    cuenca = make.institution(name="GAD Municipal de Cuenca")
    course = import_folder(write_blended(tmp_path))
    db.session.flush()
    admin = make.user(Role.ADMIN, full_name="Ada Admin")
    cohort = cohorts.create_cohort(
        admin,
        course,
        name="Quito, marzo",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 3, 31),
        timezone="America/Guayaquil",
        institutions=[quito, cuenca],
    )
    trainer = make.user(Role.TRAINER, full_name="Tomás Trainer")
    cohorts.assign_trainers(admin, cohort, [trainer])
    found = [
        sessions.schedule_session(
            admin, cohort, day=date(2026, 3, d), start=time(9), end=time(12), place="Sala 3"
        )
        for d in (2, 3, 4, 5)
    ]
    return SimpleNamespace(
        quito=quito,
        cuenca=cuenca,
        course=course,
        cohort=cohort,
        sessions=found,
        admin=admin,
        trainer=trainer,
        quito_coordinator=make.user(Role.COORDINATOR, institution=quito),
        cuenca_coordinator=make.user(Role.COORDINATOR, institution=cuenca),
        programme=make.user(Role.COORDINATOR, is_programme_wide=True),
        nusta=make.user(institution=quito, full_name=HOLDER),
        luis=make.user(institution=cuenca, full_name="Luis Peña"),
        modules={m.slug: m for m in current_modules(course)},
    )


def join(world, person):
    cohorts.add_member(world.admin, world.cohort, person, now=at(1, 12))
    return learning.find_enrolment(person, world.course.family)


def attend(world, person, count: int = 3, status: str = "present") -> None:
    """Mark ``person`` at the first ``count`` of the four sessions (3 of 4 meets 75 %)."""
    for session in world.sessions[:count]:
        sessions.record_attendance(world.trainer, session, {person: status}, now=session.ends_at)


def read(world, person, enrolment) -> None:
    learning.mark_complete(person, enrolment, world.modules["reading"])


def pass_quiz(person, enrolment) -> None:
    """The quiz passed, as a scored attempt records it, then judged as submitting does."""
    learning.record_quiz_done(person.id, enrolment.family, "quiz", passed=True, now=at(6, 12))
    judging.judge([enrolment])


def answer_survey(person, enrolment) -> None:
    learning.record_quiz_done(person.id, enrolment.family, "survey", passed=False, now=at(6, 12))
    judging.judge([enrolment])


def complete(world, person):
    """Every requirement met through the services: the enrolment, completed."""
    enrolment = join(world, person)
    attend(world, person)
    read(world, person, enrolment)
    pass_quiz(person, enrolment)
    answer_survey(person, enrolment)
    assert enrolment.completed_at is not None
    return enrolment
