"""Print p50 and p99 latency of the course page under concurrent clients, SQLite and PostgreSQL.

    .venv/bin/python benchmarks/latency.py [--postgres URL] [--clients 8] [--requests 800]

For each database: builds it as the README does (`flask db upgrade`, `seed-demo`,
`courses import courses/`, into a throw-away SQLite file; PostgreSQL only with
`--postgres URL`, whose public schema is DROPPED and rebuilt), serves it with gunicorn
(2 sync workers on a free port of 127.0.0.1, production settings), logs the demo
participant in, enrols them in the Spanish demo course, then has `--clients` threads fetch
the course page until `--requests` responses have come back or `--seconds` have passed.
Latency is measured per request, from connecting to the last byte. Figures, not
assertions: compare them before and after a change.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COURSE = "/courses/migracion-politicas-desarrollo"
EMAIL, PASSWORD = "participant@example.org", "demo-participant-pass"
WORKERS = 2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flask(env: dict, *args: str) -> None:
    subprocess.run(  # noqa: S603  (our own interpreter and fixed arguments, no shell)
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env | {"TRAINER_CONFIG": "development"},
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


class Server:
    """gunicorn serving wsgi:app on DATABASE_URL, as in production but over plain HTTP."""

    def __init__(self, database_url: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = os.environ | {
            "DATABASE_URL": database_url,
            "TRAINER_CONFIG": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "PUBLIC_BASE_URL": self.base,
            "SESSION_COOKIE_SECURE": "0",
        }

    def __enter__(self) -> Server:
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.process = subprocess.Popen(  # noqa: S603  (fixed arguments, no shell)
            [str(gunicorn), "--workers", str(WORKERS), "--bind", f"127.0.0.1:{self.port}"]
            + ["--log-level", "warning", "wsgi:app"],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("gunicorn did not answer /healthz within 30 s")

    def __exit__(self, *_exc) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def log_in_and_enrol(base: str) -> str:
    """The Cookie header of the demo participant, enrolled in the course."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def form_token(path: str) -> str:
        with opener.open(base + path, timeout=30) as response:
            page = response.read().decode()
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]

    def post(path: str, data: dict) -> None:
        body = urllib.parse.urlencode(data).encode()
        with opener.open(base + path, data=body, timeout=30) as response:
            response.read()

    post("/login", {"email": EMAIL, "password": PASSWORD, "csrf_token": form_token("/login")})
    post(COURSE + "/enrol", {"csrf_token": form_token(COURSE)})
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def get(port: int, path: str, cookie: str) -> float:
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    if response.status != 200:
        raise RuntimeError(f"GET {path}: {response.status}")
    return (time.perf_counter() - start) * 1000


def load(port: int, cookie: str, clients: int, requests: int, seconds: float) -> dict:
    """`clients` threads fetching the course page; at most `requests` in all, `seconds` long."""
    for _ in range(2 * clients):
        get(port, COURSE, cookie)  # warm-up: caches, pools, first-view writes
    samples: list[float] = []
    errors: list[str] = []
    issued = [0]
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + seconds

    def client() -> None:
        while time.perf_counter() < deadline:
            with lock:
                if issued[0] >= requests:
                    return
                issued[0] += 1
            try:
                elapsed = get(port, COURSE, cookie)
            except (OSError, RuntimeError) as error:
                with lock:
                    errors.append(str(error))
                continue
            with lock:
                samples.append(elapsed)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    samples.sort()

    def percentile(p: float) -> float:
        return samples[max(0, min(len(samples) - 1, round(p * len(samples)) - 1))]

    return {
        "requests": len(samples),
        "errors": len(errors),
        "p50": percentile(0.50),
        "p99": percentile(0.99),
        "max": samples[-1],
        "rate": len(samples) / wall,
    }


def run(database_url: str, args: argparse.Namespace) -> dict:
    server = Server(database_url)
    flask(server.env, "db", "upgrade")
    flask(server.env, "seed-demo")
    flask(server.env, "courses", "import", "courses/")
    with server:
        cookie = log_in_and_enrol(server.base)
        return load(server.port, cookie, args.clients, args.requests, args.seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", metavar="URL", help="PostgreSQL database to WIPE and use")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=800)
    parser.add_argument("--seconds", type=float, default=120)
    args = parser.parse_args()

    results = {}
    workdir = Path(tempfile.mkdtemp(prefix="trainer-latency-"))
    try:
        database = workdir / "trainer.db"
        results["SQLite"] = run(f"sqlite:///{database}", args)
        with sqlite3.connect(database) as connection:
            mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
        results["SQLite"]["name"] = f"SQLite ({mode})"
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if args.postgres:
        reset_postgres(args.postgres)
        results["PostgreSQL"] = run(args.postgres, args) | {"name": "PostgreSQL"}

    print(
        f"GET {COURSE}: {args.clients} clients, gunicorn {WORKERS} sync workers, "
        f"at most {args.requests} requests or {args.seconds:.0f} s; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print(
        f"{'':<18}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'req/s':>8}"
    )
    for result in results.values():
        print(
            f"{result['name']:<18}{result['requests']:>9}{result['errors']:>8}"
            f"{result['p50']:>9.1f}{result['p99']:>9.1f}{result['max']:>9.1f}{result['rate']:>8.1f}"
        )


if __name__ == "__main__":
    main()
