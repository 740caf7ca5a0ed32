"""Completion rules of a course, a participant's facts, and the one verdict drawn from them.

The rules come from ``completion`` in course.yml, read against the modules of the course's
*current* version: a module archived by a newer version is simply not in the outline, so it
no longer counts, and a slug named by the rules but gone from the outline is dropped.

Requirements, in course order, then attendance:

- ``quiz``: pass the graded quiz of a module (``quizzes: all`` means every lesson's and the
  post-test's graded quiz; the pre-test and the survey are never "passed");
- ``survey``: answer the survey (``survey: true``);
- ``module``: complete a module (``modules: all`` or a list), unless the same module is already
  required as a quiz or as the survey, since passing or answering is what completes it;
- ``attendance``: attend at least ``attendance_percent`` % of the cohort's sessions. A course
  whose rules ask for attendance asks it of everyone: a participant in no cohort of the
  course's family (self-enrolled, or removed from their cohort) has it unmet, and has to join
  a cohort to meet it. A member meets it once their rate toward completion
  (``trainer.completion.attendance``) reaches the percentage; while no session of their
  cohort counts yet (none scheduled, or every one excused) it is unmet too.

The percentage is the share of applicable requirements met, rounded down, so 100 % always
means complete.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from trainer.completion.attendance import AttendanceRates

MODULE = "module"
QUIZ = "quiz"
SURVEY = "survey"
ATTENDANCE = "attendance"


@dataclass(frozen=True)
class ModuleOutline:
    """What the rules need to know about one module of the current version.

    The caller says what the module's kind implies (trainer.courses.spec defines the kinds):
    whether its graded quiz counts under ``quizzes: all``, and whether it is the survey.
    """

    slug: str
    has_graded_quiz: bool = False
    quiz_counts: bool = True  # False for the pre-test, which is never "passed"
    is_survey: bool = False


@dataclass(frozen=True)
class Requirement:
    kind: str  # MODULE, QUIZ, SURVEY or ATTENDANCE
    module_slug: str | None = None
    # Attendance only: the percentage required, and the participant's rates in their current
    # cohort of the family (None when they are in no cohort, so the checklist asks them to
    # join one); ``actual_percent`` is the rate toward completion, when one counts.
    required_percent: float | None = None
    attendance: AttendanceRates | None = None

    @property
    def actual_percent(self) -> float | None:
        return None if self.attendance is None else self.attendance.toward_completion


@dataclass(frozen=True)
class Rules:
    requirements: tuple[Requirement, ...] = ()


@dataclass(frozen=True)
class Facts:
    completed_modules: frozenset[str] = frozenset()
    passed_quizzes: frozenset[str] = frozenset()
    survey_answered: bool = False
    # The participant's attendance in their current cohort of the course's family; None when
    # they are in no cohort of it (never were, or their membership ended).
    attendance: AttendanceRates | None = None

    @property
    def attendance_percent(self) -> float | None:
        """The rate toward completion; None in no cohort, or while no session counts."""
        return None if self.attendance is None else self.attendance.toward_completion


@dataclass(frozen=True)
class Completion:
    complete: bool
    percent: int
    unmet: tuple[Requirement, ...]
    met_count: int
    total_count: int


def rules_from_settings(completion: Mapping | None, outline: Sequence[ModuleOutline]) -> Rules:
    """The requirements a course's ``completion`` settings make, over its current modules."""
    completion = completion or {}
    slugs = [m.slug for m in outline]
    by_slug = {m.slug: m for m in outline}

    modules = completion.get("modules", "all")
    required_modules = set(slugs) if modules == "all" else set(modules or ()) & set(slugs)

    quizzes = completion.get("quizzes", "all")
    if quizzes == "all":
        required_quizzes = {m.slug for m in outline if m.has_graded_quiz and m.quiz_counts}
    elif quizzes == "none" or not quizzes:
        required_quizzes = set()
    else:
        required_quizzes = {s for s in quizzes if s in by_slug and by_slug[s].has_graded_quiz}

    survey = None
    if completion.get("survey"):
        survey = next((m.slug for m in outline if m.is_survey), None)

    requirements = []
    for slug in slugs:
        if slug in required_quizzes:
            requirements.append(Requirement(QUIZ, slug))
        elif slug == survey:
            requirements.append(Requirement(SURVEY, slug))
        elif slug in required_modules:
            requirements.append(Requirement(MODULE, slug))
    attendance = float(completion.get("attendance_percent") or 0)
    if attendance > 0:
        requirements.append(Requirement(ATTENDANCE, required_percent=attendance))
    return Rules(tuple(requirements))


def evaluate(rules: Rules, facts: Facts) -> Completion:
    """Complete or not, the percentage done, and each unmet requirement in course order.

    Every requirement applies to every participant; an unmet attendance requirement carries
    the participant's rates (or None, in no cohort) for the checklist to show."""
    unmet = []
    for requirement in rules.requirements:
        if requirement.kind == ATTENDANCE:
            requirement = dataclasses.replace(requirement, attendance=facts.attendance)
        if not _is_met(requirement, facts):
            unmet.append(requirement)
    total = len(rules.requirements)
    met = total - len(unmet)
    percent = 100 if total == 0 else (100 * met) // total
    return Completion(
        complete=not unmet, percent=percent, unmet=tuple(unmet), met_count=met, total_count=total
    )


def _is_met(requirement: Requirement, facts: Facts) -> bool:
    if requirement.kind == MODULE:
        return requirement.module_slug in facts.completed_modules
    if requirement.kind == QUIZ:
        return requirement.module_slug in facts.passed_quizzes
    if requirement.kind == SURVEY:
        return facts.survey_answered
    if requirement.kind == ATTENDANCE:
        actual = facts.attendance_percent  # None in no cohort, or while no session counts
        # A tiny tolerance against floating-point rounding (70 % computed as 69.999...).
        return actual is not None and actual + 1e-9 >= (requirement.required_percent or 0)
    raise ValueError(f"unknown requirement kind {requirement.kind!r}")
