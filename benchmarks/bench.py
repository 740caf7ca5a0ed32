"""``make bench``: a seeded programme served by gunicorn, loaded, measured; a table and JSON.

    .venv/bin/python benchmarks/bench.py --db sqlite|postgres --size 20000 --runs 3 \\
        --seconds 10 --clients 8 [--postgres-url URL] [--generator auto|wrk|python]

Seeds two databases with bench-seed (SIZE participants, and SIZE/10 for the query counts),
serves the large one with gunicorn (production settings, 2 sync workers, 127.0.0.1), logs
in the people each page is for and loads each page with CLIENTS clients for SECONDS, RUNS
times; every figure is the median of the runs with their range. Writes
benchmarks/results/<db>-<size>-<timestamp>.json. Figures, not assertions; see
docs/performance.md for what each one is.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from benchkit import databases, load, quiz, report, targets  # noqa: E402
from benchkit.server import SETTINGS_CHANGED, WORKERS, Server  # noqa: E402
from benchkit.web import BROWSER_ENCODING, Browser, hrefs, log_in  # noqa: E402

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/trainer_bench"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--generator", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--results", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)
    if args.size < 10 or args.runs < 1 or args.clients < 1 or args.seconds <= 0:
        parser.error("--size must be at least 10; --runs, --clients and --seconds positive")
    try:
        result = run(args)
    except databases.BenchError as error:
        print(f"make bench: {error}", file=sys.stderr)
        return 1
    print(report.table(result))
    print(f"\nJSON: {report.write(result, args.results)}")
    return 0


def run(args: argparse.Namespace) -> dict:
    generator = load.generator_name(args.generator)
    folder = Path(tempfile.mkdtemp(prefix="trainer-bench-"))
    try:
        if args.db == "postgres":
            big_url, small_url = databases.postgres_urls(args.postgres_url)
            for url in (big_url, small_url):
                databases.recreate_postgres(url)
        else:
            big_url = databases.sqlite_url(folder, "bench")
            small_url = databases.sqlite_url(folder, "bench-tenth")
        print(f"Seeding {args.size:,} participants ({args.db})...", flush=True)
        big, small = databases.seed_both((big_url, args.size), (small_url, args.size // 10))
        print(f"  seeded in {big.seconds:.0f} s; serving and measuring...", flush=True)
        load_before = os.getloadavg()[0]
        measured = measure(big, args, generator)
        print("  counting SQL statements per page at both sizes...", flush=True)
        counts = count_queries(big, small, measured.pop("count_paths"))
        return {
            "meta": _meta(args, generator, big, small, load_before),
            "figures": measured["figures"],
            "queries": counts,
            "rss_mb": measured["rss_mb"],
            "wire": measured["wire"],
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def measure(big: databases.Seeded, args: argparse.Namespace, generator: str) -> dict:
    plan = targets.plan(big)
    learners = targets.quiz_pool(big, quiz.pool_size(args.clients, args.runs) + 1)
    counted_learner, learners = learners[-1:], learners[:-1]
    with Server(big.url) as server:
        browsers: dict[str | None, Browser] = {None: Browser(server.port)}
        for target in plan.values():
            if target.email not in browsers:
                browsers[target.email] = log_in(server.port, target.email)
        admin = browsers[plan["users_first"].email]
        deep, how = _deep(admin, plan["users_first"].path)
        plan["users_deep"] = targets.Target(admin.email, deep)
        programme = browsers[plan["dashboard_programme"].email]
        exports = _exports(programme.page(plan["dashboard_programme"].path))
        wire = _wire(browsers[plan["module"].email], plan["module"].path)
        runs: dict[str, list[dict]] = {}
        for number in range(1, args.runs + 1):
            print(f"  run {number} of {args.runs}", flush=True)
            for name, target in plan.items():
                if name == "cohort_zip":
                    continue
                stats = load.load(
                    server.port,
                    target.path,
                    browsers[target.email].cookie_header,
                    clients=args.clients,
                    seconds=args.seconds,
                    generator=generator,
                )
                runs.setdefault(name, []).append(stats.as_dict())
            share = len(learners) // args.runs
            mine = learners[(number - 1) * share : number * share]
            if mine:
                stats = quiz.run(server.port, mine, clients=args.clients, seconds=args.seconds)
                runs.setdefault("quiz_submission", []).append(stats.as_dict())
            for name, path in [*exports.items(), ("cohort_zip", plan.get("cohort_zip"))]:
                if path is not None:
                    path = path if isinstance(path, str) else path.path
                    runs.setdefault(name, []).append(_download(programme, path))
        rss = server.worker_rss_mb()
    figures = {name: report.figure(found) for name, found in runs.items()}
    figures["users_deep"].update(path=deep, how=how)
    for name in ("module", "course"):
        ratios = [
            {"ratio": page["rate"] / health["rate"] if health["rate"] else 0.0}
            for page, health in zip(runs[name], runs["healthz"], strict=True)
        ]
        figures[f"ratio_{name}"] = report.figure(ratios)
    if "cohort_zip" in figures:
        figures["cohort_zip"]["note"] = f"{big.facts['largest certificates zip']}"
    return {
        "figures": figures,
        "rss_mb": {"workers": rss, "max": max(rss, default=0.0)},
        "wire": wire,
        "count_paths": {"exports": exports, "learner": counted_learner},
    }


def _deep(admin: Browser, first: str) -> tuple[str, str]:
    from benchkit.web import deep_page

    return deep_page(admin.page, first)


def _exports(dashboard: str) -> dict[str, str]:
    """The largest report table's CSV and XLSX, as linked from the programme dashboard."""
    found = {}
    for file_format in ("csv", "xlsx"):
        links = hrefs(dashboard, rf"/reports/tables/[\w-]+\.{file_format}\b")
        preferred = [link for link in links if f"/{targets.PREFERRED_EXPORT}." in link]
        if preferred or links:
            found[f"export_{file_format}"] = (preferred or links)[0]
    return found


def _download(browser: Browser, path: str) -> dict:
    response = browser.get(path)
    return {
        "milliseconds": response.milliseconds,
        "bytes": len(response.body),
        "errors": int(response.status != 200),
    }


def _wire(browser: Browser, path: str) -> dict:
    """The lesson page's bytes as sent, without and with a browser's Accept-Encoding."""
    found = {}
    for name, headers in (("plain", {}), ("compressed", {"Accept-Encoding": BROWSER_ENCODING})):
        response = browser.get(path, headers)
        found[name] = {
            "status": response.status,
            "body": len(response.body),
            "headers": response.header_bytes,
            "encoding": response.headers.get("content-encoding", ""),
        }
    return found


def count_queries(big: databases.Seeded, small: databases.Seeded, found_paths: dict) -> dict:
    """Statements per request at both sizes, each database in a process of its own; the
    same pages, for the people bench-seed named in each."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        size = pool.submit(_count, big, found_paths, found_paths["learner"])
        tenth = pool.submit(_count, small, found_paths, targets.quiz_pool(small, 1))
        found = {"size": size.result(), "tenth": tenth.result()}
    names = list(dict.fromkeys([*found["size"], *found["tenth"]]))
    return {
        name: {
            "size": found["size"].get(name),
            "tenth": found["tenth"].get(name),
            "equal": found["size"].get(name) == found["tenth"].get(name),
        }
        for name in names
    }


def _count(seeded: databases.Seeded, found_paths: dict, learner: list) -> dict:
    """{figure: statements} in one database (``benchkit.queries`` in a process of its own)."""
    plan = targets.plan(seeded)
    pages = {name: (target.email, target.path) for name, target in plan.items()}
    # The deep page is found in each database as the server run found it.
    pages["users_deep"] = pages["users_first"]
    programme = plan["dashboard_programme"].email
    pages.update({name: (programme, path) for name, path in found_paths["exports"].items()})
    request = {
        "url": seeded.url,
        "pages": pages,
        "quiz": learner[0].__dict__ if learner else None,
    }
    done = subprocess.run(  # noqa: S603  (our own interpreter and module)
        [sys.executable, "-m", "benchkit.queries"],
        cwd=HERE,
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise databases.BenchError(f"counting queries failed:\n{done.stderr}")
    return json.loads(done.stdout)


def _meta(args, generator: str, big, small, load_before: float) -> dict:
    return {
        "db": args.db,
        "database_version": _database_version(big.url),
        "size": args.size,
        "size_tenth": small.size,
        "runs": args.runs,
        "seconds": args.seconds,
        "clients": args.clients,
        "generator": generator,
        "workers": WORKERS,
        "cpus": os.cpu_count(),
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
        "python": platform.python_version(),
        "commit": _commit(),
        "stamp": datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"),
        "seed_seconds": round(big.seconds, 1),
        "seeded": big.facts,
        "settings_changed": list(SETTINGS_CHANGED),
        "accept_encoding": BROWSER_ENCODING,
    }


def _database_version(url: str) -> str:
    if url.startswith("sqlite"):
        return f"SQLite {sqlite3.sqlite_version}"
    rows = targets.select_rows(url, "SHOW server_version")
    return f"PostgreSQL {rows[0][0]}"


def _commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607  (git from PATH)
        cwd=HERE,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "unknown"


if __name__ == "__main__":
    started = time.perf_counter()
    code = main()
    print(f"({time.perf_counter() - started:.0f} s)")
    sys.exit(code)
