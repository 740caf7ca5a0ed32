"""Reading one course folder into a CourseSpec and the list of everything wrong with it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .coursefile import parse_course_settings
from .files import read_assets, read_checked
from .messages import msg
from .module import MODULE_FILE_RE, parse_module
from .rules import check_course_rules
from .spec import (
    MAX_COURSE_YML_BYTES,
    MAX_MODULE_BYTES,
    AssetSpec,
    CourseSettings,
    CourseSpec,
    ModuleSpec,
    Problem,
    sorted_problems,
)
from .text import is_slug, suggest_slug

__all__ = ["load_course"]


@dataclass(frozen=True)
class _ModuleFile:
    number: int
    slug: str
    file: Path


def load_course(path: Path) -> tuple[CourseSpec | None, list[Problem]]:
    """Parse the course folder at `path`; problems name files as `path` was given.

    Every problem is collected, not just the first. The spec is None only when there is no
    usable course.yml (or no folder); otherwise it is returned even with problems, as a
    best-effort view, and must not be imported unless the problem list is empty.
    """
    where = path.as_posix()
    if not path.is_dir():
        return None, [Problem(where, None, msg("course-folder-not-found"))]
    root = path.resolve()
    problems: list[Problem] = []
    slug = root.name
    if not is_slug(slug):
        problems.append(
            Problem(
                where,
                None,
                msg("folder-name-not-slug", slug=slug, example=suggest_slug(slug) or "my-course"),
            )
        )
    module_files, assets_dir, has_yml = _scan_folder(path, where, problems)
    hashed: dict[str, str] = {}  # file name -> sha256, for the content hash

    settings = None
    yml_where = f"{where}/course.yml"
    if has_yml:
        read = read_checked(path / "course.yml", yml_where, root, MAX_COURSE_YML_BYTES, problems)
        if read is not None and read.text is not None:
            hashed["course.yml"] = read.sha256
            settings, yml_problems = parse_course_settings(read.text, yml_where)
            problems += yml_problems

    assets: list[AssetSpec] = []
    present: set[str] = set()  # every file under assets/, even rejected ones
    if assets_dir:
        assets, present = read_assets(path / "assets", f"{where}/assets", root, problems)
        hashed.update({f"assets/{a.name}": a.sha256 for a in assets})

    modules = _read_modules(module_files, where, root, present, hashed, problems)
    if not module_files:
        problems.append(Problem(where, None, msg("no-modules")))
    if settings is None:
        return None, sorted_problems(problems)
    problems += check_course_rules(settings, modules, yml_where)
    course = CourseSpec(
        **_settings_fields(settings),
        slug=slug,
        path=where,
        modules=tuple(modules),
        assets=tuple(assets),
        content_hash=_content_hash(hashed),
    )
    return course, sorted_problems(problems)


def _read_modules(
    module_files: list[_ModuleFile],
    where: str,
    root: Path,
    asset_names: set[str],
    hashed: dict[str, str],
    problems: list[Problem],
) -> list[ModuleSpec]:
    modules: list[ModuleSpec] = []
    for position, entry in enumerate(module_files, start=1):
        file_where = f"{where}/{entry.file.name}"
        read = read_checked(entry.file, file_where, root, MAX_MODULE_BYTES, problems)
        if read is None or read.text is None:
            continue
        hashed[entry.file.name] = read.sha256
        module, module_problems = parse_module(
            read.text,
            file_where,
            slug=entry.slug,
            number=entry.number,
            position=position,
            content_hash=read.sha256,
            asset_names=asset_names,
        )
        modules.append(module)
        problems += module_problems
    return modules


def _scan_folder(
    path: Path, where: str, problems: list[Problem]
) -> tuple[list[_ModuleFile], bool, bool]:
    """(module files in course order, has assets/, has course.yml); reports stray entries."""
    modules: list[_ModuleFile] = []
    has_assets = has_yml = False
    near_misses: list[str] = []
    for entry in sorted(path.iterdir()):
        name = entry.name
        if name.startswith("."):
            continue  # .git, .DS_Store, editor swap files
        if name == "course.yml":
            has_yml = True
        elif name == "assets":
            has_assets = True
        elif name.lower().endswith(".md"):
            module = _module_file(entry, f"{where}/{name}", problems)
            if module is not None:
                modules.append(module)
        elif name.lower() in ("course.yaml", "course.yml"):
            near_misses.append(name)
        else:
            code = "unexpected-folder" if entry.is_dir() else "unexpected-file"
            problems.append(Problem(f"{where}/{name}", None, msg(code)))
    if has_yml:
        for name in near_misses:
            problems.append(Problem(f"{where}/{name}", None, msg("settings-only-in-course-yml")))
    else:
        missing = (
            msg("course-yml-missing-rename", name=near_misses[0])
            if near_misses
            else msg("course-yml-missing")
        )
        problems.append(Problem(f"{where}/course.yml", None, missing))
    modules.sort(key=lambda m: (m.number, m.slug))
    _check_unique(modules, where, problems)
    return modules, has_assets, has_yml


def _module_file(entry: Path, where: str, problems: list[Problem]) -> _ModuleFile | None:
    match = MODULE_FILE_RE.match(entry.name)
    if match is not None and is_slug(match.group(2)):
        return _ModuleFile(int(match.group(1)), match.group(2), entry)
    if match is None:
        stem = entry.name[: -len(".md")]
        prefix, rest = "01", stem
        if "-" in stem and stem.split("-", 1)[0].isdigit():
            prefix, rest = stem.split("-", 1)
        message = msg(
            "module-file-name-example", name=f"{prefix}-{suggest_slug(rest) or 'module'}.md"
        )
    else:
        name = f"{match.group(1)}-{suggest_slug(match.group(2)) or 'module'}.md"
        message = msg("module-file-name", name=name)
    problems.append(Problem(where, None, message))
    return None


def _check_unique(modules: list[_ModuleFile], where: str, problems: list[Problem]) -> None:
    """Slugs identify modules (progress, completion rules); numbers decide the order."""
    slugs: dict[str, _ModuleFile] = {}
    numbers: dict[int, _ModuleFile] = {}
    for module in list(modules):
        file_where = f"{where}/{module.file.name}"
        if module.slug in slugs:
            problems.append(
                Problem(
                    file_where,
                    None,
                    msg("module-slug-taken", slug=module.slug, file=slugs[module.slug].file.name),
                )
            )
            modules.remove(module)
            continue
        if module.number in numbers:
            problems.append(
                Problem(
                    file_where,
                    None,
                    msg("module-number-taken", file=numbers[module.number].file.name),
                )
            )
        slugs[module.slug] = module
        numbers[module.number] = module


def _settings_fields(settings: CourseSettings) -> dict[str, object]:
    # Not dataclasses.asdict(): that would turn the nested specs into dicts.
    return {name: getattr(settings, name) for name in CourseSettings.__dataclass_fields__}


def _content_hash(hashed: dict[str, str]) -> str:
    """One digest for the whole course, independent of where the folder lives."""
    digest = hashlib.sha256()
    for name in sorted(hashed):
        digest.update(f"{name}\0{hashed[name]}\n".encode())
    return digest.hexdigest()
