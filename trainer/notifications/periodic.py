"""Periodic tasks, run by the one worker started with ``--scheduler``.

Each works in its own transaction and commits; the mails it writes are queued after the
commit. Every mail is unique per (kind, person, subject, period), so a task run twice (two
schedulers by mistake, a retry) writes nothing twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select

from trainer.dbtypes import utcnow
from trainer.extensions import db
from trainer.notifications.models import MailStatus, OutboxMail
from trainer.notifications.outbox import sweep_grace

log = logging.getLogger(__name__)
SWEEP_BATCH = 500
KEEP_SENT_DAYS = 90


def sweep(now: datetime | None = None) -> int:
    """Queue the unsent mails whose task is overdue (lost with a killed worker or a queue
    that was down); how many. A row is held back for the grace period once queued, so
    sweeps a minute apart do not pile up tasks; a duplicate task would send nothing."""
    from trainer.notifications.queue import queue

    now = now or utcnow()
    ids = db.session.scalars(
        select(OutboxMail.id)
        .where(
            OutboxMail.status == MailStatus.PENDING.value,
            OutboxMail.next_attempt_at <= now,
            or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until <= now),
        )
        .order_by(OutboxMail.id)
        .limit(SWEEP_BATCH)
    ).all()
    if not ids:
        return 0
    db.session.execute(
        OutboxMail.__table__.update()
        .where(OutboxMail.id.in_(ids))
        .values(next_attempt_at=now + sweep_grace())
    )
    db.session.commit()
    tasks = queue()
    for outbox_id in ids:
        tasks.enqueue_mail(outbox_id)
    log.info("Queued %d unsent mail(s) again", len(ids))
    return len(ids)


def prune_outbox(now: datetime | None = None, days: int = KEEP_SENT_DAYS) -> int:
    """Delete mails sent or skipped more than ``days`` ago. Flushes."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    result = db.session.execute(
        delete(OutboxMail).where(
            OutboxMail.status.in_([MailStatus.SENT.value, MailStatus.SKIPPED.value]),
            OutboxMail.created_at <= cutoff,
        )
    )
    return result.rowcount or 0


def sweep_task() -> None:
    sweep()


def cleanup_task() -> None:
    from trainer import cleanup

    cleaned = cleanup.run()
    pruned = prune_outbox()
    db.session.commit()
    log.info("Cleanup: %s, %d old mail(s)", cleaned, pruned)


def reminders_task() -> None:
    from trainer.notifications.scheduled import queue_reminders

    queue_reminders(utcnow())
    db.session.commit()


def nudges_task() -> None:
    from trainer.notifications.scheduled import queue_nudges

    queue_nudges(utcnow())
    db.session.commit()


def digests_task() -> None:
    from trainer.notifications.scheduled import queue_digests

    queue_digests(utcnow())
    db.session.commit()


def mail_schedules(config) -> list:
    """(name, huey schedule, function) of the periodic mails; huey's times are UTC.
    Reminders are looked for every quarter hour (each is due at SESSION_REMINDER_HOUR in
    its cohort's time zone), nudges daily, digests on Monday mornings (in the Americas)."""
    from huey import crontab

    return [
        ("session-reminders", crontab(minute="*/15"), reminders_task),
        ("inactivity-nudges", crontab(minute="0", hour="14"), nudges_task),
        ("weekly-digests", crontab(minute="0", hour="12", day_of_week="1"), digests_task),
    ]
