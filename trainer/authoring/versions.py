"""Versions of a course: publish or discard the draft, history, differences, zip in and out."""

from __future__ import annotations

import io
from pathlib import PurePosixPath

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from trainer.auth.policy import check
from trainer.authoring.diff import diff_courses
from trainer.authoring.drafts import discard_draft
from trainer.authoring.errors import AuthoringError
from trainer.authoring.forms import DiffForm, DiscardForm, PublishForm, ZipForm
from trainer.authoring.history import files_for, version_history
from trainer.authoring.policy import can_create_courses
from trainer.authoring.publish import CourseInvalid, import_zip, publish_draft
from trainer.authoring.routes import courses_dir, load_for_editing
from trainer.authoring.zipfiles import ZipRefused, export_zip
from trainer.courses.models import Course
from trainer.courses.services import ImportOutcome
from trainer.extensions import db

bp = Blueprint("versions", __name__, template_folder="templates")


@bp.post("/courses/<slug>/edit/publish")
@login_required
def publish(slug: str):
    course, draft, _files = load_for_editing(slug)
    form = PublishForm()
    if not form.validate_on_submit():
        flash(_("The note is too long: keep it under 2000 characters."), "error")
        return redirect(url_for("authoring.editor", slug=slug))
    try:
        outcome = publish_draft(
            course,
            draft,
            current_user,
            courses_dir=courses_dir(),
            note=form.note.data or "",
            replace_newer=form.replace_newer.data,
        )
    except AuthoringError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("authoring.editor", slug=slug))
    db.session.commit()
    _flash_outcome(outcome)
    return redirect(url_for("versions.history", slug=slug))


def _flash_outcome(outcome: ImportOutcome) -> None:
    number = outcome.version.number
    if outcome.status == "unchanged":
        flash(_("Nothing changed: version %(n)d is still the current one.", n=number), "info")
        return
    flash(
        _(
            "Version %(n)d is published. The course is now edited in the browser: an import "
            "from the course folders is refused until somebody takes it back (see the guide).",
            n=number,
        ),
        "success",
    )
    if outcome.archived_modules:
        flash(
            _(
                "Archived modules (participants' progress in them is kept): %(slugs)s",
                slugs=", ".join(outcome.archived_modules),
            ),
            "info",
        )


@bp.post("/courses/<slug>/edit/discard")
@login_required
def discard(slug: str):
    course, draft, _files = load_for_editing(slug)
    if draft is None:
        flash(_("There is no draft to discard."), "info")
    elif course.current_version_id is None:
        flash(_("This course was never published: there is no version to go back to."), "error")
    elif not DiscardForm().validate_on_submit():
        flash(_("Tick the box to confirm that the draft's changes may be lost."), "error")
    else:
        discard_draft(draft)
        db.session.commit()
        flash(_("The draft is discarded; the editor shows the current version again."), "success")
    return redirect(url_for("authoring.editor", slug=slug))


@bp.get("/courses/<slug>/versions")
@login_required
def history(slug: str):
    course, draft, _files = load_for_editing(slug)
    return render_template(
        "authoring/versions.html", course=course, draft=draft, versions=version_history(course)
    )


@bp.get("/courses/<slug>/versions/diff")
@login_required
def diff(slug: str):
    course, draft, _files = load_for_editing(slug)
    versions = version_history(course)
    choices = {"draft": _("Draft")} if draft is not None else {}
    choices.update({str(v.number): _("Version %(n)d", n=v.number) for v in versions})
    form = DiffForm(request.args)
    form.old.choices = form.new.choices = choices
    keys = list(choices)  # newest first, the draft before every version
    if len(keys) < 2:
        return render_template("authoring/diff.html", course=course, form=None, diffs=None)
    form.new.data = form.new.data or keys[0]
    form.old.data = form.old.data or keys[1]
    old = files_for(course, draft, form.old.data, courses_dir())
    new = files_for(course, draft, form.new.data, courses_dir())
    if old is None or new is None:
        abort(404)
    diffs, same = diff_courses(old, new)
    return render_template("authoring/diff.html", course=course, form=form, diffs=diffs, same=same)


@bp.get("/courses/<slug>/export")
@login_required
def export(slug: str):
    """A zip of the course folder: ?version=current (default), draft, or a number."""
    course, draft, _files = load_for_editing(slug)
    which = request.args.get("version", "current")
    files = files_for(course, draft, which, courses_dir())
    if files is None:
        abort(404)
    number = course.current_version.number if which == "current" and course.current_version else 0
    suffix = "draft" if which == "draft" else f"v{number or which}"
    return send_file(
        io.BytesIO(export_zip(files)),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"{slug}-{suffix}.zip",
    )


@bp.route("/authoring/import", methods=["GET", "POST"])
@login_required
def import_new():
    """A zip of a course folder: a new course, or a new version of one the actor edits."""
    check(can_create_courses(current_user))
    return _import(None)


@bp.post("/courses/<slug>/edit/import")
@login_required
def import_into(slug: str):
    course, _draft, _files = load_for_editing(slug)
    return _import(course)


def _import(course: Course | None):
    form = ZipForm()
    messages = ()
    if form.validate_on_submit():
        upload = form.zip_file.data
        try:
            outcome = import_zip(
                upload.read(),
                current_user,
                courses_dir=courses_dir(),
                course=course,
                slug=PurePosixPath(upload.filename or "").stem,
            )
        except CourseInvalid as error:
            db.session.rollback()
            form.zip_file.errors.append(str(error))
            messages = error.messages
        except ZipRefused as error:
            db.session.rollback()
            form.zip_file.errors.extend(error.reasons)
        except AuthoringError as error:
            db.session.rollback()
            form.zip_file.errors.append(str(error))
        else:
            db.session.commit()
            _flash_outcome(outcome)
            return redirect(url_for("versions.history", slug=outcome.course.slug))
    return render_template("authoring/import.html", course=course, form=form, messages=messages)
