"""Turning an outbox row into a message: in the recipient's language, text and HTML, from
the templates in ``templates/notifications/mail/``.

Rendered when sent, not when written, so a mail says what is true at sending time (a
session moved twice says where it is now) and holds no secret in the database: the
set-password link is made by the worker that sends it (the newest link voids older ones).
A mail whose subject is gone (a revoked certificate, a cancelled session's reminder) or
that its recipient turned off renders as None and is skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app, render_template, url_for
from flask_babel import force_locale, get_locale

from trainer.auth.models import User
from trainer.extensions import db
from trainer.languages import LANGUAGES
from trainer.notifications import preferences
from trainer.notifications.models import OutboxMail


@dataclass
class Attachment:
    filename: str
    maintype: str
    subtype: str
    data: bytes


@dataclass
class Mail:
    to: str
    subject: str
    text: str
    html: str
    attachments: list[Attachment] = field(default_factory=list)
    # RFC 8058 one-click address; None for mails nobody may turn off.
    unsubscribe_url: str | None = None
    # Holds a secret (a set-password link): never kept for the outbox page.
    secret: bool = False

    def email(self) -> EmailMessage:
        message = EmailMessage()
        message["From"] = current_app.config["MAIL_FROM"]
        message["To"] = self.to
        message["Subject"] = self.subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain=_host())
        if self.unsubscribe_url:
            message["List-Unsubscribe"] = f"<{self.unsubscribe_url}>"
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message.set_content(self.text)
        message.add_alternative(self.html, subtype="html")
        for attachment in self.attachments:
            message.add_attachment(
                attachment.data,
                maintype=attachment.maintype,
                subtype=attachment.subtype,
                filename=attachment.filename,
            )
        return message

    def preview(self) -> str:
        names = "".join(f"\n[{a.filename}]" for a in self.attachments)
        return f"To: {self.to}\nSubject: {self.subject}\n\n{self.text}{names}"


def _host() -> str:
    from urllib.parse import urlsplit

    return urlsplit(current_app.config.get("PUBLIC_BASE_URL") or "").hostname or "localhost"


# The unsubscribe address of the mail being rendered (None: it cannot be turned off).
_unsubscribe_url: ContextVar[str | None] = ContextVar("unsubscribe_url", default=None)

# kind -> builder(row, user) -> Mail | None; filled by each mail's module.
BUILDERS: dict[str, Callable[[OutboxMail, User], Mail | None]] = {}
# kind -> the preference ("reminders", "digests") that turns it off; absent: always sent.
OPTIONAL: dict[str, str] = {}


def builder(kind: str, optional: str | None = None) -> Callable:
    def register(func: Callable) -> Callable:
        BUILDERS[kind] = func
        if optional:
            OPTIONAL[kind] = optional
        return func

    return register


def render(row: OutboxMail) -> Mail | None:
    """The message for ``row``, or None when it is no longer to be sent."""
    from trainer.notifications import kinds  # noqa: F401  (registers the builders)

    user = db.session.get(User, row.user_id, populate_existing=True)
    if user is None or not user.is_active or row.kind not in BUILDERS:
        return None
    topic = OPTIONAL.get(row.kind)
    if topic and not preferences.wants(user, topic):
        return None
    language = user.language if user.language in LANGUAGES else LANGUAGES[0]
    with in_mail_context(), force_locale(language):
        reset = _unsubscribe_url.set(preferences.unsubscribe_url(user, topic) if topic else None)
        try:
            return BUILDERS[row.kind](row, user)
        finally:
            _unsubscribe_url.reset(reset)


def in_mail_context():
    """A request context on the public address, so ``url_for(_external=True)`` makes the
    links people open (the worker has no request of its own)."""
    return current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"])


def compose(user: User, subject: str, template: str, **context) -> Mail:
    """Text and HTML from ``notifications/mail/<template>.txt`` and ``.html``."""
    unsubscribe_url = _unsubscribe_url.get()
    context.update(
        person=user,
        subject=subject,
        footer=_footer(),
        unsubscribe_url=unsubscribe_url,
        language=str(get_locale()),
    )
    return Mail(
        to=user.email,
        subject=subject,
        text=render_template(f"notifications/mail/{template}.txt", **context),
        html=render_template(f"notifications/mail/{template}.html", **context),
        unsubscribe_url=unsubscribe_url,
    )


def _footer() -> str:
    from trainer.auth.services import programme_settings

    return programme_settings().programme_name


def external(endpoint: str, **values) -> str:
    return url_for(endpoint, _external=True, **values)
