"""Print timings and SQL query counts for course checking, import and the main pages.

    .venv/bin/python benchmarks/pages.py [--repeat 50]

Runs on a throw-away SQLite file (or DATABASE_URL when set) with the demo data and courses.
Figures, not assertions: compare them before and after a change.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import event

ROOT = Path(__file__).resolve().parents[1]


def _timed(function, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _line(label: str, samples: list[float], extra: str = "") -> None:
    samples = sorted(samples)
    p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
    print(f"{label:<44} median {statistics.median(samples):8.2f} ms   p95 {p95:8.2f} ms  {extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    import os
    import sys

    sys.path.insert(0, str(ROOT))
    from flask_migrate import upgrade

    from config import TestingConfig
    from trainer import create_app
    from trainer.courses.checks import check_courses
    from trainer.courses.services import import_course
    from trainer.demo import seed_demo
    from trainer.extensions import db

    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=False)
    with app.app_context():
        upgrade()
        seed_demo()
        db.session.commit()
        _line("courses check (2 demo courses)", _timed(lambda: check_courses(ROOT / "courses"), 10))
        specs, _ = check_courses(ROOT / "courses")
        start = time.perf_counter()
        for spec in specs:
            import_course(spec)
        db.session.commit()
        elapsed = 1000 * (time.perf_counter() - start)
        print(f"{'first import (2 courses, 14 modules)':<44} {elapsed:8.2f} ms")

        def reimport():
            for spec in specs:
                import_course(spec)
            db.session.rollback()

        _line("re-import, no change (2 courses)", _timed(reimport, 10))
        engine = db.engine

    client = app.test_client()
    client.post(
        "/login", data={"email": "participant@example.org", "password": "demo-participant-pass"}
    )
    client.post("/courses/migracion-politicas-desarrollo/enrol")
    client.get("/courses/migracion-politicas-desarrollo/modules/why-migration-matters")
    pages = [
        "/",
        "/courses",
        "/courses/migracion-politicas-desarrollo",
        "/courses/migracion-politicas-desarrollo/modules/why-migration-matters",
        "/courses/migracion-politicas-desarrollo/assets/policy-cycle.svg",
    ]
    for path in pages:
        statements: list[int] = []

        def count(*_args, _found=statements, **_kwargs):
            _found.append(1)

        client.get(path)  # warm-up: the first view of a page may record progress
        event.listen(engine, "before_cursor_execute", count)
        response = client.get(path)
        event.remove(engine, "before_cursor_execute", count)
        if response.status_code != 200:
            print(f"{path:<44} status {response.status_code}")
            continue
        size = len(response.data)
        _line(
            path[:44],
            _timed(lambda p=path: client.get(p), args.repeat),
            f"{len(statements)} queries, {size / 1024:.1f} KiB",
        )


if __name__ == "__main__":
    main()
