"""Print p50 and p95 of the people lists on a programme filled by bench-seed.

    DATABASE_URL=postgresql://.../bench .venv/bin/python benchmarks/people.py [--repeat 50]

Times whole requests, in this process through Flask's test client (no HTTP server; routing,
the log-in check, the queries and the template all count), for the admin's accounts list
(/admin/users) and for the coordinator of the largest institution's participants
(/admin/people):

- the first page;
- a deep page: the one reached by following "Next page" ``--deep`` times (50 by default,
  so page 51, rows 1,251 to 1,275), then asked again and again through its cursor;
- a search for a part of one participant's name that matches a handful of people, and one
  for a part that many names share (the name without its first letter and last digits).

Each figure is the median over ``--runs`` runs (3) of each run's p50 and p95 over
``--repeat`` requests, with the SQL statements one request runs. It logs the two people in
(a login_session row each) and changes nothing else. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import html
import math
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEXT = re.compile(r'href="([^"]+)" rel="next"')


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(len(ordered) * fraction) - 1)]


def _client(app, user):
    from trainer.auth import logins
    from trainer.extensions import db

    token = logins.start(user, "benchmarks/people.py")
    db.session.commit()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
    return client


def _deep_url(client, path: str, steps: int) -> str:
    url = path
    for _ in range(steps):
        found = NEXT.search(client.get(url).get_data(as_text=True))
        if found is None:
            break
        url = html.unescape(found[1])
    return url


def _time(client, url: str, repeat: int, runs: int, count) -> tuple[float, float, int]:
    for _ in range(3):  # warm the caches and the connection pool
        assert client.get(url).status_code == 200
    p50s, p95s = [], []
    for _ in range(runs):
        samples = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        p50s.append(_percentile(samples, 0.5))
        p95s.append(_percentile(samples, 0.95))
    with count() as statements:
        client.get(url)
    return statistics.median(p50s), statistics.median(p95s), len(statements)


def _counter(engine):
    from contextlib import contextmanager

    from sqlalchemy import event

    @contextmanager
    def count():
        statements: list[str] = []

        def record(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--deep", type=int, default=50, help="Next-page steps to the deep page")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to a database filled by `flask --app wsgi bench-seed`.")

    sys.path.insert(0, str(ROOT))
    from sqlalchemy import func, select

    from trainer import create_app
    from trainer.auth.models import Role, User
    from trainer.extensions import db

    app = create_app("development", DEBUG=False, TEMPLATES_AUTO_RELOAD=False)
    with app.app_context():
        participants = db.session.scalar(
            select(func.count()).where(User.role == Role.PARTICIPANT.value)
        )
        largest, size = db.session.execute(
            select(User.institution_id, func.count())
            .where(User.role == Role.PARTICIPANT.value)
            .group_by(User.institution_id)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
        admin = db.session.scalar(select(User).where(User.role == Role.ADMIN.value).limit(1))
        coordinator = db.session.scalar(
            select(User).where(
                User.role == Role.COORDINATOR.value,
                User.institution_id == largest,
                User.is_programme_wide.is_(False),
            )
        )
        if admin is None or coordinator is None:
            sys.exit("No admin, or no coordinator of the largest institution: run bench-seed.")
        # A part of a name that matches a few people: the last digits of one in the middle.
        someone = db.session.scalar(
            select(User.full_name)
            .where(User.institution_id == largest, User.role == Role.PARTICIPANT.value)
            .order_by(User.id)
            .offset(size // 2)
            .limit(1)
        )
        term, broad = someone[-5:], someone[1:-4]
        count = _counter(db.engine)
        print(
            f"{participants:,} participants; the largest institution has {size:,}; "
            f"searches {term!r} and {broad!r}; {args.runs} runs of {args.repeat} requests"
        )
        print(f"{'list':<34}{'page':<15}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}")
        for label, user, path in [
            ("accounts (admin)", admin, "/admin/users"),
            ("participants (coordinator)", coordinator, "/admin/people"),
        ]:
            client = _client(app, user)
            cases = [
                ("first", path),
                (f"after {args.deep} next", _deep_url(client, path, args.deep)),
                ("search, few", f"{path}?q={term}"),
                ("search, many", f"{path}?q={broad}"),
            ]
            for page, url in cases:
                p50, p95, queries = _time(client, url, args.repeat, args.runs, count)
                print(f"{label:<34}{page:<15}{p50:>9.2f}{p95:>9.2f}{queries:>9}")


if __name__ == "__main__":
    main()
