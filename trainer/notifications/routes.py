"""Choosing one's mails, unsubscribing from a mail's link, and the admins' outbox page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from trainer.auth.models import Role
from trainer.auth.policy import roles_required
from trainer.extensions import csrf, db
from trainer.mail import mail_configured
from trainer.notifications import preferences, sending
from trainer.notifications.forms import PreferencesForm, RetryForm, UnsubscribeForm
from trainer.notifications.models import MailStatus, OutboxMail

bp = Blueprint("notifications", __name__, template_folder="templates")

OUTBOX_PAGE = 200
TOPIC_NAMES = {
    "reminders": lambda: _("reminders about your sessions and courses"),
    "digests": lambda: _("the weekly digest"),
}


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def account():
    form = PreferencesForm()
    if form.validate_on_submit():
        preferences.choose(current_user, reminders=form.reminders.data, digests=form.digests.data)
        db.session.commit()
        flash(_("Your e-mail choices are saved."), "success")
        return redirect(url_for("notifications.account"))
    if request.method == "GET":
        form.reminders.data = preferences.wants(current_user, "reminders")
        form.digests.data = preferences.wants(current_user, "digests")
    return render_template("notifications/account.html", form=form)


@bp.get("/unsubscribe/<token>")
def unsubscribe(token: str):
    """Only shows what the button will do: link scanners and previews change nothing."""
    found = preferences.read_token(token)
    if found is None:
        abort(404)
    user, topic = found
    return render_template(
        "notifications/unsubscribe.html",
        form=UnsubscribeForm(),
        topic=TOPIC_NAMES[topic](),
        email=user.email,
        done=not preferences.wants(user, topic),
    )


@bp.post("/unsubscribe/<token>")
@csrf.exempt  # RFC 8058 one-click: mail clients post without a form; the signature is the proof
def unsubscribe_post(token: str):
    found = preferences.read_token(token)
    if found is None:
        abort(404)
    user, topic = found
    preferences.choose(user, **{topic: False})
    db.session.commit()
    return render_template(
        "notifications/unsubscribe.html", form=None, topic=TOPIC_NAMES[topic](), done=True
    )


@bp.get("/admin/outbox")
@roles_required(Role.ADMIN)
def outbox():
    rows = db.session.scalars(
        select(OutboxMail)
        .where(OutboxMail.status != MailStatus.SKIPPED.value)
        .order_by(OutboxMail.id.desc())
        .limit(OUTBOX_PAGE)
    ).all()
    return render_template(
        "notifications/outbox.html",
        rows=rows,
        mail_configured=mail_configured(),
        form=RetryForm(),
        retryable=(MailStatus.FAILED.value, MailStatus.HELD.value),
    )


@bp.post("/admin/outbox/<int:mail_id>/retry")
@roles_required(Role.ADMIN)
def retry(mail_id: int):
    row = db.get_or_404(OutboxMail, mail_id)
    if RetryForm().validate_on_submit() and row.status in (
        MailStatus.FAILED.value,
        MailStatus.HELD.value,
    ):
        sending.retry(row)
        db.session.commit()
        flash(_("The mail is queued again."), "success")
    return redirect(url_for("notifications.outbox"))
