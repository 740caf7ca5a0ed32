"""Backups of the database, and restoring one into an empty database.

- SQLite: SQLite's online backup API copies the database as one read transaction sees it,
  so a backup taken while app servers and workers write is consistent (under WAL they go
  on writing meanwhile). The copy is a single SQLite file, restored with the same API.
- PostgreSQL: ``pg_dump`` in its custom format, without owners or privileges (so it
  restores into a database owned by another role); ``pg_restore`` puts it back in one
  transaction, so a restore that fails leaves the database as it was.

A backup holds personal data and password hashes: it is written readable by its owner only,
never over an existing file, and appears under its name only once complete.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from trainer.ops import pgtools
from trainer.ops.errors import BackupError

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
# The first bytes of each kind of backup file.
HEADERS = {SQLITE: b"SQLite format 3\x00", POSTGRESQL: b"PGDMP"}
NAMES = {SQLITE: "SQLite", POSTGRESQL: "PostgreSQL"}


def backup(engine: Engine, path: Path) -> None:
    """Write a backup of the database to ``path``, a file that must not exist yet."""
    kind = _kind_of(engine)
    _check_new_file(path)
    descriptor, partial_name = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".partial"
    )
    os.close(descriptor)  # made readable by its owner only; the writers below reopen it
    partial = Path(partial_name)
    try:
        if kind == SQLITE:
            _sqlite_backup(engine, partial)
        else:
            pgtools.dump(engine, partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def restore(engine: Engine, path: Path, *, force: bool = False) -> str | None:
    """Restore the backup at ``path`` into the database, which must be empty unless
    ``force``; returns the schema revision the backup holds (None if it holds none).

    With ``force`` a SQLite database is overwritten as a whole, and a PostgreSQL database's
    ``public`` schema is dropped and made again before the restore.
    """
    kind = _kind_of(engine)
    found = file_kind(path)
    if found != kind:
        raise BackupError(
            f"{path} is a {NAMES[found]} backup, but the configured database is "
            f"{NAMES[kind]}; restore it into a {NAMES[found]} database (DATABASE_URL)."
        )
    if kind == SQLITE:
        _check_sqlite_backup(path)
    else:
        pgtools.check_archive(path)
    if not force and has_tables(engine):
        raise BackupError(
            "The configured database is not empty: restore into an empty database, or add "
            "--force to replace everything in it."
        )
    if kind == SQLITE:
        _sqlite_restore(engine, path)
    else:
        if force:
            _empty_public_schema(engine)
        engine.dispose()  # no connection of ours holds a lock while pg_restore works
        pgtools.restore(engine, path)
    engine.dispose()
    return schema_revision(engine)


def file_kind(path: Path) -> str:
    """SQLITE or POSTGRESQL, from the file's first bytes."""
    try:
        with path.open("rb") as file:
            start = file.read(16)
    except IsADirectoryError:
        raise BackupError(f"{path} is a folder, not a backup file.") from None
    except FileNotFoundError:
        raise BackupError(f"{path} does not exist.") from None
    except OSError as error:
        raise BackupError(f"{path} cannot be read: {error.strerror}.") from None
    for kind, header in HEADERS.items():
        if start.startswith(header):
            return kind
    raise BackupError(
        f"{path} is not a backup made by `flask --app wsgi backup` (neither a SQLite "
        "database nor a pg_dump archive)."
    )


def has_tables(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            return bool(inspect(connection).get_table_names())
    except SQLAlchemyError as error:
        raise _unreachable(error) from None


def schema_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at, None without an alembic_version table."""
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            return connection.scalar(text("SELECT version_num FROM alembic_version"))
    except SQLAlchemyError as error:
        raise _unreachable(error) from None


def _kind_of(engine: Engine) -> str:
    kind = engine.dialect.name
    if kind not in NAMES:
        raise BackupError(f"Backups are made of SQLite and PostgreSQL databases, not {kind}.")
    if kind == SQLITE and engine.url.database in (None, "", ":memory:"):
        raise BackupError("The configured database is in memory: there is no file to back up.")
    return kind


def _check_new_file(path: Path) -> None:
    if path.exists() or path.is_symlink():
        raise BackupError(f"{path} already exists: choose a new file name.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise BackupError(f"The folder {path.parent} is not writable.")


def _sqlite_backup(engine: Engine, target: Path) -> None:
    try:
        with engine.connect() as connection:
            source = connection.connection.driver_connection
            copy = sqlite3.connect(target)
            try:
                # In one step: the copy is the database as of one moment, whatever other
                # connections write meanwhile.
                source.backup(copy)
                # One self-contained file, without a -wal beside it.
                copy.execute("PRAGMA journal_mode = DELETE")
            finally:
                copy.close()
    except (SQLAlchemyError, sqlite3.Error) as error:
        raise BackupError(f"The backup failed: {_first_line(error)}") from None


def _check_sqlite_backup(path: Path) -> None:
    try:
        with _read_only(path) as backup_file:
            names = {
                name
                for (name,) in backup_file.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                )
            }
    except sqlite3.Error as error:
        raise BackupError(f"{path} cannot be read as a SQLite database: {error}.") from None
    if "alembic_version" not in names:
        raise BackupError(f"{path} is a SQLite database, but not a backup of trainer's.")


def _sqlite_restore(engine: Engine, path: Path) -> None:
    try:
        with _read_only(path) as backup_file, engine.connect() as connection:
            backup_file.backup(connection.connection.driver_connection)
    except (SQLAlchemyError, sqlite3.Error) as error:
        raise BackupError(f"The restore failed: {_first_line(error)}") from None


def _read_only(path: Path) -> closing[sqlite3.Connection]:
    return closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True))


def _empty_public_schema(engine: Engine) -> None:
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    except SQLAlchemyError as error:
        raise BackupError(f"The database could not be emptied: {_first_line(error)}") from None


def _unreachable(error: SQLAlchemyError) -> BackupError:
    return BackupError(f"The database cannot be reached: {_first_line(error)}")


def _first_line(error: BaseException) -> str:
    cause = getattr(error, "orig", None) or error
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__
