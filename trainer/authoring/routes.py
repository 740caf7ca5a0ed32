"""The course editor: new courses, course.yml, modules with preview, assets, publication.

Every view loads the course, checks ``can_author_course`` (403 otherwise), calls one
service, commits once and redirects; problems found by the checker are shown, never raised.
"""

from __future__ import annotations

from dataclasses import replace

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from trainer.auth.policy import check
from trainer.authoring import drafts
from trainer.authoring.diff import text_diff
from trainer.authoring.drafts import clean_text, find_draft, start_draft
from trainer.authoring.errors import AuthoringError, EditConflict
from trainer.authoring.files import CourseFiles, text_sha256, working_files
from trainer.authoring.forms import (
    AssetDeleteForm,
    AssetForm,
    DiscardForm,
    ModuleForm,
    MoveForm,
    NewCourseForm,
    NewModuleForm,
    PublishForm,
    SettingsForm,
    ZipForm,
)
from trainer.authoring.gift_import import GiftOutcome, gift_into_files
from trainer.authoring.models import CourseDraft
from trainer.authoring.policy import can_author_course, can_create_courses
from trainer.authoring.preview import module_preview
from trainer.authoring.validate import check_files
from trainer.courses.models import Course
from trainer.courses.services import find_course
from trainer.courses.text import decode_utf8
from trainer.extensions import db
from trainer.storage.models import StoredFile
from trainer.storage.responses import file_response

bp = Blueprint("authoring", __name__, template_folder="templates")


def courses_dir() -> str:
    return current_app.config["COURSES_DIR"]


def load_for_editing(slug: str) -> tuple[Course, CourseDraft | None, CourseFiles]:
    """The course, its draft and the files the editor shows; 404, or 403 unless an editor."""
    course = find_course(slug)
    if course is None:
        abort(404)
    draft = find_draft(course)
    check(can_author_course(current_user, course, draft))
    files = working_files(course, draft, courses_dir())
    if files is None:
        abort(404)
    return course, draft, files


def asset_prefix(course: Course) -> str:
    return url_for("authoring.editor", slug=course.slug) + "/assets"


@bp.get("/authoring")
@login_required
def index():
    check(can_create_courses(current_user))
    courses = drafts.editable_courses(current_user)
    return render_template("authoring/index.html", courses=courses)


@bp.route("/authoring/courses/new", methods=["GET", "POST"])
@login_required
def new_course():
    check(can_create_courses(current_user))
    form = NewCourseForm()
    if form.validate_on_submit():
        fields = {k: v for k, v in form.data.items() if k not in ("submit", "csrf_token")}
        fields["estimated_hours"] = float(fields["estimated_hours"] or 0) or None
        try:
            course = drafts.create_course(current_user, courses_dir(), **fields)
        except AuthoringError as error:
            db.session.rollback()
            getattr(form, error.field or "slug").errors.append(str(error))
        else:
            db.session.commit()
            flash(
                _("The course is created as a draft. Add its modules, then publish it."), "success"
            )
            return redirect(url_for("authoring.editor", slug=course.slug))
    return render_template("authoring/new_course.html", form=form)


@bp.get("/courses/<slug>/edit")
@login_required
def editor(slug: str):
    course, draft, files = load_for_editing(slug)
    return _render_editor(course, draft, files)


def _render_editor(course: Course, draft: CourseDraft | None, files: CourseFiles, **forms):
    checked = check_files(files, courses_dir())
    current = course.current_version
    return render_template(
        "authoring/editor.html",
        course=course,
        draft=draft,
        files=files,
        checked=checked,
        has_changes=draft is not None
        and (current is None or files.content_hash != current.content_hash),
        is_behind=draft is not None and draft.base_version_id != course.current_version_id,
        module_form=forms.get("module_form") or NewModuleForm(),
        asset_form=forms.get("asset_form") or AssetForm(),
        publish_form=PublishForm(),
        discard_form=DiscardForm(),
        zip_form=ZipForm(),
    )


@bp.post("/courses/<slug>/edit/modules")
@login_required
def add_module(slug: str):
    course, draft, files = load_for_editing(slug)
    form = NewModuleForm()
    if form.validate_on_submit():
        try:
            draft = start_draft(course, current_user, courses_dir())
            drafts.add_module(
                draft,
                current_user,
                form.module_slug.data.strip(),
                form.module_title.data.strip(),
                form.kind.data,
                form.minutes.data,
            )
        except AuthoringError as error:
            db.session.rollback()
            form.module_slug.errors.append(str(error))
        else:
            db.session.commit()
            return redirect(
                url_for("authoring.module", slug=slug, module_slug=form.module_slug.data.strip())
            )
    return _render_editor(course, find_draft(course), files, module_form=form)


@bp.route("/courses/<slug>/edit/modules/<module_slug>", methods=["GET", "POST"])
@login_required
def module(slug: str, module_slug: str):
    course, _draft, files = load_for_editing(slug)
    saved = files.module(module_slug)
    if saved is None:
        abort(404)
    form = ModuleForm(source=saved.text, base_hash=text_sha256(saved.text))
    conflict = gift = None
    if form.validate_on_submit():
        text = clean_text(form.source.data)
        if form.add_gift.data:
            gift = _convert_gift(form, files.with_module(module_slug, text), module_slug)
            text = gift.text if gift is not None else text
        if form.save.data or (gift is not None and gift.written):
            try:
                draft = start_draft(course, current_user, courses_dir())
                drafts.save_module(draft, current_user, module_slug, text, form.base_hash.data)
            except EditConflict as error:
                db.session.rollback()
                conflict = error
                form.base_hash.data = text_sha256(error.current)
            except AuthoringError as error:  # the module was removed meanwhile
                db.session.rollback()
                form.source.errors.append(str(error))
            else:
                db.session.commit()
                _flash_saved(gift)
                return redirect(url_for("authoring.module", slug=slug, module_slug=module_slug))
        files = files.with_module(module_slug, text)
        form.source.data = text
    return _render_module(course, files, module_slug, form, conflict=conflict, gift=gift)


def _convert_gift(form: ModuleForm, files: CourseFiles, module_slug: str) -> GiftOutcome | None:
    """The module's text with the uploaded GIFT questions appended, or None (form error)."""
    upload = form.gift.data
    gift_text = decode_utf8(upload.read())[0] if upload else None
    if gift_text is None:
        form.gift.errors.append(_("Choose a GIFT file saved as UTF-8 text."))
        return None
    gift = gift_into_files(files, module_slug, gift_text, courses_dir())
    if not gift.result.questions:
        form.gift.errors.append(_("No question of this file could be converted."))
    elif gift.problems:
        form.gift.errors.append(
            _(
                "The questions are below but NOT saved: with them the module would have the "
                "problems listed. Fix them and save, or reload the page to leave them out."
            )
        )
    return gift


def _flash_saved(gift: GiftOutcome | None) -> None:
    if gift is None:
        flash(_("Draft saved. Participants see it once the course is published."), "success")
        return
    count = len(gift.result.questions)
    flash(
        ngettext(
            "%(num)d GIFT question added and the draft saved.",
            "%(num)d GIFT questions added and the draft saved.",
            count,
        ),
        "success",
    )
    for line, reason in gift.skipped:
        message = _("GIFT line %(line)d not converted: %(reason)s", line=line, reason=reason)
        flash(message, "warning")


def _render_module(course, files, module_slug, form, *, conflict=None, gift=None):
    checked = check_files(files, courses_dir())
    spec = checked.module(module_slug)
    module_file = files.module(module_slug)
    return render_template(
        "authoring/module.html",
        course=course,
        module_file=module_file,
        form=form,
        messages=checked.of_file(module_file.file_name),
        preview=module_preview(spec, asset_prefix(course)) if spec else None,
        conflict=conflict,
        conflict_lines=_conflict_lines(conflict, module_file.text),
        gift=gift,
    )


def _conflict_lines(conflict: EditConflict | None, yours: str) -> tuple:
    if conflict is None:
        return ()
    diff = text_diff("saved", conflict.current, "yours", yours)
    return diff.lines if diff is not None else ()


@bp.post("/courses/<slug>/edit/preview")
@login_required
def preview(slug: str):
    """The preview part of the module page, for the editor's script to swap in."""
    course, _draft, files = load_for_editing(slug)
    module_slug = request.form.get("module", "")
    module_file = files.module(module_slug)
    if module_file is None:
        abort(404)
    files = files.with_module(module_slug, clean_text(request.form.get("source", "")))
    checked = check_files(files, courses_dir())
    spec = checked.module(module_slug)
    return render_template(
        "authoring/_preview.html",
        course=course,
        module_file=module_file,
        messages=checked.of_file(module_file.file_name),
        preview=module_preview(spec, asset_prefix(course)) if spec else None,
    )


@bp.post("/courses/<slug>/edit/modules/<module_slug>/move")
@login_required
def move_module(slug: str, module_slug: str):
    course, _draft, files = load_for_editing(slug)
    if files.module(module_slug) is None:
        abort(404)
    form = MoveForm()
    steps = {"up": -1, "down": 1}
    if form.validate_on_submit() and form.direction.data in steps:
        draft = start_draft(course, current_user, courses_dir())
        drafts.move_module(draft, current_user, module_slug, steps[form.direction.data])
        db.session.commit()
    return redirect(url_for("authoring.editor", slug=slug) + "#modules")


@bp.post("/courses/<slug>/edit/modules/<module_slug>/delete")
@login_required
def delete_module(slug: str, module_slug: str):
    course, _draft, files = load_for_editing(slug)
    if files.module(module_slug) is None:
        abort(404)
    draft = start_draft(course, current_user, courses_dir())
    drafts.remove_module(draft, current_user, module_slug)
    db.session.commit()
    flash(
        _(
            "Module “%(slug)s” removed from the draft. When the course is published it is "
            "archived: participants' progress in it is kept.",
            slug=module_slug,
        ),
        "success",
    )
    return redirect(url_for("authoring.editor", slug=slug) + "#modules")


@bp.route("/courses/<slug>/edit/settings", methods=["GET", "POST"])
@login_required
def settings(slug: str):
    course, _draft, files = load_for_editing(slug)
    form = SettingsForm(course_yml=files.course_yml, base_hash=text_sha256(files.course_yml))
    conflict = None
    if form.validate_on_submit():
        text = clean_text(form.course_yml.data)
        if form.save.data:
            try:
                draft = start_draft(course, current_user, courses_dir())
                drafts.save_course_yml(draft, current_user, text, form.base_hash.data)
            except EditConflict as error:
                db.session.rollback()
                conflict = error
                form.base_hash.data = text_sha256(error.current)
            except AuthoringError as error:
                db.session.rollback()
                form.course_yml.errors.append(str(error))
            else:
                db.session.commit()
                flash(_("Draft saved."), "success")
                return redirect(url_for("authoring.settings", slug=slug))
        files = replace(files, course_yml=text)
        form.course_yml.data = text
    checked = check_files(files, courses_dir())
    return render_template(
        "authoring/settings.html",
        course=course,
        form=form,
        messages=checked.of_file("course.yml"),
        conflict=conflict,
        conflict_lines=_conflict_lines(conflict, files.course_yml),
    )


@bp.post("/courses/<slug>/edit/assets")
@login_required
def upload_asset(slug: str):
    course, _draft, files = load_for_editing(slug)
    form = AssetForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            draft = start_draft(course, current_user, courses_dir())
            asset = drafts.add_asset(draft, current_user, upload.filename or "", upload.read())
        except AuthoringError as error:
            db.session.rollback()
            form.file.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Uploaded: link to it as assets/%(name)s.", name=asset.name), "success")
            return redirect(url_for("authoring.editor", slug=slug) + "#assets")
    return _render_editor(course, find_draft(course), files, asset_form=form)


@bp.post("/courses/<slug>/edit/assets/delete")
@login_required
def delete_asset(slug: str):
    course, _draft, files = load_for_editing(slug)
    form = AssetDeleteForm()
    name = form.name.data or ""
    if not form.validate_on_submit() or not any(a.name == name for a in files.assets):
        abort(404)
    drafts.remove_asset(start_draft(course, current_user, courses_dir()), current_user, name)
    db.session.commit()
    flash(_("assets/%(name)s removed from the draft.", name=name), "success")
    return redirect(url_for("authoring.editor", slug=slug) + "#assets")


@bp.get("/courses/<slug>/edit/assets/<path:name>")
@login_required
def draft_asset(slug: str, name: str):
    """An asset of the draft (or current version), for the preview; served like published ones."""
    _course, _draft, files = load_for_editing(slug)
    asset = next((a for a in files.assets if a.name == name), None)
    if asset is None:
        abort(404)
    stored = db.session.get(StoredFile, asset.stored_file_id)
    return file_response(stored, name, asset.content_type, cache="private, no-cache")
