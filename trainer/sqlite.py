"""SQLite: foreign keys on, and transactions that SAVEPOINT can nest in.

Python's sqlite3 module opens transactions lazily on its own, which breaks SAVEPOINT;
SQLAlchemy's documented remedy is to switch that off and emit BEGIN ourselves. The
listeners sit on the Engine class, so no application context is needed to install them,
and they act on SQLite connections only.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine


def init_sqlite() -> None:
    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)
        event.listen(Engine, "begin", _on_begin)


def _on_connect(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _on_begin(connection) -> None:
    # IMMEDIATE takes the write lock up front: two transactions that read and then write
    # would otherwise both hold read locks and one would fail at once with "database is
    # locked" instead of waiting its turn. SQLite has one writer at a time anyway.
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
