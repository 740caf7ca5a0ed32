"""Print timings and SQL query counts of the report queries (learning gain, item analysis).

    .venv/bin/python benchmarks/reports.py [--participants 2000] [--repeat 20]

Runs on a throw-away SQLite file (or DATABASE_URL when set; its schema must be empty) with
the hand-computed programme of tests/reports plus ``--participants`` more, half in one
cohort, spread over two institutions, each with a pre-test and a post-test attempt.
Figures, not assertions: compare them before and after a change.

    DATABASE_URL=postgresql://.../bench .venv/bin/python benchmarks/reports.py --seeded

``--seeded`` reads a database filled by ``flask --app wsgi bench-seed`` instead (20,000
participants by default) and times each report query for the coordinator of the largest
institution (2,000 participants at 20,000): ``--repeat`` calls per run, three runs, and the
median over the runs of each run's p50 and p95. The survey query functions and the whole
dashboard (``dashboard.build``, also for the programme coordinator, every institution) are
timed too where this branch has them.
"""

from __future__ import annotations

import argparse
import math
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
    parser.add_argument(
        "--seeded", action="store_true", help="time a bench-seed database (DATABASE_URL)"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs of --repeat calls (--seeded)")
    args = parser.parse_args()
    if args.seeded:
        time_seeded(args.repeat, args.runs)
        return

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


# Report query functions taking (actor, ReportFilter), timed where this branch has them.
SEEDED_FUNCTIONS = (
    ("trainer.reports.gain", "participant_gains"),
    ("trainer.reports.gain", "cohort_gains"),
    ("trainer.reports.gain", "institution_gains"),
    ("trainer.reports.items", "item_statistics"),
    ("trainer.reports.surveys", "survey_results"),
    ("trainer.reports.surveys", "survey_report"),
    ("trainer.reports.dashboard", "build"),
)
# Keyword arguments of the functions that take more than (actor, ReportFilter).
SEEDED_KEYWORDS = {
    "build": lambda: {"now": _now(), "inactive_after_days": 14, "language": "en"},
}
# Also timed for the programme coordinator, who sees every institution.
PROGRAMME_WIDE = ("build",)


def _now():
    from trainer.dbtypes import utcnow

    return utcnow()


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(len(ordered) * share) - 1)]


def time_seeded(repeat: int, runs: int) -> None:
    sys.path.insert(0, str(ROOT))
    import importlib

    from sqlalchemy import event, func, select

    from config import DevelopmentConfig
    from trainer import create_app
    from trainer.auth.models import Institution, User
    from trainer.bench.seed import COURSE, DOMAIN
    from trainer.extensions import db
    from trainer.reports.scope import ReportFilter

    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit("--seeded reads DATABASE_URL: a database filled by `flask bench-seed`.")
    app = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        slug = "bench-institution-01"
        coordinator = db.session.scalar(
            select(User).where(User.email == f"coordinator-{slug}@{DOMAIN}")
        )
        if coordinator is None:
            sys.exit("No bench-seed data here: run `flask --app wsgi bench-seed` first.")
        people = db.session.scalar(
            select(func.count()).select_from(User).where(User.role == "participant")
        )
        size = db.session.scalar(
            select(func.count())
            .select_from(User)
            .join(Institution, Institution.id == User.institution_id)
            .where(Institution.slug == slug, User.role == "participant")
        )
        print(
            f"{db.engine.dialect.name}: {people} participants; {slug}'s coordinator "
            f"({size} participants); {runs} runs of {repeat} calls, median over the runs"
        )
        report = ReportFilter(COURSE)
        programme = db.session.scalar(select(User).where(User.email == f"programme@{DOMAIN}"))
        for module_name, name in SEEDED_FUNCTIONS:
            try:
                function = getattr(importlib.import_module(module_name), name)
            except (ImportError, AttributeError):
                continue
            actors = [("", coordinator)]
            if name in PROGRAMME_WIDE and programme is not None:
                actors.append((" (programme)", programme))
            for suffix, actor in actors:
                label = name + suffix
                _time_seeded_function(db, event, function, label, actor, report, repeat, runs)


def _time_seeded_function(db, event, function, label, actor, report, repeat, runs) -> None:
    keywords = SEEDED_KEYWORDS.get(function.__name__, dict)
    statements: list[int] = []

    def count(*_args, _found=statements, **_kwargs):
        _found.append(1)

    function(actor, report, **keywords())  # warm-up
    db.session.rollback()
    event.listen(db.engine, "before_cursor_execute", count)
    rows = function(actor, report, **keywords())
    event.remove(db.engine, "before_cursor_execute", count)
    db.session.rollback()
    p50s, p95s = [], []
    for _run in range(runs):
        samples = []
        for _ in range(repeat):
            arguments = keywords()
            begin = time.perf_counter()
            function(actor, report, **arguments)
            samples.append(1000 * (time.perf_counter() - begin))
            db.session.rollback()
        p50s.append(statistics.median(samples))
        p95s.append(_percentile(samples, 0.95))
    size_note = f"{len(rows)} rows" if hasattr(rows, "__len__") else ""
    if hasattr(rows, "participants"):
        size_note = f"{len(rows.participants)} participants"
    print(
        f"{label:<22} p50 {statistics.median(p50s):8.1f} ms   "
        f"p95 {statistics.median(p95s):8.1f} ms   "
        f"({len(statements)} queries, {size_note})"
    )


if __name__ == "__main__":
    main()
