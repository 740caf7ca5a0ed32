"""The one way tests log a user in on a test client without going through the form."""

from __future__ import annotations


def log_in(client, user):
    """Record a log-in of ``user`` (a login_session row, as the form makes) and put its token
    in the client's session as Flask-Login does after a fresh log-in."""
    from trainer.auth import logins

    token = logins.start(user, "test client")
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
    return client


def use_api_token(client, secret: str):
    """Send ``Authorization: Bearer <secret>`` with every request of the client (the API's
    only way in: its log-in cookie, if any, opens nothing there)."""
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client
