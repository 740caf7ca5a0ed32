"""Interface language: the user's choice, then the picker, then the browser, then English."""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from trainer.courses.spec import ModuleKind
from trainer.extensions import babel
from trainer.languages import LANGUAGES


def select_locale() -> str:
    languages = LANGUAGES
    if not has_request_context():
        # Commands and background work: English unless the caller forces a locale.
        return languages[0]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    chosen = session.get("language")
    if chosen in languages:
        return chosen
    # werkzeug matches a primary tag too, so es-EC, es-419 and es all pick Spanish.
    return request.accept_languages.best_match(languages) or languages[0]


def select_timezone() -> str:
    """The programme's time zone (admin setting), else the configured default."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_TIMEZONE"]
    if "programme" not in g:
        from trainer.auth.services import programme_settings

        g.programme = programme_settings()
    programme = g.programme
    if programme is not None and programme.default_timezone:
        return programme.default_timezone
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def init_babel(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)


def role_names() -> dict[str, str]:
    return {
        "participant": _l("Participant"),
        "trainer": _l("Trainer"),
        "coordinator": _l("Coordinator"),
        "admin": _l("Administrator"),
    }


def question_type_names() -> dict[str, str]:
    """What each question type is called where trainers see it (the editor's preview)."""
    return {
        "single": _l("One right answer"),
        "multiple": _l("Several right answers"),
        "true_false": _l("True or false"),
        "short_text": _l("Short answer"),
        "numeric": _l("Number"),
        "scale": _l("Scale"),
        "free_text": _l("Free text"),
    }


def module_kind_names() -> dict[str, str]:
    return {
        ModuleKind.LESSON.value: _l("Lesson"),
        ModuleKind.PRE_TEST.value: _l("Pre-test"),
        ModuleKind.POST_TEST.value: _l("Post-test"),
        ModuleKind.SURVEY.value: _l("Survey"),
    }
