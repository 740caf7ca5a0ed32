"""The one way tests log a user in on a test client without going through the form."""

from __future__ import annotations


def log_in(client, user):
    """Put ``user`` in the client's session as Flask-Login does after a fresh log-in."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client
