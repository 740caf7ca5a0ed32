"""Print timings and SQL query counts of the report queries (learning gain, item analysis).

    .venv/bin/python benchmarks/reports.py [--participants 2000] [--repeat 20]

Runs on a throw-away SQLite file (or DATABASE_URL when set; its schema must be empty) with
the hand-computed programme of tests/reports plus ``--participants`` more, half in one
cohort, spread over two institutions, each with a pre-test and a post-test attempt.
Figures, not assertions: compare them before and after a change.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _line(label: str, samples: list[float], extra: str = "") -> None:
    samples = sorted(samples)
    p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
    print(f"{label:<40} median {statistics.median(samples):8.2f} ms   p95 {p95:8.2f} ms  {extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from flask_migrate import upgrade
    from sqlalchemy import event, text

    from config import TestingConfig
    from tests.factories import Factories
    from tests.reports.bulk import add_participants
    from tests.reports.conftest import build_programme
    from trainer import create_app
    from trainer.courses.services import current_modules
    from trainer.extensions import db
    from trainer.reports import gain, items
    from trainer.reports.scope import ReportFilter

    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context(), tempfile.TemporaryDirectory() as folder:
        upgrade()
        programme = build_programme(db, Factories(db, Path(folder)), Path(folder))
        modules = [m for m in current_modules(programme.english) if m.quiz]
        start = time.perf_counter()
        add_participants(
            db.session,
            programme.english,
            modules,
            [programme.quito.id, programme.cuenca.id],
            programme.march.id,
            args.participants,
        )
        db.session.commit()
        # Statistics, as PostgreSQL's autovacuum (or a nightly ANALYZE) would have them.
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        seeded = 1000 * (time.perf_counter() - start)
        print(
            f"{db.engine.dialect.name}: {args.participants} participants seeded in {seeded:.0f} ms"
        )
        report = ReportFilter("gain-course")
        for actor_name in ("admin", "quito_coordinator"):
            actor = getattr(programme, actor_name)
            for function in (
                gain.participant_gains,
                gain.cohort_gains,
                gain.institution_gains,
                items.item_statistics,
            ):
                statements: list[int] = []

                def count(*_args, _found=statements, **_kwargs):
                    _found.append(1)

                function(actor, report)  # warm-up
                event.listen(db.engine, "before_cursor_execute", count)
                rows = function(actor, report)
                event.remove(db.engine, "before_cursor_execute", count)
                samples = []
                for _ in range(args.repeat):
                    begin = time.perf_counter()
                    function(actor, report)
                    samples.append(1000 * (time.perf_counter() - begin))
                _line(
                    f"{function.__name__} ({actor_name})",
                    samples,
                    f"{len(statements)} queries, {len(rows)} rows",
                )


if __name__ == "__main__":
    main()
