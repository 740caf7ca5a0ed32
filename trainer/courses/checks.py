"""Checking a whole courses/ tree: every course, then how translations match originals."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .messages import Msg, msg
from .parser import load_course
from .spec import CourseSpec, ModuleSpec, Problem, sorted_problems
from .text import did_you_mean

__all__ = ["check_courses", "check_translations"]


def check_courses(root_or_folder: Path) -> tuple[list[CourseSpec], list[Problem]]:
    """Validate one course folder, or every course folder directly under a root.

    A single folder is still checked against its original when it is a translation: the
    original is looked up next to it and read, but only the translation's problems are
    reported.
    """
    where = root_or_folder.as_posix()
    if not root_or_folder.is_dir():
        return [], [Problem(where, None, msg("folder-not-found"))]
    if _is_course_folder(root_or_folder):
        course, problems = load_course(root_or_folder)
        courses = [course] if course is not None else []
        known = {c.slug: c for c in courses}
        if course is not None and course.translation_of and course.translation_of != course.slug:
            original, _ = load_course(root_or_folder.parent / course.translation_of)
            if original is not None:
                known[original.slug] = original
        problems += check_translations(courses, known)
        return courses, sorted_problems(problems)
    folders = sorted(
        p for p in root_or_folder.iterdir() if p.is_dir() and not p.name.startswith(".")
    )
    courses, problems = [], []
    for folder in folders:
        course, course_problems = load_course(folder)
        problems += course_problems
        if course is not None:
            courses.append(course)
    if not folders:
        problems.append(Problem(where, None, msg("no-course-folders")))
    problems += check_translations(courses, {c.slug: c for c in courses})
    return courses, sorted_problems(problems)


def _is_course_folder(folder: Path) -> bool:
    # A course folder that lacks its course.yml is still recognised by its modules, so the
    # trainer hears "course.yml is missing" rather than "assets/ has no course.yml".
    return (
        (folder / "course.yml").exists()
        or (folder / "assets").is_dir()
        or any(p.suffix == ".md" and p.name[:1].isdigit() for p in folder.iterdir())
    )


def check_translations(courses: list[CourseSpec], known: dict[str, CourseSpec]) -> list[Problem]:
    """Problems of `courses` that are translations, compared with their originals in `known`."""
    problems: list[Problem] = []
    by_language: dict[tuple[str, str], CourseSpec] = {}  # (original, language) -> translation
    for course in courses:
        if course.translation_of is None:
            continue
        message = _translation_link_problem(course, known)
        if message is None:
            key = (course.translation_of, course.language)
            twin = by_language.setdefault(key, course)
            if twin is not course:
                message = msg(
                    "translation-twin",
                    twin=twin.slug,
                    language=course.language,
                    original=course.translation_of,
                )
        if message is not None:
            problems.append(_at_translation_of(course, message))
        else:
            problems += _compare_modules(course, known[course.translation_of])
    return problems


def _at_translation_of(course: CourseSpec, message: Msg) -> Problem:
    return Problem(f"{course.path}/course.yml", course.setting_lines.get("translation_of"), message)


def _translation_link_problem(course: CourseSpec, known: dict[str, CourseSpec]) -> Msg | None:
    """What is wrong with `translation_of` itself, or None."""
    target = course.translation_of
    original = known.get(target or "")
    if target == course.slug:
        return msg("translation-of-itself")
    if original is None:
        hint = did_you_mean(target or "", known)
        return msg("translation-original-unknown", target=target, hint=hint)
    if original.translation_of is not None:
        return msg("translation-of-a-translation", target=target, original=original.translation_of)
    if original.language == course.language:
        return msg("translation-same-language", target=target, language=course.language)
    return None


def _differences(ours: Sequence[str], theirs: Sequence[str]) -> Msg | None:
    """What is missing from `ours` and what is not in `theirs`, or None if nothing is."""
    missing = ", ".join(s for s in theirs if s not in ours)
    extra = ", ".join(s for s in ours if s not in theirs)
    if missing and extra:
        return msg("detail-missing-and-extra", missing=missing, extra=extra)
    if missing:
        return msg("detail-missing", items=missing)
    if extra:
        return msg("detail-extra", items=extra)
    return None


def _compare_modules(course: CourseSpec, original: CourseSpec) -> list[Problem]:
    """Modules and question ids must match: progress and learning gain compare across them."""
    problems: list[Problem] = []
    ours = [m.slug for m in course.modules]
    theirs = [m.slug for m in original.modules]
    difference = _differences(ours, theirs)
    if difference:
        message = msg("translation-modules-differ", original=original.slug, detail=difference)
        problems.append(_at_translation_of(course, message))
    elif ours != theirs:
        message = msg("translation-modules-order", original=original.slug, order=", ".join(theirs))
        problems.append(_at_translation_of(course, message))
    for module in course.modules:
        counterpart = original.module(module.slug)
        if counterpart is not None:
            problems += _compare_module(module, counterpart, original.slug)
    return problems


def _compare_module(module: ModuleSpec, original: ModuleSpec, course: str) -> list[Problem]:
    where = module.source_path
    if module.kind != original.kind:
        return [
            Problem(
                where,
                module.front_matter_lines.get("kind", 1),
                msg(
                    "translation-kind-differs",
                    kind=module.kind,
                    course=course,
                    original_kind=original.kind,
                ),
            )
        ]
    if (module.quiz is None) != (original.quiz is None):
        code = "translation-quiz-missing" if module.quiz is None else "translation-quiz-extra"
        return [Problem(where, module.quiz.line if module.quiz else None, msg(code, course=course))]
    if module.quiz is None or original.quiz is None:
        return []
    ours, theirs = module.quiz.question_ids, original.quiz.question_ids
    if ours == theirs:
        return []
    detail = _differences(ours, theirs) or msg("detail-order")
    message = msg("translation-question-ids", file=original.file_name, course=course, detail=detail)
    return [Problem(where, module.quiz.line, message)]
