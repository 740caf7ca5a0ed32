"""`make bench` in miniature, end to end as CI can afford it: bench-seed at 60 and 6
participants, gunicorn, every figure loaded once for half a second by the Python generator,
the query counts, the JSON. On SQLite, and on PostgreSQL when the suite runs there (in a
database this test creates and drops)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

LOADED = (
    "healthz",
    "module",
    "course",
    "dashboard_institution",
    "dashboard_programme",
    "users_first",
    "users_deep",
    "users_search",
    "certificate_pdf",
    "verify",
)
DOWNLOADS = ("export_csv", "export_xlsx", "cohort_zip")


@pytest.fixture
def bench_database() -> Iterator[tuple[str, list[str]]]:
    """("sqlite", []) or ("postgres", ["--postgres-url", URL]) for a database named after
    the suite's, dropped afterwards with its _tenth sibling."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url or not url.startswith("postgres"):
        yield "sqlite", []
        return
    import psycopg

    base, _, name = url.rpartition("/")
    fresh = f"{name}_harness_bench"
    yield "postgres", ["--postgres-url", f"{base}/{fresh}"]
    admin = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as connection:
        for database in (fresh, f"{fresh}_tenth"):
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def test_the_bench_runs_end_to_end_and_writes_every_figure(bench_database, tmp_path):
    db, options = bench_database
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TRAINER_", "FLASK_", "TEST_DATABASE"))
        and key not in {"DATABASE_URL", "SECRET_KEY", "REDIS_URL"}
    } | {"ARGON2_TIME_COST": "1", "ARGON2_MEMORY_COST": "8", "ARGON2_PARALLELISM": "1"}
    done = subprocess.run(  # noqa: S603  (our interpreter, our script, fixed arguments)
        [sys.executable, "benchmarks/bench.py", "--db", db, *options]
        + ["--size", "60", "--runs", "1", "--seconds", "0.5", "--clients", "2"]
        + ["--generator", "python", "--results", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SQL statements per request" in done.stdout
    [written] = tmp_path.glob(f"{db}-60-*.json")
    result = json.loads(written.read_text())
    figures = result["figures"]
    for name in LOADED:
        [run] = figures[name]["runs"]
        assert run["errors"] == 0, name
        assert run["requests"] >= 2, name
        assert run["rate"] > 0, name
        assert 0 < run["p50"] <= run["p95"] <= run["p99"] < 120_000, name
    for name in ("ratio_module", "ratio_course"):
        assert 0 < figures[name]["summary"]["ratio"]["median"] < 10
    [quiz] = figures["quiz_submission"]["runs"]
    assert quiz["submissions"] >= 1
    assert quiz["errors"] == 0
    assert 0 < quiz["p50"] <= quiz["p95"]
    for name in DOWNLOADS:
        [run] = figures[name]["runs"]
        assert run["errors"] == 0, name
        assert run["bytes"] > 1_000, name
        assert run["milliseconds"] > 0, name
    queries = result["queries"]
    assert set(queries) >= {*LOADED, *DOWNLOADS, "quiz_submission"}
    for name, counts in queries.items():
        assert counts["size"] is not None, name
        assert counts["size"] > 0, name
        assert counts["equal"], (name, counts)
    workers = result["rss_mb"]["workers"]
    assert len(workers) == 2
    assert all(20 < mb < 2_000 for mb in workers)
    wire = result["wire"]
    assert wire["plain"]["status"] == wire["compressed"]["status"] == 200
    assert wire["compressed"]["body"] <= wire["plain"]["body"]
    assert wire["plain"]["encoding"] == ""
    assert result["meta"]["settings_changed"]
