"""``pg_dump`` and ``pg_restore``, run on the configured PostgreSQL database.

They are given the database's address as libpq reads it (``postgresql://``, without
SQLAlchemy's ``+psycopg``), and its password in ``PGPASSWORD`` rather than on the command
line, where any local user could read it in the process list.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import SQLAlchemyError

from trainer.ops.errors import BackupError

_VERSION = re.compile(r"\(PostgreSQL\) (\d+)")
INSTALL_HINT = (
    "install the PostgreSQL client programs (Debian: apt-get install postgresql-client), "
    "or put the folder that holds them first on PATH"
)


def dump(engine: Engine, target: Path) -> None:
    """Dump the database into ``target`` in pg_dump's custom format."""
    tool = _tool("pg_dump")
    server = _server_major(engine)
    client = tool_major(tool)
    if client < server:
        # pg_dump refuses a newer server; say which client is needed instead of its error.
        raise BackupError(
            f"pg_dump {client} cannot dump a PostgreSQL {server} server: install the client "
            f"programs of version {server} or newer (Debian: postgresql-client-{server}) and "
            "put their folder first on PATH."
        )
    _run(
        [
            tool,
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={target}",
            f"--dbname={libpq_url(engine.url)}",
        ],
        engine.url,
    )


def check_archive(path: Path) -> None:
    """Refuse a file that pg_restore cannot read (cut short, or from a newer pg_dump)."""
    tool = _tool("pg_restore")
    result = _call([tool, "--list", str(path)], os.environ.copy())
    if result.returncode != 0:
        raise BackupError(f"pg_restore cannot read {path}: {_last_lines(result.stderr)}")


def restore(engine: Engine, path: Path) -> None:
    """Restore the archive into the database, all or nothing."""
    tool = _tool("pg_restore")
    _run(
        [
            tool,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            # The schema has none of its own; the one on pg_trgm may be set only by the
            # extension's owner, a superuser where one created it in the new database.
            "--no-comments",
            f"--dbname={libpq_url(engine.url)}",
            str(path),
        ],
        engine.url,
    )


def libpq_url(url: URL) -> str:
    """The address as libpq reads it, without the password."""
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def tool_major(tool: str) -> int:
    result = _call([tool, "--version"], os.environ.copy())
    found = _VERSION.search(result.stdout)
    if result.returncode != 0 or found is None:
        raise BackupError(f"{tool} --version did not say its version: {result.stdout.strip()}")
    return int(found.group(1))


def _server_major(engine: Engine) -> int:
    try:
        with engine.connect() as connection:
            return connection.dialect.server_version_info[0]
    except SQLAlchemyError as error:
        lines = str(getattr(error, "orig", None) or error).strip().splitlines()
        raise BackupError(
            f"The database cannot be reached: {lines[0] if lines else error}"
        ) from None


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} was not found on PATH: {INSTALL_HINT}.")
    return found


def _run(command: list[str], url: URL) -> None:
    environment = os.environ.copy()
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    environment.setdefault("PGCONNECT_TIMEOUT", "10")
    result = _call(command, environment)
    if result.returncode != 0:
        name = Path(command[0]).name
        raise BackupError(f"{name} failed: {_last_lines(result.stderr)}")


def _call(command: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(  # noqa: S603  (a PostgreSQL client program, fixed arguments)
            command, env=environment, capture_output=True, text=True, check=False
        )
    except OSError as error:
        raise BackupError(f"{command[0]} could not be run: {error.strerror}.") from None


def _last_lines(stderr: str, count: int = 3) -> str:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return " ".join(lines[-count:]) or "no message"
