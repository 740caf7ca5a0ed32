"""Flask-Login wiring: sessions carry the user id and the account's session version."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from trainer.extensions import db, login_manager


def load_user(session_id: str):
    from trainer.auth.models import User

    user_id, _, version = session_id.partition(".")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    # An old session version means the password changed or the account was deactivated.
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    # Sessions are bound to the browser that logged in; a stolen cookie from elsewhere
    # is dropped. "basic" keeps remember-me working when the address changes.
    login_manager.session_protection = "basic"
