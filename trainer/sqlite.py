"""SQLite: foreign keys on, and transactions that SAVEPOINT can nest in.

Python's sqlite3 module opens transactions lazily on its own, which breaks SAVEPOINT;
SQLAlchemy's documented remedy is to switch that off and emit BEGIN ourselves.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event


def init_sqlite(app: Flask) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        from trainer.extensions import db

        event.listen(db.engine, "connect", _on_connect)
        event.listen(db.engine, "begin", _on_begin)


def _on_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _on_begin(connection) -> None:
    connection.exec_driver_sql("BEGIN")
