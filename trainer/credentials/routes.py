"""The credentials' public addresses, and the holder's download.

Public, for anyone and any verifier: the issuer's profile (/credentials/issuer, the ``id``
of every credential's issuer), its public keys as a JWKS (/credentials/jwks.json, also at
/.well-known/jwks.json where Open Badges' implementation guide looks) and each signed status
list (/credentials/status/<n>). The credential itself is downloaded by its holder only.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify
from flask_login import current_user, login_required

from trainer.auth.services import programme_settings
from trainer.certificates.models import Certificate
from trainer.credentials import document, keys, services
from trainer.credentials.models import StatusList
from trainer.extensions import db

bp = Blueprint("credentials", __name__, template_folder="templates")


def _public(response, max_age: int = 300):
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def issuer():
    profile = document.issuer_profile(
        keys.issuer_id(), programme_settings().programme_name, services.base_url() + "/"
    )
    return _public(jsonify({"@context": [document.VC_CONTEXT, document.OB_CONTEXT], **profile}))


def jwks():
    response = jsonify({"keys": keys.state().published})
    response.mimetype = "application/jwk-set+json"
    return _public(response)


def status_list(list_id: int):
    found = db.session.get(StatusList, list_id)
    if found is None or not found.jwt:
        abort(404)
    response = current_app.response_class(found.jwt, mimetype="application/vc+jwt")
    # A revocation must reach verifiers soon: they may keep the list a minute at most.
    return _public(response, max_age=60)


@login_required
def download(certificate_id: int):
    """The holder's own current credential; anything else is "not found"."""
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or certificate.user_id != current_user.id:
        abort(404)
    credential = services.current_credential(certificate.id)
    if credential is None:
        abort(404)
    response = current_app.response_class(credential.jwt, mimetype="text/plain")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="certificate-{certificate.code}.jwt"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


_ROUTES = [
    ("/credentials/issuer", issuer, "issuer"),
    ("/credentials/jwks.json", jwks, "jwks"),
    ("/.well-known/jwks.json", jwks, "well_known_jwks"),
    ("/credentials/status/<int:list_id>", status_list, "status_list"),
    ("/certificates/<int:certificate_id>/credential", download, "download"),
]
for _rule, _view, _endpoint in _ROUTES:
    bp.add_url_rule(_rule, endpoint=_endpoint, view_func=_view, methods=["GET"])
