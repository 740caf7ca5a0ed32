"""SQLite as an embedded database: readers that never wait, writers that take turns.

Settings of every connection (the listeners sit on the Engine class, so no application
context is needed to install them, and they act on SQLite connections only):
- WAL journal on file databases: readers see the last commit while a writer works, and a
  writer is never blocked by readers. `synchronous=NORMAL` is what SQLite recommends with
  WAL: never corrupt, though the last commits may be lost on a power cut.
- `busy_timeout`: a transaction that needs the write lock waits up to 5 s for it.
- Foreign keys on.
- Python's sqlite3 module opens transactions lazily on its own, which breaks SAVEPOINT;
  SQLAlchemy's documented remedy is to switch that off and emit BEGIN ourselves.

Which BEGIN, the rule:
- GET and HEAD requests begin DEFERRED: they take no lock, so any number of them run side by
  side, and beside the one writer.
- Every other request, CLI commands and code outside a request begin IMMEDIATE: the write
  lock is taken up front, so two transactions that read and then write queue for it instead
  of one failing.
- Under WAL a DEFERRED transaction that writes fails at once ("database is locked", without
  waiting: waiting could deadlock) whenever another connection holds the write lock or has
  written since it began.
  So no GET writes in its own transaction. The one write a GET may make goes through
  `short_write_transaction()`, which ends the read transaction and writes in a short
  IMMEDIATE one of its own.
- Until no GET writes otherwise, a GET or HEAD whose deferred transaction hits that failure
  is rolled back and run once more, beginning IMMEDIATE (see `rerun_with_write_lock`), and a
  warning names the route.
PostgreSQL needs none of this: its BEGIN is left alone.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, g, has_request_context, request
from flask.typing import ResponseReturnValue
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import scoped_session

from trainer.extensions import db

BUSY_TIMEOUT_MS = 5000
READ_METHODS = frozenset({"GET", "HEAD"})


def init_sqlite() -> None:
    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)
        event.listen(Engine, "begin", _on_begin)


@contextmanager
def short_write_transaction() -> Iterator[scoped_session]:
    """Run the block in a short write transaction of its own, then commit it.

    For the one write a GET may make (e.g. "last module viewed", at most every few minutes):
    the request's read transaction is ended first (it must hold no changes), the block's
    statements run in a new transaction that begins IMMEDIATE on SQLite (waiting up to
    `BUSY_TIMEOUT_MS` for the write lock), and it is committed when the block ends, or
    rolled back if the block raises. What the request reads afterwards begins DEFERRED again.
    Keep the block to one cheap UPDATE: on SQLite it holds the database's only write lock.
    Works the same on PostgreSQL, in the CLI and under the tests' rolled-back session.
    """
    session = db.session
    session.commit()
    forced = g.get("sqlite_begin") if has_request_context() else None
    if has_request_context():
        g.sqlite_begin = "IMMEDIATE"
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        if has_request_context():
            g.sqlite_begin = forced


def rerun_with_write_lock(error: Exception) -> ResponseReturnValue | None:
    """Run a GET or HEAD again, beginning IMMEDIATE, when it failed writing from a deferred
    transaction under contention; None when `error` is anything else."""
    if not (
        isinstance(error, OperationalError)
        and _is_busy(error.orig)
        and has_request_context()
        and g.get("sqlite_began") == "DEFERRED"
        and not g.get("sqlite_begin")
    ):
        return None
    current_app.logger.warning(
        "%s %s wrote inside its read transaction and met another writer; it ran again "
        "beginning IMMEDIATE. A GET may write only through short_write_transaction().",
        request.method,
        request.path,
    )
    db.session.rollback()
    g.sqlite_begin = "IMMEDIATE"
    try:
        return current_app.dispatch_request()
    except Exception as again:  # handled as any view's error would be
        return current_app.handle_user_exception(again)


def _is_busy(error: BaseException | None) -> bool:
    return (
        isinstance(error, sqlite3.OperationalError)
        and (getattr(error, "sqlite_errorcode", 0) & 0xFF) == sqlite3.SQLITE_BUSY
    )


def _on_connect(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    if _is_file_database(cursor):
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _is_file_database(cursor: sqlite3.Cursor) -> bool:
    # In-memory and temporary databases have no file name; WAL needs a file.
    return any(
        name == "main" and file for _seq, name, file in cursor.execute("PRAGMA database_list")
    )


def _on_begin(connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    if has_request_context():
        kind = g.get("sqlite_begin") or (
            "DEFERRED" if request.method in READ_METHODS else "IMMEDIATE"
        )
        g.sqlite_began = kind
    else:
        kind = "IMMEDIATE"
    connection.exec_driver_sql(f"BEGIN {kind}")
