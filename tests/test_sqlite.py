"""trainer.sqlite: WAL, the kind of BEGIN per request, and the one way a GET may write."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, event, func, insert, select

from trainer.auth.models import Institution, User
from trainer.extensions import db as _db
from trainer.sqlite import BUSY_TIMEOUT_MS, short_write_transaction


@pytest.fixture
def sqlite_only(app):
    with app.app_context():
        if _db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite's locking; PostgreSQL's BEGIN is left alone")


@contextmanager
def begins(engine) -> Iterator[list[str]]:
    """The BEGIN statements `engine` sends inside the block."""
    seen: list[str] = []

    def record(conn, cursor, statement, *_args):
        if statement.startswith("BEGIN"):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def institution_slugs() -> set[str]:
    with _db.engine.connect() as connection:
        return set(connection.scalars(select(Institution.slug)))


def test_file_databases_run_in_wal_with_a_busy_timeout(app, sqlite_only):
    with app.app_context(), _db.engine.connect() as connection:
        pragma = connection.exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert pragma("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_MS
        assert pragma("PRAGMA foreign_keys").scalar() == 1


def test_memory_databases_keep_their_own_journal(app):
    engine = create_engine("sqlite://")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "memory"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


@pytest.mark.parametrize(
    ("method", "kind"),
    [
        ("GET", "DEFERRED"),
        ("HEAD", "DEFERRED"),
        ("POST", "IMMEDIATE"),
        ("PUT", "IMMEDIATE"),
        ("PATCH", "IMMEDIATE"),
        ("DELETE", "IMMEDIATE"),
    ],
)
def test_requests_begin_deferred_to_read_and_immediate_to_write(app, sqlite_only, method, kind):
    with app.test_request_context("/", method=method), begins(_db.engine) as seen:
        _db.session.scalar(select(func.count(User.id)))
        _db.session.rollback()
    assert seen == [f"BEGIN {kind}"]


def test_code_outside_a_request_begins_immediate(app, sqlite_only):
    with app.app_context(), begins(_db.engine) as seen, _db.engine.begin() as connection:
        connection.scalar(select(func.count(User.id)))
    assert seen == ["BEGIN IMMEDIATE"]


def test_a_get_page_begins_deferred_and_a_form_post_immediate(app, sqlite_only, committing_db):
    client = app.test_client()
    with begins(_db.engine) as seen:
        assert client.get("/healthz").status_code == 200
    assert seen == ["BEGIN DEFERRED"]
    with begins(_db.engine) as seen:
        response = client.post("/login", data={"email": "nobody@example.org", "password": "x"})
    assert response.status_code == 401
    assert seen
    assert set(seen) == {"BEGIN IMMEDIATE"}


def test_readers_wait_neither_for_each_other_nor_for_the_writer(app, sqlite_only, committing_db):
    barrier = threading.Barrier(2, timeout=3)
    errors: list[BaseException] = []

    def read() -> None:
        try:
            with app.test_request_context("/", method="GET"):
                _db.session.scalar(select(func.count(User.id)))
                barrier.wait()  # both readers are inside a read transaction at once
                assert institution_slugs() == set()  # the writer's row is not committed
                _db.session.scalar(select(func.count(Institution.id)))
                _db.session.commit()
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    with _db.engine.connect() as writer:
        # Outside a request: BEGIN IMMEDIATE, and the row keeps the write lock held.
        writer.execute(insert(Institution).values(name="Writer", slug="writer"))
        started = time.perf_counter()
        readers = [threading.Thread(target=read) for _ in range(2)]
        for reader in readers:
            reader.start()
        health = app.test_client().get("/healthz")
        for reader in readers:
            reader.join(timeout=30)
        elapsed = time.perf_counter() - started
        writer.rollback()
    assert not errors, errors
    assert health.status_code == 200
    assert elapsed < BUSY_TIMEOUT_MS / 1000 / 2, "a reader waited for the write lock"


def test_short_write_transaction_commits_one_write_apart_from_the_read(app, committing_db):
    sqlite = _db.engine.dialect.name == "sqlite"
    with app.test_request_context("/", method="GET"), begins(_db.engine) as seen:
        _db.session.scalar(select(func.count(User.id)))
        with short_write_transaction() as session:
            session.execute(insert(Institution).values(name="Viewed", slug="viewed"))
        _db.session.scalar(select(func.count(User.id)))
        _db.session.rollback()
    if sqlite:
        assert seen == ["BEGIN DEFERRED", "BEGIN IMMEDIATE", "BEGIN DEFERRED"]
    assert institution_slugs() == {"viewed"}  # committed: another connection sees it


def test_short_write_transaction_rolls_back_when_the_block_fails(app, committing_db):
    def write_then_fail() -> None:
        with short_write_transaction() as session:
            session.execute(insert(Institution).values(name="Viewed", slug="viewed"))
            raise ValueError("stop")

    with app.test_request_context("/", method="GET"):
        with pytest.raises(ValueError, match="stop"):
            write_then_fail()
        assert institution_slugs() == set()


def test_short_write_transaction_works_in_the_tests_rolled_back_session(app, db):
    with app.test_request_context("/", method="GET"):
        with short_write_transaction() as session:
            session.execute(insert(Institution).values(name="Viewed", slug="viewed"))
        assert db.session.scalar(select(Institution.slug)) == "viewed"


def test_a_get_that_writes_under_contention_runs_again_with_the_write_lock(
    app, sqlite_only, committing_db, make_app, caplog
):
    """Until no GET writes from its read transaction, such a GET still works: the deferred
    transaction fails at once when another connection wrote meanwhile, so it runs again."""
    extra = make_app()
    runs: list[int] = []

    @extra.get("/test-only/writes")
    def writes():
        runs.append(len(runs) + 1)
        _db.session.scalar(select(func.count(Institution.id)))  # the read snapshot starts
        if len(runs) == 1:
            with _db.engine.connect() as other:  # another request writes meanwhile
                other.execute(insert(Institution).values(name="Other", slug="other"))
                other.commit()
        _db.session.add(Institution(name="Mine", slug="mine"))
        _db.session.commit()
        return "written"

    with extra.app_context():
        engine = _db.engine
    with caplog.at_level(logging.WARNING), begins(engine) as seen:
        response = extra.test_client().get("/test-only/writes")
    assert response.get_data(as_text=True) == "written"
    assert runs == [1, 2]
    assert seen == ["BEGIN DEFERRED", "BEGIN DEFERRED", "BEGIN IMMEDIATE"]
    assert institution_slugs() == {"other", "mine"}
    assert "/test-only/writes wrote inside its read transaction" in caplog.text
