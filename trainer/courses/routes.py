"""Course content: the course page, module pages and course assets.

The course and module pages also show the participant's progress, enrolment and quizzes:
they ask trainer.learning.pages, and record a module view, so they are the one place where
content pages reach up into learning (models and services of courses never do).
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from trainer.auth.policy import check
from trainer.courses import services
from trainer.courses.models import Course
from trainer.extensions import db
from trainer.learning import pages
from trainer.learning.policy import can_see_course
from trainer.learning.progress import status_labels
from trainer.storage.models import StoredFile
from trainer.storage.responses import file_response

bp = Blueprint("courses", __name__, template_folder="templates")


def _load_course(slug: str) -> Course:
    course = services.find_course(slug)
    if course is None:
        abort(404)
    check(can_see_course(current_user, course))
    return course


@bp.get("/courses/<slug>")
@login_required
def course(slug: str):
    course = _load_course(slug)
    modules = services.current_modules(course, bodies=False)
    page = pages.course_page(current_user, course, modules)
    db.session.commit()  # a completion reached through a new version is recorded
    return render_template(
        "courses/course.html",
        course=course,
        modules=modules,
        page=page,
        status_labels=status_labels(),
    )


@bp.get("/courses/<slug>/modules/<module_slug>")
@login_required
def module(slug: str, module_slug: str):
    course = _load_course(slug)
    modules = services.current_modules(course, bodies=False)
    index = next((i for i, m in enumerate(modules) if m.slug == module_slug), None)
    if index is None:
        abort(404)
    page = pages.module_page(current_user, course, modules[index])
    db.session.commit()  # the view is recorded
    return render_template(
        "courses/module.html",
        course=course,
        module=modules[index],
        previous=modules[index - 1] if index > 0 else None,
        next=modules[index + 1] if index + 1 < len(modules) else None,
        position=index + 1,
        count=len(modules),
        page=page,
        status_labels=status_labels(),
    )


@bp.get("/courses/<slug>/assets/<path:name>")
@login_required
def asset(slug: str, name: str):
    course = _load_course(slug)
    found = services.find_asset(course, name)
    if found is None:
        abort(404)
    stored = db.session.get(StoredFile, found.stored_file_id)
    return file_response(
        stored, name, found.content_type, cache="private, max-age=3600", etag=found.sha256
    )
