"""Shared fixtures: the app, a rolled-back database per test, clients and factories.

The schema is built once per run by the Alembic revisions (so they are exercised on
every run), on SQLite by default or on PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator

import pytest
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import event, text
from sqlalchemy.orm import scoped_session, sessionmaker

from config import TestingConfig
from trainer import create_app
from trainer.extensions import db as _db

from . import factories
from .sessions import log_in


def pytest_configure(config: pytest.Config) -> None:
    """Under pytest-xdist each worker gets its own PostgreSQL database, made on demand.

    The worker's name is appended to the database of TEST_DATABASE_URL (test → test_gw0),
    and the variable is rewritten, so tests that start a subprocess on it follow.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = os.environ.get("TEST_DATABASE_URL")
    if not worker or not url or not url.startswith("postgresql"):
        return
    base, _, name = url.rpartition("/")
    own = f"{name}_{worker}"
    import psycopg

    with psycopg.connect(
        url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
    ) as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (own,)).fetchone():
            c.execute(f'CREATE DATABASE "{own}"')
    os.environ["TEST_DATABASE_URL"] = f"{base}/{own}"


def _test_database_url(tmp_dir: str) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_dir}/trainer-test.db"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _reset_schema(app: Flask) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        if _db.engine.dialect.name == "postgresql":
            with _db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        _db.engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _test_database_url(str(tmp_path_factory.mktemp("db")))


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Flask]:
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url)
    app.test_client_class = CSRFClient
    _reset_schema(app)
    yield app
    _dispose(app)


def _dispose(app: Flask) -> None:
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture
def make_app(database_url: str) -> Iterator[Callable[..., Flask]]:
    """Build extra applications (other settings, test-only routes) on the test database."""
    made: list[Flask] = []

    def build(config=TestingConfig, **overrides) -> Flask:
        overrides.setdefault("SQLALCHEMY_DATABASE_URI", database_url)
        made.append(create_app(config, **overrides))
        made[-1].test_client_class = CSRFClient
        return made[-1]

    yield build
    for extra in made:
        _dispose(extra)


@pytest.fixture
def db(app: Flask) -> Iterator:
    """The database inside a transaction that is rolled back after the test.

    Commits made by views and services become savepoints, so they are undone too.
    """
    with app.app_context():
        connection = _db.engine.connect()
        outer = connection.begin()
        # As in the app's own session (trainer/extensions.py), objects stay loaded after a
        # commit; it also lets a test read what it made after a request.
        factory = sessionmaker(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        session = scoped_session(factory)
        real_session = _db.session
        _db.session = session
        try:
            yield _db
        finally:
            session.remove()
            _db.session = real_session
            if outer.is_active:
                outer.rollback()
            connection.close()


@pytest.fixture
def committing_db(app: Flask) -> Iterator:
    """The real session, really committing; every table is emptied afterwards."""
    with app.app_context():
        try:
            yield _db
        finally:
            _db.session.rollback()
            _db.session.remove()
            with _db.engine.begin() as connection:
                for table in reversed(_db.metadata.sorted_tables):
                    connection.execute(table.delete())


def _keep_test_data() -> None:
    """Commit what the test set up (into the test's outer transaction) before a request:
    the request's teardown closes the session and would otherwise undo it."""
    if has_app_context() and _db.session.registry.has():
        _db.session.commit()


class CSRFClient(FlaskClient):
    """A test client that adds a valid CSRF token to every form it posts.

    Pass ``csrf=False`` to post without one (to test the protection itself).
    """

    def csrf_token(self) -> str:
        _keep_test_data()
        with self.session_transaction() as session:
            raw = session.setdefault("csrf_token", os.urandom(20).hex())
        serializer = URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token")
        return serializer.dumps(raw)

    def open(self, *args, **kwargs):
        # Each request gets its own application context, as in production: otherwise it
        # would reuse the test's context and share `g` and the session with earlier requests.
        _keep_test_data()
        with self.application.app_context():
            return super().open(*args, **kwargs)

    def post(self, *args, csrf: bool = True, **kwargs):  # type: ignore[override]
        data = kwargs.get("data")
        if csrf and (data is None or isinstance(data, dict)):
            data = dict(data or {})
            data.setdefault("csrf_token", self.csrf_token())
            kwargs["data"] = data
        return super().post(*args, **kwargs)


@pytest.fixture
def client(app: Flask, db) -> CSRFClient:
    return app.test_client()


@pytest.fixture
def login_as(client: CSRFClient) -> Callable:
    """Log ``user`` in on the test client without going through the form."""

    return lambda user: log_in(client, user)


@pytest.fixture
def make(db, tmp_path_factory: pytest.TempPathFactory) -> Iterator[factories.Factories]:
    """Factories bound to the test's database session: make.user(), make.institution()...

    The course folders make.course() writes are removed after the test.
    """
    root = tmp_path_factory.mktemp("courses")
    try:
        yield factories.Factories(db, root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def count_queries(app: Flask) -> Callable:
    """Context manager counting the SQL statements run inside it."""
    from contextlib import contextmanager

    @contextmanager
    def counter():
        statements: list[str] = []

        def record(conn, cursor, statement, parameters, context, executemany):
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
                statements.append(statement)

        engine = _db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counter
