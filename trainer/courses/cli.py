"""``flask --app wsgi courses check|import PATH``.

The group also holds ``courses import-gift``, which belongs to the editor (trainer.authoring)
and is added to the group by trainer.cli: content knows nothing of the editor.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from trainer.courses.checks import check_courses
from trainer.courses.services import CourseImportError, import_course
from trainer.extensions import db

courses_cli = AppGroup("courses", help="Check and import courses written as Markdown files.")


def _report(problems) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


@courses_cli.command("check")
@click.argument("path", type=click.Path(path_type=Path), default=Path("courses"))
def check_command(path: Path) -> None:
    """Validate one course folder or every course under PATH; writes nothing."""
    specs, problems = check_courses(path)
    _report(problems)
    if problems:
        raise click.ClickException(
            f"{len(problems)} problem(s) in {path}; nothing was changed. Fix them and run "
            "the check again."
        )
    click.echo(f"{len(specs)} course(s) checked in {path}: no problems.")


@courses_cli.command("import")
@click.argument("path", type=click.Path(path_type=Path), default=Path("courses"))
@click.option(
    "--take-over", is_flag=True, help="Import even over a course now edited in the web editor."
)
def import_command(path: Path, take_over: bool) -> None:
    """Import one course folder or every course under PATH, each all-or-nothing."""
    specs, problems = check_courses(path)
    _report(problems)
    failed = 0
    for spec in specs:
        if _has_problems(spec, problems):
            click.echo(f"{spec.slug}: not imported, fix the problems above.", err=True)
            failed += 1
            continue
        try:
            with db.session.begin_nested():
                outcome = import_course(spec, take_over=take_over)
            db.session.commit()
        except CourseImportError as error:
            db.session.rollback()
            click.echo(str(error), err=True)
            failed += 1
            continue
        _describe(outcome)
    if failed or problems:
        raise click.ClickException(f"{failed} course(s) not imported.")


def _has_problems(spec, problems) -> bool:
    prefix = spec.path.rstrip("/") + "/"
    return any(p.path == spec.path or p.path.startswith(prefix) for p in problems)


def _describe(outcome) -> None:
    course, version = outcome.course, outcome.version
    if outcome.status == "unchanged":
        click.echo(f"{course.slug}: no change (version {version.number}).")
        return
    verb = "imported" if outcome.status == "created" else "updated to"
    click.echo(f"{course.slug}: {verb} version {version.number} ({len(version.modules)} modules).")
    if outcome.archived_modules:
        click.echo(
            f"{course.slug}: archived modules no longer in the files: "
            f"{', '.join(outcome.archived_modules)}"
        )
