"""JSON refusals for the API, in the shape of ``schemas.Error``."""

from __future__ import annotations

from flask import Response, jsonify
from flask_babel import gettext as _


def titles() -> dict[int, str]:
    return {
        400: _("Bad request"),
        401: _("Not authenticated"),
        404: _("Not found"),
        429: _("Too many requests"),
    }


def api_error(status: int, message: str) -> Response:
    response = jsonify(error=titles().get(status, _("Error")), message=message, status=status)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="trainer"'
    return response


def bad_cursor_message() -> str:
    return _("The cursor is not valid: pass the next_cursor of the previous page as it is.")
