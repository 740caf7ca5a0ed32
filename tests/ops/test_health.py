"""/healthz?full=1: the database, the task queue and the outbox, for monitoring; counts and
ages only. Plain /healthz stays the load balancers' one round trip."""

from __future__ import annotations

import os
import uuid
from datetime import timedelta

import pytest
import redis

from trainer.dbtypes import utcnow
from trainer.notifications.models import MailStatus, OutboxMail
from trainer.notifications.queue import queue

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
# Nothing listens on port 1: the connection is refused at once.
DEAD_REDIS_URL = "redis://127.0.0.1:1/0"


def _mail(db, user, status: MailStatus, age: timedelta, **values) -> OutboxMail:
    mail = OutboxMail(
        kind="certificate",
        user_id=user.id,
        subject_key=f"certificate:{uuid.uuid4().hex[:8]}",
        period="once",
        status=status.value,
        created_at=utcnow() - age,
        **values,
    )
    db.session.add(mail)
    db.session.flush()
    return mail


def test_full_health_reports_the_queue_and_the_outbox_without_personal_data(
    app, client, db, make, count_queries
):
    # The in-memory queue lives as long as the test process: start from an empty one.
    queue(app).huey.flush()
    person = make.user(full_name="Zoila Quishpe", email="zoila.quishpe@example.org")
    _mail(db, person, MailStatus.PENDING, timedelta(minutes=2))
    _mail(db, person, MailStatus.PENDING, timedelta(seconds=10))
    _mail(db, person, MailStatus.FAILED, timedelta(hours=3), last_error="550 zoila.quishpe")
    _mail(db, person, MailStatus.SENT, timedelta(days=2))

    with count_queries() as statements:
        response = client.get("/healthz?full=1")
    assert response.status_code == 200
    body = response.get_json()
    age = body["outbox"].pop("oldest_pending_seconds")
    assert 120 <= age < 180
    assert body == {
        "status": "ok",
        "failing": [],
        "database": "ok",
        "queue": {"status": "ok", "backend": "memory", "pending": 0, "scheduled": 0},
        "outbox": {"pending": 2, "failed": 1},
    }
    assert len(statements) == 2  # the round trip, then the outbox's counts
    text = response.get_data(as_text=True).lower()
    assert "zoila" not in text
    assert "quishpe" not in text


def test_an_empty_outbox_has_no_oldest_mail(client, db):
    outbox = client.get("/healthz?full=1").get_json()["outbox"]
    assert outbox == {"pending": 0, "oldest_pending_seconds": None, "failed": 0}


def test_plain_healthz_stays_one_query(client, count_queries):
    for address in ("/healthz", "/healthz?full=0"):
        with count_queries() as statements:
            response = client.get(address)
        assert response.get_json() == {"status": "ok", "database": "ok"}
        assert len(statements) == 1


def test_an_unreachable_queue_is_a_503_that_names_it(make_app, db):
    app = make_app(
        TASK_QUEUE="default", REDIS_URL=DEAD_REDIS_URL, RATELIMIT_STORAGE_URI="memory://"
    )
    response = app.test_client().get("/healthz?full=1")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert body["failing"] == ["queue"]
    assert body["database"] == "ok"
    assert body["queue"] == {"status": "unreachable", "backend": "redis"}
    assert body["outbox"]["pending"] == 0
    assert "127.0.0.1" not in response.get_data(as_text=True)
    # Load balancers ask the plain check, which the queue does not concern.
    assert app.test_client().get("/healthz").status_code == 200


def test_the_redis_queue_s_waiting_tasks_are_counted(make_app, db):
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    finally:
        client.close()
    app = make_app(
        TASK_QUEUE="default",
        TASK_QUEUE_NAME=f"test-health-{uuid.uuid4().hex[:8]}",
        REDIS_URL=REDIS_URL,
        RATELIMIT_STORAGE_URI="memory://",
    )
    tasks = queue(app)
    try:
        for outbox_id in (1, 2, 3):
            tasks.enqueue_mail(outbox_id)
        body = app.test_client().get("/healthz?full=1").get_json()
        assert body["queue"] == {"status": "ok", "backend": "redis", "pending": 3, "scheduled": 0}
    finally:
        tasks.huey.flush()
        tasks.huey.storage.pool.disconnect()
