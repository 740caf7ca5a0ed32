"""The administration blueprint (mounted at /admin) and the public programme logo.

Every address is listed here, in one table; the views live in one module per subject.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from trainer.admin import audit, imports, institutions, people, settings, users
from trainer.auth.models import Role
from trainer.auth.policy import roles_required

bp = Blueprint("admin", __name__, template_folder="templates")
# Public: the logo appears in the header of every page, the log-in page included.
public_bp = Blueprint("programme", __name__)


@roles_required(Role.ADMIN)
def index():
    from trainer.credentials import keys
    from trainer.credentials import services as credentials

    return render_template(
        "admin/index.html", signing=keys.state(), credential_counts=credentials.counts()
    )


_ROUTES = [
    ("/", index, ["GET"]),
    ("/institutions", institutions.institutions, ["GET"]),
    ("/institutions/new", institutions.new_institution, ["GET", "POST"]),
    ("/institutions/<int:institution_id>", institutions.edit_institution, ["GET", "POST"]),
    (
        "/institutions/<int:institution_id>/deactivate",
        institutions.deactivate_institution,
        ["POST"],
    ),
    (
        "/institutions/<int:institution_id>/reactivate",
        institutions.reactivate_institution,
        ["POST"],
    ),
    ("/users", users.users, ["GET"]),
    ("/users/new", users.new_user, ["GET", "POST"]),
    ("/users/<int:user_id>", users.edit_user, ["GET", "POST"]),
    ("/users/<int:user_id>/deactivate", users.deactivate_user, ["POST"]),
    ("/users/<int:user_id>/reactivate", users.reactivate_user, ["POST"]),
    ("/people", people.people, ["GET"]),
    ("/people/new", people.new_person, ["GET", "POST"]),
    ("/people/import", imports.import_people, ["GET", "POST"]),
    ("/people/<int:user_id>/password-link", people.password_link, ["POST"]),
    ("/settings", settings.programme_settings, ["GET", "POST"]),
    ("/audit", audit.audit_log, ["GET"]),
]
for rule, view, methods in _ROUTES:
    bp.add_url_rule(rule, view_func=view, methods=methods)

public_bp.add_url_rule("/programme/logo", view_func=settings.logo, methods=["GET"])
