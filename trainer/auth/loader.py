"""Flask-Login wiring: the session and remember-me cookies carry a log-in's token
(trainer.auth.logins); the user loader accepts it while that log-in exists."""

from __future__ import annotations

from flask import Flask, g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from trainer.extensions import login_manager
from trainer.sqlite import short_write_transaction


def load_user(token: str):
    from trainer.auth import logins

    found = logins.find(token)
    if found is None:
        return None
    user, g.login_session, settings = found
    if settings is not None:
        g.programme = settings  # what the layout shows (trainer.templating)
    return user


def note_activity() -> None:
    """Load the user before the view, and every few minutes note that the log-in is still
    in use: the one write a page view makes, one UPDATE in a short transaction of its own,
    committed before the view runs."""
    from trainer.auth import logins

    if request.endpoint == "static" or not current_user.is_authenticated:
        return
    login = g.get("login_session")
    if login is not None and logins.seen_long_ago(login):
        with short_write_transaction():
            logins.note_seen(login)


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    # Sessions are bound to the browser that logged in; a stolen cookie from elsewhere
    # is dropped. "basic" keeps remember-me working when the address changes.
    login_manager.session_protection = "basic"
    app.before_request(note_activity)
