"""Error pages: styled HTML for people, JSON under /api/ and for .json addresses; never a
traceback."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from trainer.extensions import db
from trainer.sqlite import rerun_with_write_lock


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (
            _("Bad request"),
            _("The request could not be understood. Please go back and try again."),
        ),
        403: (_("Not allowed"), _("You do not have permission to see this page.")),
        404: (
            _("Page not found"),
            _("We could not find that page. Check the address or go back to the start."),
        ),
        405: (_("Not allowed"), _("This page cannot be used that way.")),
        413: (
            _("File too large"),
            _("The file or form you sent is larger than this site accepts. Send a smaller file."),
        ),
        429: (_("Too many attempts"), _("Please wait a little before trying again.")),
        500: (
            _("Something went wrong"),
            _(
                "An unexpected error happened on our side. It has been logged; "
                "please try again later."
            ),
        ),
    }


def render_error(code: int, detail: str | None = None):
    title, message = _messages().get(code, (_("Error"), _("Something went wrong.")))
    if request.path.startswith("/api/") or request.path.endswith(".json"):
        return jsonify(error=title, message=detail or message, status=code), code
    return render_template(
        "errors/error.html", code=code, title=title, message=detail or message
    ), code


def init_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(
            400,
            _(
                "The form had expired or was sent from elsewhere. "
                "Please reload the page and send it again."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        detail = error.description if getattr(error, "show_to_user", False) else None
        return render_error(error.code, detail)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(InternalServerError.code)

    @app.errorhandler(OperationalError)
    def database_error(error: OperationalError):
        # A GET that wrote from its read transaction while another request wrote (SQLite).
        response = rerun_with_write_lock(error)
        return response if response is not None else unexpected_error(error)
