"""`flask --app wsgi backup` then `restore` into a new database: every report's CSV comes out
byte for byte the same. On SQLite, and on PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from contextlib import closing
from datetime import UTC, datetime
from html import unescape

import psycopg
import pytest
from flask import Flask
from sqlalchemy import select

from tests.sessions import log_in
from trainer.auth import services as accounts
from trainer.auth.models import Role, User
from trainer.bench.seed import DOMAIN, seed
from trainer.extensions import db
from trainer.storage.models import StoredFile

pytestmark = pytest.mark.slow

FAMILY = "migration-development-policy"
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
# What the dashboard and the item analysis offered as CSV files when this test was written;
# a table added since is compared too, as long as its page links it.
KNOWN_TABLES = {
    "summary",
    "progress",
    "quizzes",
    "sessions",
    "participants",
    "institutions",
    "at-risk",
    "gain",
    "gain-cohorts",
    "gain-institutions",
    "survey",
    "survey-comments",
    "items",
    "pre-post",
}
_CSV_LINK = re.compile(r'href="(/reports/(?:tables|items)/([a-z-]+)\.csv[^"]*)"')


@pytest.fixture(autouse=True)
def _frozen_reports(monkeypatch):
    # Both exports see the same "today", however long the backup takes.
    monkeypatch.setattr("trainer.reports.views.utcnow", lambda: NOW)


def seeded(app: Flask, participants: int = 60) -> None:
    with app.app_context():
        seed(participants, rng_seed=19, now=NOW)


def export_every_report(app: Flask) -> dict[str, bytes]:
    """{table key: its CSV} of every table the dashboard and the item analysis link, as the
    programme's admin downloads them."""
    client = app.test_client()
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.email == f"admin@{DOMAIN}"))
        log_in(client, admin)
        db.session.commit()
    files = {}
    for page in (f"/reports?family={FAMILY}", f"/reports/items?family={FAMILY}"):
        html = client.get(page).get_data(as_text=True)
        for link, key in _CSV_LINK.findall(html):
            response = client.get(unescape(link))
            assert response.status_code == 200, link
            assert response.mimetype == "text/csv"
            files[key] = response.get_data()
    return files


def invoke(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def test_backup_then_restore_gives_identical_exports_of_every_report(
    migrated_app, empty_app, tmp_path
):
    source = migrated_app("backup_source")
    seeded(source)
    before = export_every_report(source)
    assert set(before) >= KNOWN_TABLES
    # Each table has rows beyond its header, so the comparison compares figures.
    assert all(data.count(b"\r\n") >= 2 for data in before.values()), before

    path = tmp_path / "trainer.backup"
    made = invoke(source, "backup", str(path))
    assert made.exit_code == 0, made.output
    assert "Backed up the" in made.output
    assert path.stat().st_mode & 0o077 == 0  # readable by its owner only

    target = empty_app("backup_target")
    restored = invoke(target, "restore", str(path))
    assert restored.exit_code == 0, restored.output
    assert "Restored" in restored.output
    assert export_every_report(target) == before


def _users(app: Flask) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(select(User.email)))


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(migrated_app, tmp_path):
    app = migrated_app("restore_busy")
    with app.app_context():
        accounts.create_user("ana@example.org", "Ana Admin", Role.ADMIN)
        db.session.commit()
    path = tmp_path / "before.backup"
    assert invoke(app, "backup", str(path)).exit_code == 0
    with app.app_context():
        accounts.create_user("ben@example.org", "Ben Admin", Role.ADMIN)
        db.session.commit()

    refused = invoke(app, "restore", str(path))
    assert refused.exit_code == 1
    assert "Error: The configured database is not empty" in refused.output
    assert "--force" in refused.output
    assert _users(app) == ["ana@example.org", "ben@example.org"]

    forced = invoke(app, "restore", str(path), "--force")
    assert forced.exit_code == 0, forced.output
    assert _users(app) == ["ana@example.org"]


def test_a_sqlite_backup_taken_while_the_app_writes_holds_whole_transactions(
    migrated_app, tmp_path
):
    app = migrated_app("live")
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("pg_dump's snapshot is PostgreSQL's business; this checks SQLite's API")
    stop, written = threading.Event(), []

    def write_pairs() -> None:
        # Two files per transaction: a consistent copy holds an even number of them.
        with app.app_context():
            while not stop.is_set():
                for name in ("a.txt", "b.txt"):
                    db.session.add(
                        StoredFile(
                            filename=name,
                            content_type="text/plain",
                            size=1,
                            sha256="0" * 64,
                            data=b"x",
                        )
                    )
                db.session.commit()
                written.append(2)

    writer = threading.Thread(target=write_pairs)
    writer.start()
    counts = []
    try:
        for number in range(5):
            while len(written) < 5 * (number + 1):
                time.sleep(0.01)
            path = tmp_path / f"live-{number}.backup"
            made = invoke(app, "backup", str(path))
            assert made.exit_code == 0, made.output
            with closing(sqlite3.connect(path)) as copy:
                assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
                counts.append(copy.execute("SELECT count(*) FROM stored_file").fetchone()[0])
                assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
            assert not path.with_name(path.name + "-wal").exists()
    finally:
        stop.set()
        writer.join(timeout=30)
    assert all(count % 2 == 0 for count in counts), counts
    assert counts == sorted(counts), counts
    assert counts[-1] > counts[0], counts


def test_a_database_owner_restores_where_a_superuser_made_pg_trgm(migrated_app, make_app, tmp_path):
    """The README lets a superuser create pg_trgm in the new database; the restore, run as
    the database's owner, must not trip over that extension (its comment is its owner's)."""
    source = migrated_app("owner_source")
    url = source.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        pytest.skip("roles and extensions are PostgreSQL's")
    with source.app_context():
        accounts.create_user("ana@example.org", "Ana Admin", Role.ADMIN)
        db.session.commit()
    path = tmp_path / "owner.backup"
    assert invoke(source, "backup", str(path)).exit_code == 0
    base, _, name = url.rpartition("/")
    role, target = f"{name}_owner", f"{name}_owned"
    admin = url.replace("postgresql+psycopg://", "postgresql://")
    host = base.partition("@")[2]
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        connection.execute(f'DROP ROLE IF EXISTS "{role}"')
        connection.execute(f'CREATE ROLE "{role}" LOGIN')
        connection.execute(f'CREATE DATABASE "{target}" OWNER "{role}"')
    try:
        with psycopg.connect(f"{admin.rpartition('/')[0]}/{target}", autocommit=True) as c:
            c.execute("CREATE EXTENSION pg_trgm")
        owner_app = make_app(SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://{role}@{host}/{target}")
        restored = invoke(owner_app, "restore", str(path))
        assert restored.exit_code == 0, restored.output
        assert _users(owner_app) == ["ana@example.org"]
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
            connection.execute(f'DROP ROLE IF EXISTS "{role}"')
