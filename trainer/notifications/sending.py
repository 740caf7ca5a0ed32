"""Sending one outbox mail: claimed by one worker at a time, sent at most once.

A worker claims a pending row with a conditional UPDATE (committed before it talks to the
mail server), so a second task for the same row, queued by the sweeper or an admin's
retry, finds it taken or sent and does nothing. A claim lasts ``OUTBOX_CLAIM_SECONDS``: a
worker killed mid-send leaves a claim that runs out, and the sweeper queues the row again.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, update

from trainer.dbtypes import utcnow
from trainer.extensions import db
from trainer.mail import mail_configured, send_message
from trainer.notifications import mails
from trainer.notifications.models import MailStatus, OutboxMail
from trainer.notifications.outbox import sweep_grace

log = logging.getLogger(__name__)


class MailNotSent(Exception):
    """The mail server refused or could not be reached; huey retries the task later."""


def claim(outbox_id: int, now: datetime | None = None) -> bool:
    """Take the row for this worker; False when it is sent, failed or claimed already."""
    now = now or utcnow()
    claim_until = now + timedelta(seconds=current_app.config["OUTBOX_CLAIM_SECONDS"])
    result = db.session.execute(
        update(OutboxMail)
        .where(
            OutboxMail.id == outbox_id,
            OutboxMail.status == MailStatus.PENDING.value,
            or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until <= now),
        )
        .values(claimed_until=claim_until, next_attempt_at=claim_until + sweep_grace())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def deliver(outbox_id: int, now: datetime | None = None) -> str | None:
    """Send the mail if it is still unsent; its status afterwards (None: nothing done).

    Raises ``MailNotSent`` after a failure that leaves tries, so huey retries with backoff.
    """
    now = now or utcnow()
    if not claim(outbox_id, now):
        return None
    # The mail says what is true now: rows are read afresh (objects stay loaded after
    # commits in this app), here and in the builders.
    row = db.session.get(OutboxMail, outbox_id, populate_existing=True)
    if row is None:
        return None
    message = mails.render(row)
    if message is None:
        row.status = MailStatus.SKIPPED.value
        row.claimed_until = None
        db.session.commit()
        return row.status
    if not mail_configured():
        # Development: the admins' outbox page shows it. Production: nothing is sent, and
        # that page says so.
        row.status = MailStatus.HELD.value
        row.preview = "" if message.secret else message.preview()
        row.claimed_until = None
        db.session.commit()
        return row.status
    row.attempts += 1
    try:
        send_message(message.email())
    except (smtplib.SMTPException, OSError) as error:
        return _failed(row, error, now)
    row.status = MailStatus.SENT.value
    row.sent_at = utcnow()
    row.claimed_until = None
    row.last_error = ""
    row.preview = "" if message.secret else message.preview()
    db.session.commit()
    return row.status


def _failed(row: OutboxMail, error: Exception, now: datetime) -> str:
    config = current_app.config
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    row.claimed_until = None
    if row.attempts >= config["MAIL_ATTEMPTS"]:
        row.status = MailStatus.FAILED.value
        db.session.commit()
        log.warning("Mail %s failed for good after %d tries: %s", row.id, row.attempts, error)
        return row.status
    # huey retries after MAIL_RETRY_SECONDS * 2**(tries - 1); the sweeper waits longer.
    delay = config["MAIL_RETRY_SECONDS"] * 2 ** (row.attempts - 1)
    row.next_attempt_at = now + timedelta(seconds=delay) + sweep_grace()
    db.session.commit()
    raise MailNotSent(row.last_error)


def retry(row: OutboxMail) -> None:
    """An admin's retry of a failed (or held) mail: pending again, tries counted afresh,
    queued after the commit. Flushes, never commits."""
    from trainer.notifications.outbox import queue_after_commit

    row.status = MailStatus.PENDING.value
    row.attempts = 0
    row.claimed_until = None
    row.next_attempt_at = utcnow() + sweep_grace()
    db.session.flush()
    queue_after_commit(row.id)
