"""/api/v1/: thin views over ``trainer.api.queries``, authenticated by bearer tokens only.

A browser's log-in cookie never opens the API (the views read ``g.api_actor``, set from the
token, never ``current_user``), so no page of another site can make a logged-in browser read
it, and the API needs no CSRF token. Requests are counted per token for the rate limit.
"""

from __future__ import annotations

import hashlib

from flask import Blueprint, current_app, g, jsonify, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from pydantic import ValidationError
from spectree import Response
from werkzeug.exceptions import NotFound

from trainer.api import pagination, queries, schemas, tokens
from trainer.api.errors import api_error, bad_cursor_message
from trainer.api.spec import api_spec, invalid_query_message
from trainer.extensions import csrf, limiter
from trainer.sqlite import short_write_transaction

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def _rate_key() -> str:
    """Per token (hashed, so no secret is kept in the counters), else per address."""
    header = request.headers.get("Authorization", "")
    if header:
        return "api-token:" + hashlib.sha256(header.encode("utf-8", "replace")).hexdigest()[:32]
    return "api-address:" + get_remote_address()


def _rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


limiter.limit(_rate_limit, key_func=_rate_key)(bp)


@bp.before_request
def authenticate():
    if request.endpoint == "api.openapi":
        return None
    found = tokens.authenticate(request.headers.get("Authorization"))
    if found is None:
        return api_error(
            401,
            _(
                "Send a working API token in the Authorization header: Bearer followed by "
                "the token. Coordinators create them on their API tokens page."
            ),
        )
    g.api_actor, token = found
    if tokens.used_long_ago(token):
        with short_write_transaction():
            tokens.note_used(token)
    return None


@bp.errorhandler(pagination.BadCursor)
def bad_cursor(_error):
    return api_error(400, bad_cursor_message())


@bp.errorhandler(ValidationError)
def invalid_query(error):
    return api_error(400, invalid_query_message(error))


@bp.errorhandler(NotFound)
def not_found(_error):
    return api_error(404, _("There is no such institution or cohort among those you may see."))


def _responses(page_model) -> Response:
    return Response(
        HTTP_200=page_model,
        HTTP_400=schemas.Error,
        HTTP_401=schemas.Error,
        HTTP_404=schemas.Error,
        HTTP_429=schemas.Error,
    )


def _page(model, page: queries.Page):
    return model(items=page.items, next_cursor=page.next_cursor)


def _query() -> schemas.ListQuery:
    return schemas.ListQuery.model_validate(request.args.to_dict())


@bp.get("/enrolments")
@api_spec.validate(
    query=schemas.ListQuery,
    resp=_responses(schemas.EnrolmentPage),
    tags=["enrolments"],
    skip_validation=True,
)
def enrolments():
    """Enrolments

    One item per participant and course family, with the cohort they are in now."""
    return _page(schemas.EnrolmentPage, queries.enrolments(g.api_actor, _query()))


@bp.get("/progress")
@api_spec.validate(
    query=schemas.ListQuery,
    resp=_responses(schemas.ProgressPage),
    tags=["progress"],
    skip_validation=True,
)
def progress():
    """Progress

    Per enrolment: modules completed, pre-test and post-test scores, learning gain and
    attendance in the current cohort."""
    return _page(schemas.ProgressPage, queries.progress(g.api_actor, _query()))


@bp.get("/attendance")
@api_spec.validate(
    query=schemas.ListQuery,
    resp=_responses(schemas.AttendancePage),
    tags=["attendance"],
    skip_validation=True,
)
def attendance():
    """Attendance records

    One item per participant and session marked; with cohort_id, that cohort's sessions."""
    return _page(schemas.AttendancePage, queries.attendance(g.api_actor, _query()))


@bp.get("/certificates")
@api_spec.validate(
    query=schemas.ListQuery,
    resp=_responses(schemas.CertificatePage),
    tags=["certificates"],
    skip_validation=True,
)
def certificates():
    """Certificates

    Certificates of completion and of attendance, with their status today."""
    return _page(schemas.CertificatePage, queries.certificates(g.api_actor, _query()))


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI document of this API (public: it describes, it holds no data)."""
    return jsonify(api_spec.spec)
