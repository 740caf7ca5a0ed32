"""The task queue: huey, on Redis when ``REDIS_URL`` is set, else on a SQLite file in
``instance/`` (one machine only). Tests use huey's in-memory storage (``TASK_QUEUE =
"memory"``) and run the queued tasks themselves.

Each application gets its own huey, made on first use (the factory does no I/O), with the
tasks registered on it; every task runs inside that application's context. Periodic tasks
run only in the one consumer started with ``flask --app wsgi worker --scheduler``.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab

from trainer.extensions import db

log = logging.getLogger(__name__)


class Queue:
    """One application's huey and its tasks."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.huey = _make_huey(app)
        config = app.config
        self.deliver = self._task(
            _deliver,
            "deliver",
            # SMTP failures: tried MAIL_ATTEMPTS times, waiting longer each time.
            retries=max(config["MAIL_ATTEMPTS"] - 1, 0),
            retry_delay=config["MAIL_RETRY_SECONDS"],
            retry_backoff=2,
        )
        self.periodic: dict[str, Callable] = {}
        for name, schedule, func in _periodic_tasks(config):
            self.periodic[name] = self.huey.periodic_task(schedule, name=name)(self._in_app(func))

    def _in_app(self, func: Callable) -> Callable:
        app = self.app

        @functools.wraps(func)
        def run(*args, **kwargs):
            with app.app_context():
                try:
                    return func(*args, **kwargs)
                finally:
                    db.session.rollback()

        return run

    def _task(self, func: Callable, name: str, **settings):
        return self.huey.task(name=name, **settings)(self._in_app(func))

    def enqueue_mail(self, outbox_id: int) -> None:
        self.deliver(outbox_id)


def _make_huey(app: Flask) -> Huey:
    config = app.config
    name = config["TASK_QUEUE_NAME"]
    if config["TASK_QUEUE"] == "memory":
        return MemoryHuey(name, results=False)
    if config["REDIS_URL"]:
        return RedisHuey(name, results=False, url=config["REDIS_URL"])
    os.makedirs(app.instance_path, exist_ok=True)
    return SqliteHuey(name, results=False, filename=os.path.join(app.instance_path, "queue.db"))


def queue(app: Flask | None = None) -> Queue:
    """The application's queue, made on first use."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    found = app.extensions.get("trainer.queue")
    if found is None:
        found = app.extensions["trainer.queue"] = Queue(app)
    return found


def _deliver(outbox_id: int) -> None:
    from trainer.notifications.sending import deliver

    deliver(outbox_id)


def _periodic_tasks(config) -> list[tuple[str, Callable, Callable]]:
    from trainer.notifications import periodic

    return [
        ("sweep-outbox", crontab(), periodic.sweep_task),
        ("cleanup", crontab(minute="17", hour="3"), periodic.cleanup_task),
        *periodic.mail_schedules(config),
    ]
