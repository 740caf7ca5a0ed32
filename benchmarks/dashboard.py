"""Print the coordinators' dashboard's timings and SQL query counts on a skewed programme.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_dash \\
        .venv/bin/python benchmarks/dashboard.py [--participants 20000] [--repeat 20] [--runs 3]

On a throw-away database (DATABASE_URL, whose schema must be empty, or a SQLite file): the
hand-computed programme of tests/reports, then ``--participants`` more spread over 50
institutions skewed like a real programme (the largest with a tenth of them, 2,000 at
20,000; a few large, many small), half of each in the March cohort, each with a pre-test
and a post-test attempt and marks at four sessions. It times ``dashboard.build`` and the
whole page (``GET /reports``) for the largest institution's coordinator and for a programme
coordinator (every institution): p50 and p95 of ``--repeat`` timings, each the median over
``--runs`` runs. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INSTITUTIONS = 50


def sizes(total: int) -> list[int]:
    """Participants per institution: the largest a tenth, the rest Zipf-like, summing up."""
    largest = total // 10
    weights = [1 / rank for rank in range(2, INSTITUTIONS + 1)]
    rest = total - largest
    found = [max(1, int(rest * w / sum(weights))) for w in weights]
    found[0] += rest - sum(found)
    return [largest, *found]


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from datetime import UTC, date, datetime
    from datetime import time as clock

    from flask_migrate import upgrade
    from sqlalchemy import event, insert, select, text

    from config import TestingConfig
    from tests.factories import Factories
    from tests.reports.bulk import add_participants
    from tests.reports.conftest import build_programme
    from tests.sessions import log_in
    from trainer import create_app
    from trainer.auth.models import Role
    from trainer.cohorts import sessions as cohort_sessions
    from trainer.cohorts.models import AttendanceRecord, CohortMember
    from trainer.courses.services import current_modules
    from trainer.dbtypes import utcnow
    from trainer.extensions import db
    from trainer.reports import dashboard
    from trainer.reports.scope import ReportFilter

    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context(), tempfile.TemporaryDirectory() as folder:
        upgrade()
        make = Factories(db, Path(folder))
        p = build_programme(db, make, Path(folder))
        modules = [m for m in current_modules(p.english) if m.quiz]
        sessions = [
            cohort_sessions.schedule_session(
                p.admin, p.march, day=date(2026, 3, d), start=clock(9), end=clock(12), place="Sala"
            ).id
            for d in (3, 10, 17, 24)
        ]
        db.session.execute(
            CohortMember.__table__.update()
            .where(CohortMember.cohort_id == p.march.id)
            .values(joined_at=datetime(2026, 2, 1, tzinfo=UTC))
        )
        start = time.perf_counter()
        institutions = [p.quito] + [
            make.institution(name=f"Institution {n:02d}") for n in range(2, INSTITUTIONS + 1)
        ]
        db.session.flush()
        for seed, (institution, count) in enumerate(
            zip(institutions, sizes(args.participants), strict=True)
        ):
            add_participants(
                db.session, p.english, modules, [institution.id], p.march.id, count, seed=seed
            )
        rng = random.Random(0)
        members = db.session.scalars(
            select(CohortMember.user_id).where(CohortMember.cohort_id == p.march.id)
        ).all()
        rows = [
            {
                "session_id": session_id,
                "user_id": user_id,
                "status": rng.choice(["present", "present", "late", "excused", "absent"]),
                "method": "roster",
                "recorded_at": utcnow(),
            }
            for user_id in members
            for session_id in sessions
            if rng.random() < 0.9
        ]
        for at in range(0, len(rows), 5000):
            db.session.execute(insert(AttendanceRecord), rows[at : at + 5000])
        coordinator = make.user(Role.COORDINATOR, institution=p.quito, password=None)
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        seeded = time.perf_counter() - start
        print(
            f"{db.engine.dialect.name}: {args.participants} participants in {INSTITUTIONS} "
            f"institutions (largest {sizes(args.participants)[0]}) seeded in {seeded:.1f} s"
        )
        report = ReportFilter("gain-course")
        if os.environ.get("PROFILE"):
            import cProfile

            cProfile.runctx(
                "dashboard.build(coordinator, report, now=utcnow(), inactive_after_days=14)",
                globals(),
                locals(),
                sort="cumulative",
            )
            return
        for label, actor in (
            ("largest institution's coordinator", coordinator),
            ("programme coordinator, all", p.programme),
        ):
            actor_id = actor.id
            client = app.test_client()  # a client of one's own: one log-in each
            log_in(client, actor)
            db.session.commit()
            runs_build, runs_page = [], []
            for _run in range(args.runs):
                build, page = [], []
                for _ in range(args.repeat):
                    actor = db.session.get(type(actor), actor_id)
                    begin = time.perf_counter()
                    data = dashboard.build(actor, report, now=utcnow(), inactive_after_days=14)
                    build.append(1000 * (time.perf_counter() - begin))
                    db.session.rollback()
                    begin = time.perf_counter()
                    response = client.get("/reports?family=gain-course")
                    page.append(1000 * (time.perf_counter() - begin))
                    assert response.status_code == 200, response.status_code
                runs_build.append(percentiles(build))
                runs_page.append(percentiles(page))
            statements: list[int] = []

            def count(*_args, _found=statements, **_kwargs):
                _found.append(1)

            event.listen(db.engine, "before_cursor_execute", count)
            client.get("/reports?family=gain-course")
            event.remove(db.engine, "before_cursor_execute", count)
            for what, runs in (("dashboard.build", runs_build), ("GET /reports", runs_page)):
                p50 = statistics.median(r[0] for r in runs)
                p95 = statistics.median(r[1] for r in runs)
                print(
                    f"{what:<16} {label:<36} {len(data.participants):>6} people  "
                    f"p50 {p50:7.1f} ms  p95 {p95:7.1f} ms"
                )
            print(f"{'':<16} {label:<36} page: {len(statements)} SQL statements")


if __name__ == "__main__":
    main()
