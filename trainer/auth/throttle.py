"""Login throttling per (account, address), shared by every app server.

After ``LOGIN_THROTTLE_SOFT`` failures inside the window each new try must wait a growing
delay; after ``LOGIN_THROTTLE_LOCK`` failures the pair is locked for ``LOGIN_LOCK_MINUTES``.
A try made while it must wait is refused unchecked and counts as a failure. The counts
live in the database, or in Redis when ``REDIS_URL`` is set; never in process memory.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, or_
from sqlalchemy.exc import IntegrityError

from trainer.auth.models import LoginThrottle
from trainer.dbtypes import utcnow
from trainer.extensions import db

MAX_DELAY_SECONDS = 60


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    locked_until: datetime | None = None
    wait_seconds: int = 0


def throttle_key(email: str, address: str | None) -> str:
    return hashlib.sha256(f"{email.strip().lower()}|{address or '-'}".encode()).hexdigest()


def _settings() -> tuple[int, int, timedelta, timedelta]:
    config = current_app.config
    return (
        config["LOGIN_THROTTLE_SOFT"],
        config["LOGIN_THROTTLE_LOCK"],
        timedelta(minutes=config["LOGIN_THROTTLE_WINDOW_MINUTES"]),
        timedelta(minutes=config["LOGIN_LOCK_MINUTES"]),
    )


def _delay(failures: int, soft: int) -> int:
    if failures < soft:
        return 0
    return min(MAX_DELAY_SECONDS, 2 ** (failures - soft + 1))


def judge(
    failures: int, last_failure_at: datetime | None, locked_until: datetime | None, now: datetime
) -> Verdict:
    """Pure decision: may a try go ahead now?"""
    soft, _lock, _window, _lock_for = _settings()
    if locked_until and locked_until > now:
        return Verdict(False, locked_until=locked_until)
    if last_failure_at is not None:
        ready_at = last_failure_at + timedelta(seconds=_delay(failures, soft))
        if ready_at > now:
            return Verdict(False, wait_seconds=max(1, int((ready_at - now).total_seconds())))
    return Verdict(True)


class DatabaseStore:
    def state(self, key: str) -> tuple[int, datetime | None, datetime | None]:
        row = db.session.get(LoginThrottle, key)
        if row is None or self._expired(row.window_started_at, row.locked_until):
            return 0, None, None
        return row.failures, row.last_failure_at, row.locked_until

    def record_failure(self, key: str, now: datetime) -> tuple[int, datetime | None]:
        _soft, lock, _window, lock_for = _settings()
        row = self._locked_row(key, now)
        if self._expired(row.window_started_at, row.locked_until):
            row.failures, row.window_started_at, row.locked_until = 0, now, None
        row.failures += 1
        row.last_failure_at = now
        if row.failures >= lock:
            row.locked_until = now + lock_for
        db.session.flush()
        return row.failures, row.locked_until

    def reset(self, key: str) -> None:
        db.session.query(LoginThrottle).filter_by(key=key).delete()

    @staticmethod
    def _locked_row(key: str, now: datetime) -> LoginThrottle:
        """The pair's row, locked for update; created when missing.

        Two first failures at the same moment both try to insert: the loser's savepoint
        rolls back on the unique key and it counts on the winner's row instead.
        """
        row = db.session.get(LoginThrottle, key, with_for_update=True)
        if row is not None:
            return row
        try:
            with db.session.begin_nested():
                db.session.add(
                    LoginThrottle(key=key, failures=0, window_started_at=now, last_failure_at=now)
                )
        except IntegrityError:
            pass
        return db.session.get(LoginThrottle, key, with_for_update=True, populate_existing=True)

    @staticmethod
    def _expired(window_started_at: datetime, locked_until: datetime | None) -> bool:
        _soft, _lock, window, _lock_for = _settings()
        now = utcnow()
        if locked_until is not None:
            return locked_until <= now
        return window_started_at + window <= now


class RedisStore:
    def __init__(self, url: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url)

    def _name(self, key: str) -> str:
        return f"trainer:login-throttle:{key}"

    def state(self, key: str) -> tuple[int, datetime | None, datetime | None]:
        data = self.client.hgetall(self._name(key))
        if not data:
            return 0, None, None
        return (
            int(data.get(b"failures", 0)),
            _from_ts(data.get(b"last")),
            _from_ts(data.get(b"locked_until")),
        )

    def record_failure(self, key: str, now: datetime) -> tuple[int, datetime | None]:
        _soft, lock, window, lock_for = _settings()
        name = self._name(key)
        pipe = self.client.pipeline()
        pipe.hincrby(name, "failures", 1)
        pipe.hset(name, "last", now.timestamp())
        pipe.expire(name, int(window.total_seconds()), nx=True)
        failures = int(pipe.execute()[0])
        locked_until = None
        if failures >= lock:
            locked_until = now + lock_for
            pipe = self.client.pipeline()
            pipe.hset(name, "locked_until", locked_until.timestamp())
            pipe.expire(name, int(lock_for.total_seconds()))
            pipe.execute()
        return failures, locked_until

    def reset(self, key: str) -> None:
        self.client.delete(self._name(key))


def _from_ts(value: bytes | None) -> datetime | None:
    return datetime.fromtimestamp(float(value), UTC) if value else None


def store() -> DatabaseStore | RedisStore:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return DatabaseStore()
    # One client (and connection pool) per application, not per request.
    if "trainer.redis_throttle" not in current_app.extensions:
        current_app.extensions["trainer.redis_throttle"] = RedisStore(url)
    return current_app.extensions["trainer.redis_throttle"]


def check(key: str, now: datetime | None = None) -> Verdict:
    failures, last, locked_until = store().state(key)
    return judge(failures, last, locked_until, now or utcnow())


def record_failure(key: str, now: datetime | None = None) -> Verdict:
    """Count a failed or refused try; returns the verdict for the next one."""
    now = now or utcnow()
    failures, locked_until = store().record_failure(key, now)
    if locked_until:
        return Verdict(False, locked_until=locked_until)
    return judge(failures, now, None, now)


def reset(key: str) -> None:
    store().reset(key)


def prune_database(now: datetime | None = None) -> int:
    """Delete counters whose window and lock are over; returns how many went."""
    now = now or utcnow()
    _soft, _lock, window, _lock_for = _settings()
    result = db.session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.window_started_at <= now - window,
            or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until <= now),
        )
    )
    return result.rowcount or 0
