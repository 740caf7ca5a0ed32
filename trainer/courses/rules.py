"""Rules about a course as a whole: its module kinds and its completion rules."""

from __future__ import annotations

from .messages import Msg, msg
from .spec import SPECIAL_KINDS, CourseSettings, ModuleKind, ModuleSpec, Problem
from .text import did_you_mean


def check_course_rules(
    settings: CourseSettings, modules: list[ModuleSpec], course_yml: str
) -> list[Problem]:
    return _special_kinds(modules) + _completion(settings, modules, course_yml)


def _special_kinds(modules: list[ModuleSpec]) -> list[Problem]:
    problems = []
    first: dict[str, ModuleSpec] = {}
    for module in modules:
        if module.kind not in SPECIAL_KINDS:
            continue
        if module.kind in first:
            problems.append(
                Problem(
                    module.source_path,
                    module.front_matter_lines.get("kind"),
                    msg("special-kind-twice", kind=module.kind, file=first[module.kind].file_name),
                )
            )
        else:
            first[module.kind] = module
    return problems


def _completion(
    settings: CourseSettings, modules: list[ModuleSpec], course_yml: str
) -> list[Problem]:
    problems = []
    lines = settings.setting_lines
    by_slug = {m.slug: m for m in modules}
    completion = settings.completion

    def report(key: str, message: Msg) -> None:
        problems.append(Problem(course_yml, lines.get(key) or lines.get("completion"), message))

    if not isinstance(completion.modules, str):
        for index, slug in enumerate(completion.modules):
            if slug not in by_slug:
                hint = did_you_mean(slug, by_slug)
                report(
                    f"completion.modules.{index}",
                    msg("completion-module-unknown", slug=slug, hint=hint),
                )
    if not isinstance(completion.quizzes, str):
        for index, slug in enumerate(completion.quizzes):
            message = _required_quiz_problem(slug, by_slug)
            if message:
                report(f"completion.quizzes.{index}", message)
    if completion.survey and not any(m.kind == ModuleKind.SURVEY for m in modules):
        report("completion.survey", msg("completion-survey-missing"))
    return problems


def _required_quiz_problem(slug: str, by_slug: dict[str, ModuleSpec]) -> Msg | None:
    module = by_slug.get(slug)
    if module is None:
        return msg("completion-quiz-unknown", slug=slug, hint=did_you_mean(slug, by_slug))
    if module.quiz is None:
        return msg("completion-quiz-missing", slug=slug)
    if module.kind == ModuleKind.PRE_TEST:
        return msg("completion-quiz-pre-test", slug=slug)
    if module.kind == ModuleKind.SURVEY:
        return msg("completion-quiz-survey", slug=slug)
    return None
