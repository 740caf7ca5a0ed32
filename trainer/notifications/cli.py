"""``flask --app wsgi worker``: a huey consumer for this application's queue."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("worker")
@with_appcontext
@click.option(
    "--scheduler",
    is_flag=True,
    help="Also run the periodic tasks (outbox sweeper, cleanup, reminders, nudges, digests). "
    "Start exactly one worker with it, however many workers and machines there are.",
)
@click.option("--workers", default=2, show_default=True, help="Threads sending mails.")
def worker_command(scheduler: bool, workers: int) -> None:
    """Run background tasks (mails, and with --scheduler the periodic ones) until stopped
    (Ctrl+C or SIGTERM finish the tasks in hand; a second Ctrl+C stops at once)."""
    from trainer.notifications.queue import queue

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    tasks = queue(app)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    where = "Redis" if app.config["REDIS_URL"] else "instance/queue.db"
    click.echo(
        f"trainer worker: queue {tasks.huey.name!r} on {where}, {workers} thread(s), "
        f"periodic tasks {'on' if scheduler else 'off'}."
    )
    tasks.huey.create_consumer(workers=workers, periodic=scheduler).run()
