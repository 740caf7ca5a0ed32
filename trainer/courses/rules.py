"""Rules about a course as a whole: its module kinds and its completion rules."""

from __future__ import annotations

from .spec import SPECIAL_KINDS, CourseSettings, ModuleSpec, Problem
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
                    f"a course has only one {module.kind}, and "
                    f"{first[module.kind].file_name} already is it: change this "
                    "module's `kind`",
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

    def report(key: str, message: str) -> None:
        problems.append(Problem(course_yml, lines.get(key) or lines.get("completion"), message))

    if not isinstance(completion.modules, str):
        for index, slug in enumerate(completion.modules):
            if slug not in by_slug:
                report(
                    f"completion.modules.{index}",
                    f"`completion.modules` names `{slug}`, which is not a module of this "
                    f"course{did_you_mean(slug, by_slug)}: use module slugs (the file name "
                    "without NN- and .md)",
                )
    if not isinstance(completion.quizzes, str):
        for index, slug in enumerate(completion.quizzes):
            message = _required_quiz_problem(slug, by_slug)
            if message:
                report(f"completion.quizzes.{index}", message)
    if completion.survey and not any(m.kind == "survey" for m in modules):
        report(
            "completion.survey",
            "`completion.survey` is true but the course has no survey "
            "module: add one (`kind: survey`) or set `survey: false`",
        )
    return problems


def _required_quiz_problem(slug: str, by_slug: dict[str, ModuleSpec]) -> str | None:
    module = by_slug.get(slug)
    if module is None:
        return (
            f"`completion.quizzes` names `{slug}`, which is not a module of this course"
            f"{did_you_mean(slug, by_slug)}"
        )
    if module.quiz is None:
        return (
            f"`completion.quizzes` names `{slug}`, but that module has no quiz: remove it "
            "from the list or add a quiz block to the module"
        )
    if module.kind == "pre-test":
        return (
            f"`{slug}` is the pre-test, which measures what participants knew before the "
            "course and so cannot be required to pass: remove it from `completion.quizzes`"
        )
    if module.kind == "survey":
        return (
            f"`{slug}` is the survey, which has no pass mark: require it with "
            "`completion.survey: true` instead"
        )
    return None
