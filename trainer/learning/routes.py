"""The participant's journey: catalogue, course and module pages, enrolment, completing
modules, taking quizzes.

The course and module pages live here rather than with the content (trainer.courses): what
they show beyond the content is the participant's enrolment, progress and quizzes."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import BadRequest

from trainer.auth.policy import check
from trainer.courses import services as courses
from trainer.courses.models import Course, ModuleVersion
from trainer.dbtypes import utcnow
from trainer.extensions import csrf, db
from trainer.learning import attempts, forms, pages, policy, services
from trainer.learning.catalogue import catalogue as build_catalogue
from trainer.learning.models import QuizAttempt
from trainer.learning.progress import status_labels
from trainer.learning.views import render_attempt, render_result
from trainer.sqlite import short_write_transaction
from trainer.storage.models import StoredFile
from trainer.storage.responses import file_response

bp = Blueprint("learning", __name__, template_folder="templates")


def _load_course(slug: str) -> Course:
    course = courses.find_course(slug)
    if course is None:
        abort(404)
    check(policy.can_see_course(current_user, course))
    return course


def _load_module(slug: str, module_slug: str) -> tuple[Course, ModuleVersion, list]:
    course = _load_course(slug)
    modules = courses.current_modules(course, bodies=False)
    module = next((m for m in modules if m.slug == module_slug), None)
    if module is None:
        abort(404)
    return course, module, modules


def _load_attempt(attempt_id: int) -> QuizAttempt:
    """Someone else's attempt is "not found": its existence is nobody else's business."""
    attempt = attempts.find_attempt(attempt_id)
    if attempt is None or not policy.owns_attempt(current_user, attempt):
        abort(404)
    return attempt


def _left_the_course(attempt: QuizAttempt):
    """A participant who withdrew keeps their open attempt, but cannot send it until they
    enrol again (then it continues, if its time is not up)."""
    flash(_("You have left this course: enrol again to send your answers."), "error")
    return redirect(url_for("learning.course", slug=attempt.course.slug))


def _module_url(course_slug: str, module_slug: str) -> str:
    return url_for("learning.module", slug=course_slug, module_slug=module_slug)


@bp.get("/courses")
@login_required
def catalogue():
    language = current_user.language or str(get_locale() or "en")
    entries = build_catalogue(current_user, language)
    return render_template("learning/catalogue.html", entries=entries, language=language)


@bp.get("/courses/<slug>")
@login_required
def course(slug: str):
    facts = pages.find_course(current_user, slug)
    if facts is None:
        abort(404)
    check(policy.can_see_course(current_user, facts.course))
    modules = courses.current_modules(facts.course, bodies=False)
    page = pages.course_page(current_user, facts, modules)
    return render_template(
        "learning/course.html",
        course=facts.course,
        modules=modules,
        page=page,
        status_labels=status_labels(),
    )


@bp.get("/courses/<slug>/modules/<module_slug>")
@login_required
def module(slug: str, module_slug: str):
    facts = pages.find_module(current_user, slug, module_slug)
    if facts is None:
        _load_course(slug)  # no such course (404), or not the reader's to see (403)
        abort(404)
    check(policy.can_see_course(current_user, facts.course))
    page = pages.module_page(current_user, facts)
    if page.view_due:
        # The one write a page makes ("active" participants), in its own short transaction.
        with short_write_transaction():
            services.record_view(page.enrolment, facts.module.slug)
    return render_template(
        "learning/module.html",
        course=facts.course,
        module=facts.module,
        previous=facts.previous,
        next=facts.next,
        position=facts.position,
        count=facts.count,
        page=page,
        status_labels=status_labels(),
    )


@bp.get("/courses/<slug>/assets/<path:name>")
@login_required
def asset(slug: str, name: str):
    course = _load_course(slug)
    found = courses.find_asset(course, name)
    if found is None:
        abort(404)
    stored = db.session.get(StoredFile, found.stored_file_id)
    return file_response(
        stored, name, found.content_type, cache="private, max-age=3600", etag=found.sha256
    )


@bp.post("/courses/<slug>/enrol")
@login_required
def enrol(slug: str):
    course = _load_course(slug)
    enrolment = services.find_enrolment(current_user, course.family)
    check(policy.can_enrol(current_user, course, enrolment))
    switching = enrolment is not None and enrolment.is_active and enrolment.course_id != course.id
    services.enrol(current_user, course)
    db.session.commit()
    if switching:
        flash(_("You now follow this course in this language. Your progress is kept."), "success")
    else:
        flash(_("You are enrolled. Start with the first module."), "success")
    return redirect(url_for("learning.course", slug=course.slug))


@bp.post("/courses/<slug>/withdraw")
@login_required
def withdraw(slug: str):
    course = _load_course(slug)
    check(policy.is_participant(current_user))
    enrolment = services.find_enrolment(current_user, course.family)
    if enrolment is not None and enrolment.is_active:
        services.withdraw(enrolment)
        db.session.commit()
        flash(_("You have left the course. Your progress is kept if you come back."), "info")
    return redirect(url_for("learning.course", slug=course.slug))


@bp.post("/courses/<slug>/modules/<module_slug>/complete")
@login_required
def complete(slug: str, module_slug: str):
    course, module, modules = _load_module(slug, module_slug)
    enrolment = services.find_enrolment(current_user, course.family)
    check(policy.can_study(current_user, enrolment))
    try:
        services.mark_complete(current_user, enrolment, module)
    except services.LearningError as error:
        flash(str(error), "error")
        return redirect(_module_url(course.slug, module.slug))
    db.session.commit()
    flash(_("Module completed."), "success")
    following = modules[modules.index(module) + 1 :]
    if following:
        return redirect(_module_url(course.slug, following[0].slug))
    return redirect(url_for("learning.course", slug=course.slug))


@bp.post("/courses/<slug>/modules/<module_slug>/attempts")
@login_required
def start(slug: str, module_slug: str):
    course, module, _modules = _load_module(slug, module_slug)
    enrolment = services.find_enrolment(current_user, course.family)
    check(policy.can_study(current_user, enrolment))
    try:
        attempt = attempts.start_attempt(current_user, enrolment, course, module)
    except attempts.AttemptRefused as error:
        db.session.commit()  # an overdue attempt may have been closed on the way
        flash(str(error), "error")
        return redirect(_module_url(course.slug, module.slug))
    db.session.commit()
    return redirect(url_for("learning.attempt", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>")
@login_required
def attempt(attempt_id: int):
    attempt = _load_attempt(attempt_id)
    now = utcnow()
    if attempts.is_overdue_open(attempt, now):
        # Shown closed; stored closed by the participant's next start or submit, or cleanup.
        attempt = attempts.as_closed(attempt, now)
        flash(_("The time for this attempt is over."), "warning")
    studying = policy.can_study(current_user, services.find_enrolment(current_user, attempt.family))
    if attempt.is_in_progress:
        if not studying:
            return _left_the_course(attempt)
        return render_attempt(
            attempt, attempt.draft_answers or {}, draft=bool(attempt.draft_answers)
        )
    return render_result(attempt, can_study=studying)


@bp.post("/attempts/<int:attempt_id>")
@csrf.exempt  # the attempt's own token protects this form, so answers outlive the session
def submit(attempt_id: int):
    if not current_user.is_authenticated:
        return _keep_answers_for_later(attempt_id)
    attempt = _load_attempt(attempt_id)
    if not attempts.token_matches(attempt, request.form.get("attempt_token")):
        error = BadRequest(_("This quiz form is out of date. Open the quiz again from its page."))
        error.show_to_user = True  # type: ignore[attr-defined]
        raise error
    if not policy.can_study(current_user, services.find_enrolment(current_user, attempt.family)):
        return _left_the_course(attempt)
    posted = forms.read_answers(request.form, attempt.module_version.quiz)
    if posted.errors:
        return render_attempt(attempt, posted.answers, errors=posted.errors, status=422)
    outcome = attempts.submit_answers(attempt, posted.answers)
    db.session.commit()
    if outcome.status == attempts.ALREADY_SUBMITTED:
        flash(_("These answers had already been sent; the attempt was scored once."), "info")
    elif outcome.status == attempts.REFUSED_LATE:
        flash(_("Time was up: this quiz does not accept answers after its time limit."), "error")
    elif outcome.is_late:
        flash(_("Your answers arrived after the time limit; they were scored as sent."), "warning")
    return redirect(url_for("learning.attempt", attempt_id=attempt_id))


def _keep_answers_for_later(attempt_id: int):
    """The session expired while answering: keep the answers, then ask to log in again."""
    attempt = attempts.find_attempt(attempt_id)
    token_ok = attempt is not None and attempts.token_matches(
        attempt, request.form.get("attempt_token")
    )
    if token_ok and attempt.is_in_progress:
        posted = forms.read_answers(request.form, attempt.module_version.quiz)
        if attempts.save_draft(attempt, forms.within_limits(posted)):
            db.session.commit()
            flash(
                _(
                    "Your session had expired, so your answers were not sent yet. They are "
                    "kept: log in again to check them and send them."
                ),
                "warning",
            )
    next_url = url_for("learning.attempt", attempt_id=attempt_id)
    return redirect(url_for("auth.login", next=next_url))
