"""The README's production recipe, run as written: environment, `db upgrade`, gunicorn.

It runs against the database the suite runs on (a fresh SQLite file, or a fresh PostgreSQL
database next to TEST_DATABASE_URL), with the virtualenv the tests run in, on loopback only.
"""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from config import DEVELOPMENT_SECRET_KEY

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.slow


@pytest.fixture
def production_database(tmp_path: Path) -> Iterator[str]:
    """An empty database for the recipe's `db upgrade`, dropped afterwards."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'trainer.db'}"
        return
    import psycopg

    base, _, name = url.rpartition("/")
    fresh = f"{name}_production_start"
    admin_url = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        connection.execute(f'CREATE DATABASE "{fresh}"')
    try:
        yield f"{base}/{fresh}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')


def _environment(database_url: str, secret_key: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TRAINER_", "FLASK_", "TEST_DATABASE", "SESSION_COOKIE"))
        and key not in {"SECRET_KEY", "PUBLIC_BASE_URL", "DATABASE_URL", "REDIS_URL"}
    }
    # The README's variables, exported as an operator would.
    env.update(
        TRAINER_CONFIG="production",
        SECRET_KEY=secret_key,
        PUBLIC_BASE_URL="https://trainer.example.org",
        DATABASE_URL=database_url,
        TRUSTED_PROXIES="1",
    )
    return env


def _flask(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603  (our own virtualenv's flask, fixed arguments)
        [str(BIN / "flask"), "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:  # closed even when the server is not up yet, so no socket is left to the collector
        connection.request("GET", path, headers={"X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    return response


def _gunicorn(port: int, tmp_path: Path, *options: str) -> list[str]:
    """The README's gunicorn command on a local port."""
    return [
        str(BIN / "gunicorn"),
        *options,
        "--bind",
        f"127.0.0.1:{port}",
        # Not part of the recipe: keeps parallel test runs off each other's control socket.
        f"--control-socket={tmp_path / 'gunicorn.ctl'}",
        "wsgi:app",
    ]


def _wait_until_serving(server: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + 120  # generous: a loaded machine starts workers slowly
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"gunicorn exited: {server.communicate()[1][-2000:]}")
        try:
            _get(port, "/healthz")
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not answer within 120 s")


def test_readme_production_recipe_starts_and_serves_over_https(production_database, tmp_path):
    env = _environment(production_database, secrets.token_hex(32))
    upgrade = _flask(env, "db", "upgrade")
    assert upgrade.returncode == 0, upgrade.stderr[-2000:]

    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        _gunicorn(port, tmp_path, "--workers", "2", "--forwarded-allow-ips=127.0.0.1"),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_until_serving(server, port)
        health = _get(port, "/healthz")
        assert health.status == 200
        login = _get(port, "/login")
        assert login.status == 200
        assert login.getheader("Strict-Transport-Security")
        cookies = login.headers.get_all("Set-Cookie") or []
        assert any(cookie.startswith("trainer_session=") for cookie in cookies), cookies
        for cookie in cookies:
            attributes = {part.strip().lower() for part in cookie.split(";")}
            assert "secure" in attributes, cookie
            assert "httponly" in attributes, cookie
    finally:
        server.terminate()
        server.communicate(timeout=30)


@pytest.mark.parametrize(
    "secret_key", ["too-short", DEVELOPMENT_SECRET_KEY, ""], ids=["short", "development", "unset"]
)
def test_production_refuses_a_weak_secret_key_with_one_clear_line(production_database, secret_key):
    result = _flask(_environment(production_database, secret_key), "db", "upgrade")
    assert result.returncode != 0
    assert "trainer cannot start: SECRET_KEY must be set" in result.stderr
    assert "Traceback" not in result.stderr


def test_gunicorn_refuses_the_development_key(production_database, tmp_path):
    env = _environment(production_database, DEVELOPMENT_SECRET_KEY)
    result = subprocess.run(  # noqa: S603
        _gunicorn(_free_port(), tmp_path, "--workers", "1"),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
