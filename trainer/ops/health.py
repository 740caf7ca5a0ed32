"""What ``/healthz?full=1`` adds to the database round trip: the task queue and the outbox.

Only counts and ages: no address, no subject, no error text (a mail server's refusal may
quote an address). The queue is asked with short timeouts of its own, so a Redis that does
not answer makes the check fail within seconds instead of hanging a monitoring probe.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from flask import Flask
from huey.storage import BaseStorage, RedisStorage, SqliteStorage
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import func, select

from trainer.extensions import db
from trainer.notifications.models import MailStatus, OutboxMail
from trainer.notifications.queue import queue

REDIS_TIMEOUT_SECONDS = 2


def queue_state(app: Flask) -> dict[str, Any]:
    """{"status": "ok", "backend", "pending", "scheduled"}, or status "unreachable".

    pending: tasks waiting for a worker now; scheduled: retries waiting for their time.
    """
    huey = queue(app).huey
    storage = huey.storage
    backend = _backend(storage)
    try:
        if isinstance(storage, RedisStorage):
            pending, scheduled = _redis_sizes(app.config["REDIS_URL"], storage)
        else:
            pending, scheduled = huey.pending_count(), huey.scheduled_count()
    except (RedisError, sqlite3.Error, OSError):
        return {"status": "unreachable", "backend": backend}
    return {"status": "ok", "backend": backend, "pending": pending, "scheduled": scheduled}


def outbox_state(now: datetime) -> dict[str, Any]:
    """Mails waiting to be sent (and the age in seconds of the oldest), and mails that failed
    every try, in one query."""
    rows = db.session.execute(
        select(OutboxMail.status, func.count(), func.min(OutboxMail.created_at))
        .where(OutboxMail.status.in_([MailStatus.PENDING.value, MailStatus.FAILED.value]))
        .group_by(OutboxMail.status)
    ).all()
    found = {status: (count, oldest) for status, count, oldest in rows}
    pending, oldest = found.get(MailStatus.PENDING.value, (0, None))
    failed, _ = found.get(MailStatus.FAILED.value, (0, None))
    age = max(int((now - oldest).total_seconds()), 0) if oldest is not None else None
    return {"pending": pending, "oldest_pending_seconds": age, "failed": failed}


def _redis_sizes(url: str, storage: RedisStorage) -> tuple[int, int]:
    # huey's own connection has no timeout; this one gives up after a few seconds.
    with Redis.from_url(
        url,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
    ) as client:
        return client.llen(storage.queue_key), client.zcard(storage.schedule_key)


def _backend(storage: BaseStorage) -> str:
    if isinstance(storage, RedisStorage):
        return "redis"
    return "sqlite" if isinstance(storage, SqliteStorage) else "memory"
