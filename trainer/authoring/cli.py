"""``flask --app wsgi courses import-gift FILE --into COURSE/MODULE``: Moodle GIFT questions
into a module's quiz, through the editor's draft or the module file."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from trainer.authoring.errors import AuthoringError
from trainer.authoring.gift_import import gift_into_draft, gift_into_folder
from trainer.courses.services import find_course
from trainer.courses.text import decode_utf8
from trainer.extensions import db


@click.command("import-gift")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--into",
    "target",
    required=True,
    metavar="COURSE_SLUG/MODULE_SLUG",
    help="The module whose quiz gets the questions.",
)
def import_gift_command(file: Path, target: str) -> None:
    """Append the questions of a Moodle GIFT file to a module's quiz.

    A course edited in the browser gets them in its draft; otherwise the module file under
    COURSES_DIR is changed, for you to review and commit. Nothing is written unless the
    module still passes the check.
    """
    course_slug, _, module_slug = target.partition("/")
    if not course_slug or not module_slug:
        raise click.BadParameter("write it as COURSE_SLUG/MODULE_SLUG", param_hint="--into")
    gift_text, bad_line = decode_utf8(file.read_bytes())
    if gift_text is None:
        raise click.ClickException(f"{file}:{bad_line}: the file is not UTF-8; save it as UTF-8.")
    courses_dir = current_app.config["COURSES_DIR"]
    course = find_course(course_slug)
    try:
        if course is not None and course.source == "web":
            outcome = gift_into_draft(course, None, module_slug, gift_text, courses_dir)
            where = f"the browser draft of {course_slug}, module {module_slug}"
            next_step = "Review the module in the web editor, then publish the course."
        else:
            folder = Path(courses_dir) / course_slug
            if not folder.is_dir():
                raise click.ClickException(f"No course {course_slug} in {courses_dir}.")
            outcome = gift_into_folder(folder, module_slug, gift_text, courses_dir)
            where = f"{folder}/…-{module_slug}.md"
            next_step = (
                "Review the module file, commit it, then run `courses import` to publish it."
            )
    except AuthoringError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    for skipped in outcome.result.skipped:
        click.echo(f"{file}:{skipped.line}: not converted: {skipped.reason}", err=True)
    for problem in outcome.problems:
        line = f":{problem.line}" if problem.line else ""
        click.echo(f"{where}{line}: {problem.text}", err=True)
    if not outcome.written:
        db.session.rollback()
        reason = "the module would have problems" if outcome.problems else "no question converted"
        raise click.ClickException(f"Nothing was written: {reason}.")
    db.session.commit()
    click.echo(f"{len(outcome.result.questions)} question(s) appended to {where}. {next_step}")
