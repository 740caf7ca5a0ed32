"""Which optional mails each person wants, and the signed links that turn them off.

An unsubscribe link carries the person and the kind of mail, signed with SECRET_KEY (its
own salt), so nobody can make one for somebody else; it never expires, as RFC 8058 asks
of a List-Unsubscribe address. Password links and certificate mails cannot be turned off.
"""

from __future__ import annotations

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeSerializer

from trainer.auth.models import User
from trainer.extensions import db
from trainer.notifications.models import NotificationPreference

TOPICS = ("reminders", "digests")


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="trainer.unsubscribe")


def unsubscribe_token(user: User, topic: str) -> str:
    return _serializer().dumps([user.id, topic])


def read_token(token: str) -> tuple[User, str] | None:
    """The person and topic of a genuine link; None for anything else."""
    try:
        user_id, topic = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if topic not in TOPICS or not isinstance(user_id, int):
        return None
    user = db.session.get(User, user_id)
    return (user, topic) if user is not None else None


def unsubscribe_url(user: User, topic: str) -> str:
    """Needs a request context (mails render in one on the public address)."""
    return url_for(
        "notifications.unsubscribe", token=unsubscribe_token(user, topic), _external=True
    )


def of(user: User) -> NotificationPreference | None:
    return db.session.get(NotificationPreference, user.id)


def wants(user: User, topic: str) -> bool:
    found = of(user)
    return True if found is None else bool(getattr(found, topic))


def choose(user: User, **choices: bool) -> NotificationPreference:
    """Store the person's choices (``reminders=``, ``digests=``). Flushes, never commits."""
    found = of(user)
    if found is None:
        found = NotificationPreference(user_id=user.id, reminders=True, digests=True)
        db.session.add(found)
    for topic, wanted in choices.items():
        if topic not in TOPICS:
            raise ValueError(topic)
        setattr(found, topic, bool(wanted))
    db.session.flush()
    return found
