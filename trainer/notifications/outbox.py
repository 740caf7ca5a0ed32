"""Writing mails to the outbox, in the transaction of the change that causes them, and
queueing them once that transaction commits.

``add_mail`` flushes and never commits. Each mail is unique per (kind, person, subject,
period): writing one that is already there does nothing, so a re-judged completion, a
retried task or two sweepers at once never make a second mail. After the commit, the new
rows go to the task queue; should that fail (the queue down, the process killed), the
sweeper (``periodic.sweep``) queues every row still unsent.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from trainer.auth.models import User
from trainer.dbtypes import utcnow
from trainer.extensions import db
from trainer.notifications.models import MailStatus, OutboxMail

log = logging.getLogger(__name__)

# Outbox ids to queue when the session's transaction commits.
_QUEUE_AFTER_COMMIT = "trainer.outbox.after_commit"
# Mails written by signal handlers, inserted together at the next flush or commit.
_PENDING = "trainer.outbox.pending"
ONCE = "once"


def sweep_grace() -> timedelta:
    """How long a pending row waits for its task before the sweeper queues it again."""
    return timedelta(seconds=current_app.config["OUTBOX_SWEEP_AFTER_SECONDS"])


def add_mail(
    kind: str,
    user: User | int,
    subject_key: str,
    period: str = ONCE,
    payload: dict | None = None,
    now: datetime | None = None,
) -> int | None:
    """Write a mail for ``user`` unless the same (kind, person, subject, period) is already
    there; the new row's id, or None. Flushes (an INSERT ... ON CONFLICT DO NOTHING, so no
    savepoint and no failed transaction), never commits; queued after the commit."""
    user_id = user if isinstance(user, int) else user.id
    now = now or utcnow()
    values = {
        "kind": kind,
        "user_id": user_id,
        "subject_key": subject_key,
        "period": period,
        "payload": payload or {},
        "status": MailStatus.PENDING.value,
        "attempts": 0,
        "created_at": now,
        "next_attempt_at": now + sweep_grace(),
        "last_error": "",
        "preview": "",
    }
    new_id = db.session.execute(_insert(db.session(), values)).scalar()
    if new_id is not None:
        queue_after_commit(new_id)
    return new_id


def add_mail_later(
    kind: str, user_id: int, subject_key: str, period: str = ONCE, payload: dict | None = None
) -> None:
    """``add_mail`` for signal handlers that may be called a thousand times in one request
    (a new course version completing every enrolment): no SQL now; the rows are inserted
    together, in one statement, at the next flush or at the latest before the commit."""
    row = (kind, user_id, subject_key, period, payload or {})
    db.session().info.setdefault(_PENDING, []).append(row)


def _insert_pending(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    now = utcnow()
    rows = {
        (kind, user_id, subject_key, period): {
            "kind": kind,
            "user_id": user_id,
            "subject_key": subject_key,
            "period": period,
            "payload": payload,
            "status": MailStatus.PENDING.value,
            "attempts": 0,
            "created_at": now,
            "next_attempt_at": now + sweep_grace(),
            "last_error": "",
            "preview": "",
        }
        for kind, user_id, subject_key, period, payload in pending
    }
    new_ids = session.scalars(_insert(session, list(rows.values()))).all()
    session.info.setdefault(_QUEUE_AFTER_COMMIT, []).extend(new_ids)


def _insert(session: Session, values):
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return (
        dialect.insert(OutboxMail)
        .values(values)
        .on_conflict_do_nothing(index_elements=["kind", "user_id", "subject_key", "period"])
        .returning(OutboxMail.id)
    )


def _before_flush(session: Session, _context, _instances) -> None:
    _insert_pending(session)


def _before_commit(session: Session) -> None:
    _insert_pending(session)


def queue_after_commit(outbox_id: int) -> None:
    db.session().info.setdefault(_QUEUE_AFTER_COMMIT, []).append(outbox_id)


def existing(kind: str, user_id: int, subject_key: str, period: str = ONCE) -> OutboxMail | None:
    return db.session.scalar(
        select(OutboxMail).where(
            OutboxMail.kind == kind,
            OutboxMail.user_id == user_id,
            OutboxMail.subject_key == subject_key,
            OutboxMail.period == period,
        )
    )


def _after_commit(session: Session) -> None:
    ids = session.info.pop(_QUEUE_AFTER_COMMIT, None)
    if not ids or not has_app_context():
        return
    from trainer.notifications.queue import queue

    try:
        tasks = queue()
        for outbox_id in ids:
            tasks.enqueue_mail(outbox_id)
    except Exception:
        # The rows are committed: the sweeper queues them in a few minutes.
        log.exception("Could not queue %d mail(s); the outbox sweeper will", len(ids))


def _after_rollback(session: Session) -> None:
    session.info.pop(_QUEUE_AFTER_COMMIT, None)
    session.info.pop(_PENDING, None)


def init_events() -> None:
    # Every session: the app's, the command line's, the worker's and the tests'.
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)
