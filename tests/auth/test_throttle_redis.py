"""Login throttling counted in Redis when REDIS_URL is set (shared by every app server)."""

from __future__ import annotations

import os
import uuid

import pytest

from trainer.auth import throttle

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_app(make_app):
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    finally:
        client.close()
    return make_app(REDIS_URL=REDIS_URL)


def test_failures_are_counted_in_redis_and_lock(redis_app):
    key = throttle.throttle_key(f"{uuid.uuid4().hex}@example.org", "203.0.113.9")
    with redis_app.app_context():
        store = throttle.store()
        assert isinstance(store, throttle.RedisStore)
        try:
            for _ in range(9):
                throttle.record_failure(key)
            verdict = throttle.record_failure(key)
            assert verdict.locked_until is not None
            assert not throttle.check(key).allowed
            # Another app server (another store object) sees the same lock.
            other_server = throttle.RedisStore(REDIS_URL)
            assert other_server.state(key)[0] == 10
            other_server.client.close()
            throttle.reset(key)
            assert throttle.check(key).allowed
        finally:
            store.reset(key)
            store.client.close()
