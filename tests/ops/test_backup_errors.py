"""What goes wrong with a backup or a restore gets one line saying what and what to do, exit
status 1, never a traceback."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from flask import Flask


def refused(app: Flask, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # a ClickException, nothing unexpected
    assert "Traceback" not in result.output
    assert result.output.startswith("Error: ")
    assert result.output.count("\n") == 1, result.output
    return result.output


def _is_postgresql(app: Flask) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


def _sqlite_file(path: Path, *tables: str) -> Path:
    with closing(sqlite3.connect(path)) as connection:
        for table in tables:
            connection.execute(f"CREATE TABLE {table} (x)")
    return path


def test_a_backup_never_writes_over_a_file(app, tmp_path):
    existing = tmp_path / "old.backup"
    existing.write_bytes(b"keep me")
    assert "old.backup already exists: choose a new file name." in refused(
        app, "backup", str(existing)
    )
    assert existing.read_bytes() == b"keep me"


def test_a_backup_into_a_missing_folder(app, tmp_path):
    message = refused(app, "backup", str(tmp_path / "nowhere" / "trainer.backup"))
    assert f"The folder {tmp_path / 'nowhere'} does not exist." in message


def test_an_in_memory_database_has_nothing_to_back_up(make_app, tmp_path):
    memory = make_app(SQLALCHEMY_DATABASE_URI="sqlite://")
    assert "in memory" in refused(memory, "backup", str(tmp_path / "memory.backup"))
    assert list(tmp_path.iterdir()) == []


def test_restoring_a_missing_file(app, tmp_path):
    assert "does not exist" in refused(app, "restore", str(tmp_path / "missing.backup"))


def test_restoring_a_file_that_is_no_backup(app, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a backup\n")
    message = refused(app, "restore", str(notes))
    assert "is not a backup made by `flask --app wsgi backup`" in message


def test_restoring_the_other_database_s_kind_of_backup(app, tmp_path):
    if _is_postgresql(app):
        other = _sqlite_file(tmp_path / "sqlite.backup", "alembic_version")
        expected = "is a SQLite backup, but the configured database is PostgreSQL"
    else:
        other = tmp_path / "postgresql.backup"
        other.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(64))
        expected = "is a PostgreSQL backup, but the configured database is SQLite"
    assert expected in refused(app, "restore", str(other))


def test_restoring_a_damaged_backup(app, tmp_path):
    damaged = tmp_path / "damaged.backup"
    if _is_postgresql(app):
        damaged.write_bytes(b"PGDMP" + bytes(40))
        expected = "pg_restore cannot read"
    else:
        damaged.write_bytes(b"SQLite format 3\x00" + bytes(200))
        expected = "cannot be read as a SQLite database"
    assert expected in refused(app, "restore", str(damaged))


def test_restoring_a_sqlite_database_that_is_not_trainer_s(make_app, tmp_path):
    target = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'target.db'}")
    other = _sqlite_file(tmp_path / "other.db", "recipes")
    assert "is a SQLite database, but not a backup of trainer's" in refused(
        target, "restore", str(other)
    )


@pytest.fixture
def postgresql_app(app):
    if not _is_postgresql(app):
        pytest.skip("pg_dump is run for PostgreSQL only")
    return app


def test_without_pg_dump_the_message_says_what_to_install(postgresql_app, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    message = refused(postgresql_app, "backup", str(tmp_path / "trainer.backup"))
    assert "pg_dump was not found on PATH" in message
    assert "apt-get install postgresql-client" in message


def test_a_pg_dump_older_than_the_server_is_refused(postgresql_app, tmp_path, monkeypatch):
    tools = tmp_path / "old-client"
    tools.mkdir()
    fake = tools / "pg_dump"
    fake.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tools))
    message = refused(postgresql_app, "backup", str(tmp_path / "trainer.backup"))
    assert "pg_dump 9 cannot dump a PostgreSQL" in message
    assert not (tmp_path / "trainer.backup").exists()
