"""Checking a whole courses/ tree: every course, then how translations match originals."""

from __future__ import annotations

from pathlib import Path

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
        return [], [Problem(where, None, "folder not found")]
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
        problems.append(
            Problem(
                where,
                None,
                "no course folders here: each course is a folder "
                "with a course.yml and NN-slug.md module files",
            )
        )
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
                message = (
                    f"`{twin.slug}` already is the `{course.language}` translation of "
                    f"`{course.translation_of}`: a course has one translation per language"
                )
        if message is not None:
            problems.append(_at_translation_of(course, message))
        else:
            problems += _compare_modules(course, known[course.translation_of])
    return problems


def _at_translation_of(course: CourseSpec, message: str) -> Problem:
    return Problem(f"{course.path}/course.yml", course.setting_lines.get("translation_of"), message)


def _translation_link_problem(course: CourseSpec, known: dict[str, CourseSpec]) -> str | None:
    """What is wrong with `translation_of` itself, or None."""
    target = course.translation_of
    original = known.get(target or "")
    if target == course.slug:
        return "a course cannot be a translation of itself: set `translation_of: null`"
    if original is None:
        return (
            f"`translation_of` names `{target}`, but there is no course folder `{target}`"
            f"{did_you_mean(target or '', known)}: use the original's folder name, or null if "
            "this course is an original"
        )
    if original.translation_of is not None:
        return (
            f"`{target}` is itself a translation (of `{original.translation_of}`): set "
            f"`translation_of: {original.translation_of}`, the original course"
        )
    if original.language == course.language:
        return (
            f"this course and its original `{target}` are both in `{course.language}`: a "
            "translation is in another language, so fix `language` or set "
            "`translation_of: null`"
        )
    return None


def _compare_modules(course: CourseSpec, original: CourseSpec) -> list[Problem]:
    """Modules and question ids must match: progress and learning gain compare across them."""
    problems: list[Problem] = []
    ours = [m.slug for m in course.modules]
    theirs = [m.slug for m in original.modules]
    missing = [s for s in theirs if s not in ours]
    extra = [s for s in ours if s not in theirs]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing {', '.join(missing)}")
        if extra:
            parts.append(f"not in the original: {', '.join(extra)}")
        problems.append(
            _at_translation_of(
                course,
                f"the modules differ from the original `{original.slug}` ({'; '.join(parts)}):"
                " a translation has the same module slugs (file names) as its original",
            )
        )
    elif ours != theirs:
        problems.append(
            _at_translation_of(
                course,
                f"the modules are in another order than in the original `{original.slug}` "
                f"({', '.join(theirs)}): number the files in the same order",
            )
        )
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
                f"this module is a {module.kind} but in the original `{course}` it is a "
                f"{original.kind}: use the same `kind`",
            )
        ]
    if (module.quiz is None) != (original.quiz is None):
        has = "has no quiz" if module.quiz is None else "has a quiz"
        return [
            Problem(
                where,
                module.quiz.line if module.quiz else None,
                f"this module {has} but its original in `{course}` "
                f"{'does' if module.quiz is None else 'does not'}: translate the quiz "
                "too, or remove it",
            )
        ]
    if module.quiz is None or original.quiz is None:
        return []
    ours, theirs = module.quiz.question_ids, original.quiz.question_ids
    if ours == theirs:
        return []
    missing = [q for q in theirs if q not in ours]
    extra = [q for q in ours if q not in theirs]
    detail = []
    if missing:
        detail.append(f"missing {', '.join(missing)}")
    if extra:
        detail.append(f"not in the original: {', '.join(extra)}")
    if not detail:
        detail.append("in another order")
    return [
        Problem(
            where,
            module.quiz.line,
            f"the question ids differ from the original's {original.file_name} in "
            f"`{course}` ({'; '.join(detail)}): translated questions keep the original's "
            "ids, so write the same {id=...} on each",
        )
    ]
