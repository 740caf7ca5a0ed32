"""The two databases a run measures: one seeded at SIZE participants, one at SIZE/10 (for
the query counts, which must not depend on the size).

SQLite: files in a temporary folder. PostgreSQL: the database of the URL, dropped and
created again, and the same name with ``_tenth`` for the small one. Only databases whose
name says "bench" are dropped, so a slip of the URL never empties a real one.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


class BenchError(RuntimeError):
    """Something the run cannot go on without; the message says what."""


@dataclass
class Seeded:
    """A seeded database and what bench-seed said a benchmark needs in it."""

    url: str
    size: int
    facts: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    output: str = ""

    def email(self, fact: str) -> str:
        found = re.search(r"(\S+@\S+)", self.facts.get(fact, ""))
        if found is None:
            raise BenchError(f"bench-seed did not print {fact!r}:\n{self.output}")
        return found[1]


def sqlite_url(folder: Path, name: str) -> str:
    return f"sqlite:///{folder / name}.db"


def postgres_urls(url: str) -> tuple[str, str]:
    """The URL as given and its ``_tenth`` sibling; refuses a name without "bench"."""
    name = urlsplit(url).path.lstrip("/")
    if not name or "bench" not in name:
        raise BenchError(
            f"{url}: the bench drops and recreates this database, so its name must contain "
            '"bench" (e.g. postgresql://postgres@127.0.0.1:5432/trainer_bench).'
        )
    return url, url[: -len(name)] + f"{name}_tenth"


def recreate_postgres(url: str) -> None:
    """DROP and CREATE the database of ``url``, connected to the server's ``postgres``."""
    import psycopg

    parts = urlsplit(url.replace("postgresql+psycopg://", "postgresql://"))
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_postgres(url: str) -> None:
    import psycopg

    parts = urlsplit(url.replace("postgresql+psycopg://", "postgresql://"))
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def seed(url: str, size: int) -> Seeded:
    """``flask db upgrade`` then ``flask bench-seed --participants size`` on ``url``."""
    import time

    env = {**os.environ, "DATABASE_URL": url, "TRAINER_CONFIG": "development"}
    _flask(env, "db", "upgrade")
    started = time.perf_counter()
    output = _flask(env, "bench-seed", "--participants", str(size))
    seeded = Seeded(url=url, size=size, seconds=time.perf_counter() - started, output=output)
    for line in output.splitlines():
        name, colon, value = line.partition(": ")
        if colon and not line.startswith(" "):
            seeded.facts[name.strip()] = value.strip()
    return seeded


def seed_both(first: tuple[str, int], second: tuple[str, int]) -> tuple[Seeded, Seeded]:
    """Both databases seeded at the same time (each in its own processes)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        one, two = pool.submit(seed, *first), pool.submit(seed, *second)
        return one.result(), two.result()


def _flask(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603  (our own virtualenv's flask, fixed arguments)
        [str(BIN / "flask"), "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout
