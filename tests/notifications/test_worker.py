"""`flask --app wsgi worker` as the README starts it: a real huey consumer on Redis
delivering a queued mail to a real SMTP server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis

from tests.notifications.conftest import mail_settings
from trainer.auth import services as accounts
from trainer.notifications import kinds
from trainer.notifications.outbox import add_mail
from trainer.notifications.queue import queue

REDIS_URL = "redis://127.0.0.1:6379/0"
ROOT = Path(__file__).resolve().parents[2]


def redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.mark.skipif(not redis_up(), reason="no Redis at 127.0.0.1:6379")
def test_a_worker_on_redis_delivers_a_queued_mail(make_app, smtp, committing_db, database_url):
    name = f"trainer-test-{uuid.uuid4().hex}"  # parallel test runs never share a queue
    settings = mail_settings(smtp)
    app = make_app(TASK_QUEUE="default", REDIS_URL=REDIS_URL, TASK_QUEUE_NAME=name, **settings)
    environment = {
        **os.environ,
        "TRAINER_CONFIG": "development",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "TASK_QUEUE_NAME": name,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp.port),
        "MAIL_USE_TLS": "0",
        "PUBLIC_BASE_URL": "http://trainer.example.org",
    }
    worker = None
    try:
        with app.app_context():
            person = accounts.create_user("queued@example.org", "Queued", "trainer")
            add_mail(kinds.PASSWORD_RESET, person, f"user:{person.id}", period="x")
            committing_db.session.commit()  # queued in Redis after the commit
        assert queue(app).huey.pending_count() == 1
        worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--workers", "1"],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while not smtp.to("queued@example.org") and time.monotonic() < deadline:
            assert worker.poll() is None, worker.stdout.read().decode()
            time.sleep(0.2)
        if not smtp.to("queued@example.org"):
            worker.terminate()
            raise AssertionError(worker.communicate(timeout=20)[0].decode()[-3000:])
        (message,) = smtp.to("queued@example.org")
        assert (
            "http://trainer.example.org/set-password/" in message.get_body(("plain",)).get_content()
        )
    finally:
        if worker is not None:
            if worker.poll() is None:
                worker.terminate()
            worker.communicate(timeout=20)
        queue(app).huey.flush()
