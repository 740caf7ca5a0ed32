"""SQLite needs foreign keys switched on for every connection."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event


def init_sqlite(app: Flask) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        from trainer.extensions import db

        event.listen(db.engine, "connect", _enable_foreign_keys)


def _enable_foreign_keys(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
