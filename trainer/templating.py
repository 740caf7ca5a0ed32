"""Template globals: programme name, language picker, asset versioning."""

from __future__ import annotations

from flask import Flask, g
from flask_babel import get_locale
from sqlalchemy.exc import SQLAlchemyError

from trainer.courses.spec import ModuleKind
from trainer.extensions import db
from trainer.i18n import module_kind_names, question_type_names, role_names
from trainer.languages import LANGUAGE_NAMES


def init_templates(app: Flask) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["plural_count"] = plural_count
    # A global, not a context variable: imported macros see globals only.
    app.jinja_env.globals["ModuleKind"] = ModuleKind

    @app.context_processor
    def layout_context() -> dict:
        from trainer.auth.services import programme_settings

        if "programme" not in g:
            try:
                g.programme = programme_settings()
            except SQLAlchemyError:
                # The error page must still render when the database is what failed.
                db.session.rollback()
                g.programme = None
        return {
            "programme": g.programme,
            "language_names": LANGUAGE_NAMES,
            "current_language": str(get_locale() or "en"),
            "role_names": role_names(),
            "kind_names": module_kind_names(),
            "type_names": question_type_names(),
        }


def plural_count(number: float) -> int:
    """The count that picks a plural form: gettext takes whole numbers only, and a
    fractional count (1.5 points) reads as plural."""
    return int(number) if float(number).is_integer() else 2
