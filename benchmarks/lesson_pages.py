"""Print req/s and latency of the lesson and course pages next to /healthz, with wrk.

    .venv/bin/python benchmarks/lesson_pages.py --postgres URL [--seconds 10] [--runs 3]

Builds the database as the README does (`flask db upgrade`, `seed-demo`, `courses import
courses/`) into a throw-away SQLite file, or into `--postgres URL`, whose public schema is
DROPPED and rebuilt; serves it with gunicorn (2 sync workers, production settings, on a free
port of 127.0.0.1); logs the demo participant in and enrols them in the Spanish demo course.
Then, for each of `--runs` rounds, wrk (`-t2 -c8`, `--seconds` long, browser-like
Accept-Encoding) loads /healthz, the course page and its largest lesson one after the other,
so each page's ratio to /healthz is taken in the same round on the same machine load. Prints
the median of the rounds and their range, the load average, and the lesson page's bytes on
the wire (benchmarks/wire.py). Figures, not assertions. Needs wrk on the PATH.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from latency import COURSE, Server, flask, log_in_and_enrol, reset_postgres
from wire import lesson_wire_bytes

ACCEPT = "gzip, deflate, br"
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(url: str, cookie: str, seconds: int, clients: int) -> dict:
    output = subprocess.run(  # noqa: S603  (fixed arguments, no shell)
        ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--latency"]  # noqa: S607
        + ["-H", f"Cookie: {cookie}", "-H", f"Accept-Encoding: {ACCEPT}", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise RuntimeError(f"{url}: {errors[1]} responses were not 2xx or 3xx\n{output}")
    return {
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        "p50": _ms(re.search(r"\s50%\s+(\S+)", output)[1]),
        "p99": _ms(re.search(r"\s99%\s+(\S+)", output)[1]),
    }


def _summary(values: list[float]) -> str:
    return f"{statistics.median(values):7.1f} ({min(values):.1f}-{max(values):.1f})"


def measure(database_url: str, args: argparse.Namespace) -> None:
    server = Server(database_url)
    flask(server.env, "db", "upgrade")
    flask(server.env, "seed-demo")
    flask(server.env, "courses", "import", "courses/")
    with server:
        cookie = log_in_and_enrol(server.base)
        wire = lesson_wire_bytes(server.base, cookie)
        pages = {"/healthz": "/healthz", "course": COURSE, "lesson": wire["path"]}
        rounds: dict[str, list[dict]] = {name: [] for name in pages}
        loads = []
        for _ in range(args.runs):
            for name, path in pages.items():
                wrk(server.base + path, cookie, 2, args.clients)  # warm-up
                rounds[name].append(wrk(server.base + path, cookie, args.seconds, args.clients))
            loads.append(os.getloadavg()[0])
    print(
        f"wrk -t2 -c{args.clients} -d{args.seconds}s, gunicorn 2 sync workers, "
        f"{args.runs} rounds; load average {min(loads):.1f}-{max(loads):.1f} "
        f"on {os.cpu_count()} CPUs"
    )
    print(f"{'page':<10}{'req/s':>22}{'ratio to /healthz':>24}{'p50 ms':>22}{'p99 ms':>22}")
    for name, results in rounds.items():
        ratios = [r["rate"] / h["rate"] for r, h in zip(results, rounds["/healthz"], strict=True)]
        print(
            f"{name:<10}{_summary([r['rate'] for r in results]):>22}"
            f"{statistics.median(ratios):>10.2f} ({min(ratios):.2f}-{max(ratios):.2f})"
            f"{_summary([r['p50'] for r in results]):>22}"
            f"{_summary([r['p99'] for r in results]):>22}"
        )
    print(
        f"lesson page {wire['path']}: {wire['identity']} bytes uncompressed, "
        f"gzip {wire['gzip']}, br {wire['br']}, zstd {wire['zstd']} (body bytes as sent)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", metavar="URL", help="PostgreSQL database to WIPE and use")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk)")
    if args.postgres:
        reset_postgres(args.postgres)
        measure(args.postgres, args)
        return
    workdir = Path(tempfile.mkdtemp(prefix="trainer-lesson-pages-"))
    try:
        measure(f"sqlite:///{workdir / 'trainer.db'}", args)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
