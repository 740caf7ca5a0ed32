"""What learning needs to know about a course's modules: quiz rules and the outline."""

from __future__ import annotations

from trainer.completion import ModuleOutline, Rules, rules_from_settings
from trainer.courses import services as courses
from trainer.courses.models import Course, ModuleVersion
from trainer.courses.spec import ONE_ATTEMPT_KINDS, PASSABLE_KINDS, ModuleKind, quiz_settings


def light_modules(course: Course) -> list[ModuleVersion]:
    """The current version's modules, bodies left unloaded."""
    return courses.current_modules(course, bodies=False)


def has_graded_quiz(module: ModuleVersion) -> bool:
    return bool(module.quiz and module.quiz.get("is_graded"))


def must_pass(module: ModuleVersion) -> bool:
    """Whether the module's quiz has a pass mark that matters (not the pre-test's)."""
    return has_graded_quiz(module) and module.kind in PASSABLE_KINDS


def attempts_allowed(module: ModuleVersion) -> int | None:
    """Attempts a participant may make; None means unlimited."""
    if module.quiz is None:
        return 0
    if module.kind in ONE_ATTEMPT_KINDS:
        return 1
    return quiz_settings(module.quiz)["attempts"]


def is_anonymous(module: ModuleVersion) -> bool:
    return bool(
        module.kind == ModuleKind.SURVEY and module.quiz and quiz_settings(module.quiz)["anonymous"]
    )


def to_outline(modules: list[ModuleVersion]) -> list[ModuleOutline]:
    return [
        ModuleOutline(
            m.slug,
            has_graded_quiz=has_graded_quiz(m),
            quiz_counts=m.kind in PASSABLE_KINDS,
            is_survey=m.kind == ModuleKind.SURVEY,
        )
        for m in modules
    ]


def rules_for(settings: dict, modules: list[ModuleVersion]) -> Rules:
    return rules_from_settings(settings.get("completion"), to_outline(modules))
